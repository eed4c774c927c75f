"""Adding jurors to a contest's jury in bulk from a spreadsheet (CSV or XLSX).

The file is read like the entries import (see exchange.entries_import): every line is checked
before anything is written, and the whole import runs in one transaction, so a file with a
single bad line imports nothing and names every bad line. Each new juror is invited by
e-mail once the transaction commits, with a one-time link to set their password
(see judging.services.invitations). Each line seats its juror like inviting one juror from the organiser's
page does (judging.services.jury).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contest.models import Contest, University
from contest.names import name_key, names_lookup
from contest.people import NewPerson, people_create, people_find
from contest.services import Actor, contest_ensure_organiser
from exchange.sheet_writers import csv_writer
from exchange.sheets import FILE_LINE, PREVIEW_ROWS, ImportRefused, LineError, SheetImportResult, SheetRow, sheet_read
from judging.models import Juror
from judging.services.invitations import juror_invitation_queue
from judging.services.jury import (
    juror_email_check,
    juror_full_name_check,
    juror_languages_check,
    juror_max_load_check,
    juror_seat,
)

User = get_user_model()

JUROR_COLUMNS = ("email", "full_name", "university", "languages", "max_load")


def jurors_template_csv() -> str:
    """The header line of a jury import file, with one example line."""
    example = ["juror@example.org", "Aigerim Sadykova", "Taraz University", "kk;ru", "20"]
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(JUROR_COLUMNS)
    writer.writerow(example)
    return buffer.getvalue()


@dataclass(frozen=True)
class JurorRowPreview:
    """What one line of a jury file does, for the preview table: only what the line says, never what is stored."""

    line: int
    email: str
    full_name: str
    university: str
    languages: tuple[str, ...]
    max_load: int | None
    action: str  # "create", "update" or "unchanged"
    #: Whether the e-mail belongs to an account that exists already: it is linked and left as it is.
    existing_account: bool


@dataclass
class JurorImportResult(SheetImportResult):
    """What a jury import did (or, in a dry run, would do)."""

    users_created: int = 0
    #: Accounts that existed already: linked to their seats, the accounts themselves left as they are.
    users_existing: int = 0
    jurors_created: int = 0
    jurors_updated: int = 0
    jurors_unchanged: int = 0
    invitations: int = 0
    preview: list[JurorRowPreview] = field(default_factory=list)


@dataclass
class JurorLine:
    """One checked line: who the juror is and their seat on the jury."""

    line: int
    email: str
    full_name: str
    university: University
    languages: list[str]
    max_load: int | None
    university_text: str = ""


class JuryImport:
    """One run of the import: look-ups loaded once, every line checked, then the writes."""

    def __init__(self, *, contest: Contest, result: JurorImportResult) -> None:
        self.contest = contest
        self.result = result
        self.invited: list[Any] = []

    def error(self, line: int, column: str, message: str) -> None:
        self.result.errors.append(LineError(line, column, message))

    def load(self, rows: list[SheetRow]) -> None:
        self.universities: dict[str, University] = names_lookup(University.objects.all())
        self.load_people({row.cells["email"].lower() for row in rows if row.cells["email"]})

    def load_people(self, emails: set[str]) -> None:
        """The accounts with these (lower-cased) e-mails, and the contest's jurors."""
        self.users: dict[str, Any] = people_find(emails)
        self.jurors = {juror.user_id: juror for juror in Juror.objects.filter(contest=self.contest)}

    # Checking ----------------------------------------------------------------------------------

    def check(self, rows: list[SheetRow]) -> list[JurorLine]:
        seen: dict[str, int] = {}
        lines: list[JurorLine] = []
        for row in rows:
            errors_before = len(self.result.errors)
            checked = self.check_row(row)
            if checked is None or len(self.result.errors) > errors_before:
                continue
            email_key = checked.email.lower()
            if email_key in seen:
                self.error(row.line, "email", _("This e-mail is already on line %(line)d.") % {"line": seen[email_key]})
                continue
            seen[email_key] = row.line
            lines.append(checked)
        return lines

    def check_row(self, row: SheetRow) -> JurorLine | None:
        cells, line = row.cells, row.line
        email = self.check_email(line, cells["email"])
        full_name = self.check_full_name(line, cells["full_name"], email)
        university = self.check_university(line, cells["university"])
        languages = self.check_languages(line, cells["languages"])
        max_load = self.check_max_load(line, cells["max_load"])
        if email is None or university is None or languages is None or max_load is False:
            return None
        return JurorLine(
            line=line,
            email=email,
            full_name=full_name,
            university=university,
            languages=languages,
            max_load=max_load if isinstance(max_load, int) else None,
            university_text=" ".join(cells["university"].split()),
        )

    def check_email(self, line: int, email: str) -> str | None:
        checked, problem = juror_email_check(email)
        if problem:
            self.error(line, "email", problem)
        return checked

    def check_full_name(self, line: int, text: str, email: str | None) -> str:
        new_account = email is not None and email.lower() not in self.users
        full_name, problem = juror_full_name_check(text, new_account=new_account)
        if problem:
            self.error(line, "full_name", problem)
        return full_name

    def check_university(self, line: int, text: str) -> University | None:
        name = " ".join(text.split())
        if not name:
            self.error(line, "university", _("The university is empty."))
            return None
        university = self.universities.get(name_key(name))
        if university is None:
            self.error(
                line,
                "university",
                _("Unknown university “%(name)s”: write its short name or its name in any language.") % {"name": name},
            )
        return university

    def check_languages(self, line: int, text: str) -> list[str] | None:
        languages, problem = juror_languages_check(text)
        if problem:
            self.error(line, "languages", problem)
        return languages

    def check_max_load(self, line: int, text: str) -> int | None | bool:
        """The cap, ``None`` for no cap, or ``False`` when the cell is wrong."""
        cap, problem = juror_max_load_check(text)
        if problem:
            self.error(line, "max_load", problem)
        return cap

    # Writing -----------------------------------------------------------------------------------

    def write(self, lines: list[JurorLine]) -> None:
        for item in lines:
            existing_account = item.email.lower() in self.users
            self.result.users_existing += int(existing_account)
            user = self.write_user(item)
            juror, action = juror_seat(
                contest=self.contest,
                user=user,
                university=item.university,
                languages=item.languages,
                max_load=item.max_load,
            )
            if action == "create":
                self.result.jurors_created += 1
                self.invited.append(juror)
            elif action == "update":
                self.result.jurors_updated += 1
            else:
                self.result.jurors_unchanged += 1
            if len(self.result.preview) < PREVIEW_ROWS:
                self.result.preview.append(
                    JurorRowPreview(
                        line=item.line,
                        email=item.email,
                        full_name=item.full_name,
                        university=item.university_text or str(item.university),
                        languages=tuple(item.languages),
                        max_load=item.max_load,
                        action=action,
                        existing_account=existing_account,
                    )
                )
        self.result.invitations = len(self.invited)

    def write_user(self, item: JurorLine) -> Any:
        """The account of the line's e-mail; a new one is created with a profile from the line.

        An account that exists already belongs to its owner (perhaps a participant or an organiser of
        another contest, or an administrator): it is linked as it is, its name, profile and password
        untouched. What this contest needs of the person, their seat, is kept on the ``Juror`` row.
        """
        user = self.users.get(item.email.lower())
        if user is not None:
            return user
        person = NewPerson(
            email=item.email,
            full_name=item.full_name,
            university=item.university,
            country=item.university.country,
            language=item.languages[0],
        )
        user = people_create([person])[item.email.lower()]
        self.users[item.email.lower()] = user
        self.result.users_created += 1
        return user


