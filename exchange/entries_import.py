"""Bulk import of participants and their entries from a spreadsheet (CSV or XLSX).

Every line is checked before anything is written, and the whole import runs in one
transaction: a file with a single bad line imports nothing and names every bad line.
Look-ups are loaded once into dictionaries and rows are written with bulk queries,
so the number of queries does not grow with the number of lines (attaching media
files is the exception: each file is stored on its own).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.activity_log import bulk_create_logged, log_changed, log_created
from config.exceptions import FileRefused
from contest.enums import Country, EntryStatus, Language
from contest.models import Contest, Entry, Platform, University, new_entry_code
from contest.people import NewPerson, people_create
from contest.services import Actor, contest_ensure_organiser
from contest.signals import entries_status_changed
from contest.slugs import unique_slug
from exchange.entries_check import EntriesCheck, EntryLine
from exchange.sheet_writers import csv_writer
from exchange.sheets import (
    FILE_LINE,
    PREVIEW_ROWS,
    ImportRefused,
    LineError,
    SheetImportResult,
    sheet_read,
)
from media_pipeline.models import MediaAsset
from media_pipeline.services import asset_store_imported, file_sha256

User = get_user_model()

REQUIRED_COLUMNS = (
    "email",
    "full_name",
    "university",
    "programme",
    "country",
    "title",
    "description",
    "nomination",
    "platforms",
    "link",
)
OPTIONAL_COLUMNS = ("status", "code", "media")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class RowPreview:
    """What one line of the file does, for the preview table."""

    line: int
    email: str
    full_name: str
    university: str
    title: str
    nomination: str
    platforms: tuple[str, ...]
    status: str
    action: str  # "create", "update" or "unchanged"
    #: Whether the e-mail belongs to an account that exists already: the import links it and changes nothing of it.
    existing_account: bool = False


@dataclass
class ImportResult(SheetImportResult):
    """What an import of entries did (or, in a dry run, would do)."""

    participants_created: int = 0
    #: Accounts that existed already: their entries are linked to them, the accounts themselves stay as they are.
    participants_existing: int = 0
    entries_created: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    universities_created: int = 0
    platforms_created: int = 0
    media_attached: int = 0
    preview: list[RowPreview] = field(default_factory=list)


def import_template_csv() -> str:
    """The header line of an import file, with one example line."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(ALL_COLUMNS)
    writer.writerow(
        [
            "aigerim@example.org",
            "Aigerim Sadykova",
            "M.Kh. Dulaty Taraz University",
            "Pedagogy and psychology",
            "KZ",
            "Fractions with Wordwall",
            "A quiz lesson for the fifth grade.",
            "",
            "Wordwall; Canva",
            "https://wordwall.net/resource/1",
            "submitted",
            "",
            "",
        ]
    )
    return buffer.getvalue()


def _text_language(text: str) -> str:
    """The likely language of a name typed in the file, so it lands in the matching translation."""
    lowered = text.lower()
    if any(letter in KAZAKH_LETTERS for letter in lowered):
        return Language.KK
    if CYRILLIC.search(lowered):
        return Language.RU
    return Language.EN