def jurors_import(
    *,
    actor: Actor | None,
    contest: Contest,
    stream: IO[bytes],
    dry_run: bool = False,
) -> JurorImportResult:
    """Import a contest's jurors from a CSV or XLSX file: every line, or nothing if any line is wrong.

    ``actor`` is None for the command line, which the server's operator runs. New jurors are
    invited by e-mail once the import commits; a dry run checks and counts, then rolls back.
    """
    started = time.monotonic()
    if actor is not None:
        contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can import jurors."))
    result = JurorImportResult(dry_run=dry_run)
    try:
        sheet = sheet_read(stream=stream, required=JUROR_COLUMNS, optional=())
    except ImportRefused as refused:
        result.errors.extend(refused.errors)
        result.seconds = time.monotonic() - started
        return result
    result.errors.extend(sheet.errors)
    result.rows = len(sheet.rows) + len(sheet.errors)
    run = JuryImport(contest=contest, result=result)
    try:
        with transaction.atomic():
            # One import per contest at a time: two would race to create the same people.
            Contest.objects.select_for_update().only("pk").get(pk=contest.pk)
            run.load(sheet.rows)
            lines = run.check(sheet.rows)
            if result.ok:
                run.write(lines)
            if dry_run or not result.ok:
                transaction.set_rollback(True)
            else:
                for juror in run.invited:
                    juror_invitation_queue(juror=juror)
    except IntegrityError:
        result.errors.append(
            LineError(
                FILE_LINE, "", _("Someone changed the same data during the import; nothing was imported. Try again.")
            )
        )
    if not result.ok:
        for name in (
            "users_created",
            "users_existing",
            "jurors_created",
            "jurors_updated",
            "jurors_unchanged",
            "invitations",
        ):
            setattr(result, name, 0)
        result.preview.clear()
    result.errors.sort(
        key=lambda error: (error.line, JUROR_COLUMNS.index(error.column) if error.column in JUROR_COLUMNS else -1)
    )
    result.seconds = time.monotonic() - started
    return result