class _Import(EntriesCheck):
    """One run of the import: look-ups loaded once, then every line checked, then bulk writes."""

    def __init__(self, *, contest: Contest, result: ImportResult, media_dir: Path | None, now: datetime) -> None:
        super().__init__(contest=contest, errors=result.errors, media_dir=media_dir)
        self.result = result
        self.now = now
        self.stored_assets: list[MediaAsset] = []

    # Writing -----------------------------------------------------------------------------------

    def write(self, lines: Sequence[EntryLine], *, dry_run: bool) -> None:
        universities = self.write_universities()
        platforms = self.write_platforms()
        self.write_participants(universities)
        self.write_entries(lines, platforms, universities)
        self.write_media(lines, dry_run=dry_run)

    def write_universities(self) -> dict[str, University]:
        created: list[University] = []
        for key, (name, country) in self.new_universities.items():
            slug = unique_slug(name, taken=self.university_slugs, max_length=60, fallback="university")
            # Only the language the name is written in: the others fall back to it.
            university = University(slug=slug, country=country or Country.KZ, **{f"name_{_text_language(name)}": name})
            created.append(university)
            self.universities[key] = university
        University.objects.bulk_create(created)
        self.result.universities_created = len(created)
        used = {p.facts["university"][0] for p in self.participants.values() if "university" in p.facts}
        if used:
            self.contest.universities.add(*(self.universities[key] for key in used))
        return self.universities

    def write_platforms(self) -> dict[str, Platform]:
        created: list[Platform] = []
        for key, name in self.new_platforms.items():
            self.platform_order += 1
            slug = unique_slug(name, taken=self.platform_slugs, max_length=80, fallback="platform")
            platform = Platform(
                contest=self.contest,
                slug=slug,
                order=self.platform_order,
                **{f"name_{_text_language(name)}": name},
            )
            created.append(platform)
            self.platforms[key] = platform
        bulk_create_logged(Platform, created)
        self.result.platforms_created = len(created)
        return self.platforms

    def write_participants(self, universities: dict[str, University]) -> None:
        language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in Language.values else Language.RU
        # An account that existed before this import belongs to its owner (perhaps a participant or an
        # organiser of another contest, or an administrator): the import links entries to it and changes
        # nothing of it. Only an account the import creates gets its profile from the file.
        new_people: list[NewPerson] = []
        for participant in self.participants.values():
            if participant.user is not None:
                self.result.participants_existing += 1
                continue
            participant.is_new = True
            facts = {column: value for column, (value, _line) in participant.facts.items()}
            university = universities[facts["university"]] if "university" in facts else None
            default_country = university.country if university else Country.KZ
            new_people.append(
                NewPerson(
                    email=participant.email,
                    full_name=facts["full_name"],
                    university=university,
                    programme=facts.get("programme", ""),
                    country=facts.get("country", default_country),
                    language=language,
                )
            )
        created = people_create(new_people)
        for participant in self.participants.values():
            if participant.is_new:
                participant.user = created[participant.email.lower()]
        self.result.participants_created = len(created)

    def new_code(self) -> str:
        while True:
            code = new_entry_code()
            if code not in self.codes_taken:
                self.codes_taken.add(code)
                return code

    def write_entries(
        self, lines: Sequence[EntryLine], platforms: dict[str, Platform], universities: dict[str, University]
    ) -> None:
        through = Entry.platforms.through
        new_entries: list[Entry] = []
        changed_entries: list[Entry] = []
        links: list[tuple[Entry, list[Platform]]] = []
        relinked: list[int] = []
        fields = ["title", "description", "nomination", "live_url", "status", "submitted_at", "author_university"]
        # nomination_id, not nomination: reading the object would cost a query per line.
        compared = [field.attname for field in Entry._meta.concrete_fields if field.name in fields]
        names = [field.name for field in Entry._meta.concrete_fields if field.name in fields]
        changes: list[dict[str, tuple[Any, Any]]] = []
        for item in lines:
            chosen = [platforms[key] for key in item.platform_keys]
            # The author's university for this entry is what the file says, kept on the entry: never the
            # account's profile, which belongs to its owner.
            named = item.participant.facts.get("university")
            university = universities[named[0]] if named else None
            entry = item.entry
            if entry is None:
                entry = Entry(
                    contest=self.contest,
                    author=item.participant.user,
                    code=item.code or self.new_code(),
                    title=item.title,
                    description=item.description,
                    nomination=item.nomination,
                    live_url=item.link,
                    status=item.status,
                    submitted_at=self.now if item.status == EntryStatus.SUBMITTED else None,
                    author_university=university,
                )
                item.entry = entry
                new_entries.append(entry)
                links.append((entry, chosen))
                action = "create"
            else:
                before = [getattr(entry, name) for name in compared]
                entry.title, entry.description, entry.nomination = item.title, item.description, item.nomination
                entry.live_url, entry.status = item.link, item.status
                if university is not None:
                    entry.author_university = university
                if item.status == EntryStatus.SUBMITTED and entry.submitted_at is None:
                    entry.submitted_at = self.now
                after = [getattr(entry, name) for name in compared]
                changed = before != after
                if {p.pk for p in entry.platforms.all()} != {p.pk for p in chosen}:
                    relinked.append(entry.pk)
                    links.append((entry, chosen))
                    changed = True
                if changed:
                    # bulk_update() does not touch auto_now fields by itself.
                    entry.updated_at = self.now
                    changed_entries.append(entry)
                    changes.append({n: (b, a) for n, b, a in zip(names, before, after, strict=True) if b != a})
                action = "update" if changed else "unchanged"
            self.count(item, action)
        Entry.objects.bulk_create(new_entries)
        Entry.objects.bulk_update(changed_entries, [*fields, "updated_at"])
        log_created(new_entries)
        log_changed(changed_entries, changes)
        through.objects.filter(entry_id__in=relinked).delete()
        through.objects.bulk_create(
            through(entry_id=entry.pk, platform_id=platform.pk) for entry, chosen in links for platform in chosen
        )
        # The rounds that follow submissions take the imported entries (judging listens).
        entries_status_changed.send(sender=Entry, entry_ids=[entry.pk for entry in (*new_entries, *changed_entries)])

    def count(self, item: EntryLine, action: str) -> None:
        if action == "create":
            self.result.entries_created += 1
        elif action == "update":
            self.result.entries_updated += 1
        else:
            self.result.entries_unchanged += 1
        if len(self.result.preview) < PREVIEW_ROWS:
            participant = item.participant
            # Only what the file says: nothing stored about an existing account is shown.
            known = participant.facts.get("full_name")
            self.result.preview.append(
                RowPreview(
                    line=item.line,
                    email=participant.email,
                    full_name=known[0] if known else "",
                    university=item.university or participant.university_text,
                    title=item.title,
                    nomination=item.nomination.name,
                    platforms=tuple(item.platform_names),
                    status=str(EntryStatus(item.status).label),
                    action=action,
                    existing_account=not participant.is_new,
                )
            )

    def write_media(self, lines: Sequence[EntryLine], *, dry_run: bool) -> None:
        for item in lines:
            if item.media is None or item.entry is None:
                continue
            entry = item.entry
            entry.contest = self.contest
            with item.media.open("rb") as stream:
                current = entry.media if entry.media_id else None
                if current is not None and current.sha256 and current.sha256 == file_sha256(stream):
                    continue  # the same file again: importing twice changes nothing
                self.result.media_attached += 1
                if dry_run:
                    continue
                try:
                    asset = asset_store_imported(
                        entry=entry, stream=stream, name=item.media.name, size=item.media.stat().st_size
                    )
                except FileRefused as refused:
                    self.error(item.line, "media", str(refused))
                    continue
                self.stored_assets.append(asset)

    def forget_stored_files(self) -> None:
        """Delete files stored for assets whose rows are being rolled back."""
        for asset in self.stored_assets:
            asset.original.delete(save=False)


def entries_import(
    *,
    actor: Actor | None,
    contest: Contest,
    stream: IO[bytes],
    dry_run: bool = False,
    media_dir: Path | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Import participants and entries from a CSV or XLSX file: every line, or nothing if any line is wrong.

    ``actor`` is None for the command line, which the server's operator runs. ``media_dir``
    is where relative ``media`` paths start; without it the ``media`` column must stay empty.
    A dry run checks everything and counts what would change, then rolls back.
    """
    started = time.monotonic()
    if actor is not None:
        contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can import entries."))
    result = ImportResult(dry_run=dry_run)
    try:
        sheet = sheet_read(stream=stream, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    except ImportRefused as refused:
        result.errors.extend(refused.errors)
        result.seconds = time.monotonic() - started
        return result
    rows = sheet.rows
    result.errors.extend(sheet.errors)
    result.rows = len(rows) + len(sheet.errors)
    run = _Import(contest=contest, result=result, media_dir=media_dir, now=now or timezone.now())
    try:
        with transaction.atomic():
            # One import per contest at a time: two would race to create the same people.
            Contest.objects.select_for_update().only("pk").get(pk=contest.pk)
            run.load(rows)
            lines = run.check(rows)
            if result.ok:
                run.write(lines, dry_run=dry_run)
            if dry_run or not result.ok:
                transaction.set_rollback(True)
    except IntegrityError:
        result.errors.append(
            LineError(
                FILE_LINE, "", _("Someone changed the same data during the import; nothing was imported. Try again.")
            )
        )
    if not result.ok:
        run.forget_stored_files()
        _reset_counts(result)
    result.errors.sort(
        key=lambda error: (error.line, ALL_COLUMNS.index(error.column) if error.column in ALL_COLUMNS else -1)
    )
    result.seconds = time.monotonic() - started
    return result


def _reset_counts(result: ImportResult) -> None:
    """A refused file changes nothing, so it reports no changes."""
    for name in (
        "participants_created",
        "participants_existing",
        "entries_created",
        "entries_updated",
        "entries_unchanged",
        "universities_created",
        "platforms_created",
        "media_attached",
    ):
        setattr(result, name, 0)
    result.preview.clear()
