"""Checking the lines of an entries import before anything is written.

The look-ups (nominations, platforms, universities, people, entries) are loaded once into dictionaries;
each line is then checked against them and against the lines before it, and every problem is kept as a
:class:`~exchange.sheets.LineError`. Writing what passed is :mod:`exchange.entries_import`'s part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from config.exceptions import FileRefused
from contest.enums import Country, EntryStatus, Language
from contest.models import Contest, Entry, Nomination, Platform, University
from contest.names import name_key, names_lookup
from contest.people import people_find
from contest.validators import validate_http_url
from exchange.sheets import LineError, SheetRow
from media_pipeline.services import asset_check_upload

CODE_PATTERN = re.compile(r"^[A-Z0-9-]{1,12}$")

#: Country names in Russian and Kazakh, so that a file works before the catalogues are complete.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    Country.KZ: ("Kazakhstan", "Republic of Kazakhstan", "Казахстан", "Республика Казахстан", "Қазақстан"),
    Country.KG: ("Kyrgyzstan", "Kyrgyz Republic", "Кыргызстан", "Киргизия", "Кыргызская Республика", "Қырғызстан"),
    Country.UZ: ("Uzbekistan", "Узбекистан", "Өзбекстан"),
    Country.TJ: ("Tajikistan", "Таджикистан", "Тәжікстан"),
    Country.TM: ("Turkmenistan", "Туркменистан", "Түрікменстан"),
    Country.RU: ("Russia", "Russian Federation", "Россия", "Российская Федерация", "Ресей"),
    Country.AZ: ("Azerbaijan", "Азербайджан", "Әзірбайжан"),
    Country.MN: ("Mongolia", "Монголия", "Моңғолия"),
    Country.CN: ("China", "Китай", "Қытай"),
    Country.TR: ("Turkey", "Türkiye", "Турция", "Түркия"),
    Country.OTHER: ("Other", "Other country", "Другая страна", "Басқа ел"),
}


def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, names in COUNTRY_NAMES.items():
        lookup[name_key(code)] = code
        for name in names:
            lookup[name_key(name)] = code
    for language in (Language.EN, Language.RU, Language.KK):
        with translation.override(language):
            for choice in Country:
                lookup.setdefault(name_key(str(choice.label)), choice.value)
    return lookup


@dataclass
class ParticipantInFile:
    """A participant as the file describes them, gathered from all their lines."""

    email: str
    user: Any = None
    is_new: bool = False
    facts: dict[str, tuple[Any, int]] = field(default_factory=dict)  # column -> (value, line it came from)
    lines: list[int] = field(default_factory=list)
    #: The university as the file first wrote it: every entry of the participant in the file gets it.
    university_text: str = ""


@dataclass
class EntryLine:
    """One checked line of the file: the entry it creates or updates."""

    line: int
    participant: ParticipantInFile
    title: str
    description: str
    nomination: Nomination
    platform_keys: list[str]
    link: str
    status: str
    code: str
    entry: Entry | None
    media: Path | None
    platform_names: list[str]
    university: str


class EntriesCheck:
    """The look-ups of one import, loaded once, and the checks of its lines against them."""

    def __init__(self, *, contest: Contest, errors: list[LineError], media_dir: Path | None) -> None:
        self.contest = contest
        self.media_dir = media_dir
        self.errors = errors
        self.countries = _country_lookup()

    # Loading -----------------------------------------------------------------------------------

    def load(self, rows: Sequence[SheetRow]) -> None:
        self.nominations = names_lookup(self.contest.nominations.all())
        platforms = list(self.contest.platforms.all())
        self.platforms: dict[str, Platform] = names_lookup(platforms)
        self.platform_slugs = {p.slug for p in platforms}
        self.platform_order = max((p.order for p in platforms), default=0)
        universities = list(University.objects.all())
        self.universities: dict[str, University] = names_lookup(universities)
        self.university_slugs = {u.slug for u in universities}
        self.users: dict[str, Any] = people_find(row.cells["email"] for row in rows)
        codes = {row.cells.get("code", "").upper() for row in rows} - {""}
        entries = (
            Entry.objects.filter(contest=self.contest)
            .filter(Q(code__in=codes) | Q(author__in=[user.pk for user in self.users.values()]))
            .select_related("media")
            .prefetch_related("platforms")
            .order_by("created_at", "pk")
        )
        self.entries_by_code: dict[str, Entry] = {}
        self.entries_by_title: dict[tuple[int, str], Entry] = {}
        for entry in entries:
            self.entries_by_code[entry.code] = entry
            self.entries_by_title.setdefault((entry.author_id, name_key(entry.title)), entry)
        self.codes_taken = set(Entry.objects.filter(contest=self.contest).values_list("code", flat=True))

    # Checking ----------------------------------------------------------------------------------

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(LineError(line, column, message))

    def check(self, rows: Sequence[SheetRow]) -> list[EntryLine]:
        self.participants: dict[str, ParticipantInFile] = {}
        self.new_universities: dict[str, list[str]] = {}  # key -> [name as written, country]
        self.new_platforms: dict[str, str] = {}
        targets: dict[tuple[str, ...], int] = {}
        lines: list[EntryLine] = []
        for row in rows:
            error_count = len(self.errors)
            checked = self.check_row(row)
            if checked is None or len(self.errors) > error_count:
                continue
            target: tuple[str, ...]
            if checked.entry is not None:
                target = ("entry", str(checked.entry.pk))
            elif checked.code:
                target = ("code", checked.code)
            else:
                target = ("new", checked.participant.email.lower(), name_key(checked.title))
            if target in targets:
                self.error(
                    row.line,
                    "code" if checked.code else "title",
                    _("This line is the same entry as line %(line)d.") % {"line": targets[target]},
                )
                continue
            targets[target] = row.line
            if checked.code and checked.entry is None:
                # Reserved now, so that no code made up for another new entry takes it.
                self.codes_taken.add(checked.code)
            lines.append(checked)
        self.check_new_participants()
        return lines

    def check_row(self, row: SheetRow) -> EntryLine | None:
        cells, line = row.cells, row.line
        participant = self.check_participant(line, cells)
        title = " ".join(cells["title"].split())
        if not title:
            self.error(line, "title", _("The title is empty."))
        elif len(title) > 255:
            self.error(line, "title", _("The title is longer than 255 characters."))
        nomination = self.check_nomination(line, cells["nomination"])
        platform_keys, platform_names = self.check_platforms(line, cells["platforms"])
        link = cells["link"]
        if link:
            try:
                validate_http_url(link)
            except ValidationError as error:
                self.error(line, "link", " ".join(str(m) for m in error.messages))
            if len(link) > 500:
                self.error(line, "link", _("The link is longer than 500 characters."))
        status = (cells.get("status") or EntryStatus.SUBMITTED).lower()
        if status not in EntryStatus.values:
            self.error(
                line,
                "status",
                _("Unknown status “%(status)s”; use one of: %(allowed)s.")
                % {"status": cells["status"], "allowed": ", ".join(EntryStatus.values)},
            )
        code = cells.get("code", "").upper()
        if code and not CODE_PATTERN.match(code):
            self.error(line, "code", _("A code has 1 to 12 Latin letters, digits or dashes."))
        media = self.check_media(line, cells.get("media", ""))
        if participant is None or nomination is None:
            return None
        entry = self.find_entry(line, participant, code, title)
        return EntryLine(
            line=line,
            participant=participant,
            title=title,
            description=cells["description"],
            nomination=nomination,
            platform_keys=platform_keys,
            link=link,
            status=status,
            code=code,
            entry=entry,
            media=media,
            platform_names=platform_names,
            university=cells["university"],
        )

    def check_participant(self, line: int, cells: dict[str, str]) -> ParticipantInFile | None:
        email = cells["email"]
        if not email:
            self.error(line, "email", _("The e-mail is empty."))
            return None
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            self.error(line, "email", _("“%(email)s” is not an e-mail address.") % {"email": email})
            return None
        email_key = email.lower()
        participant = self.participants.get(email_key)
        if participant is None:
            participant = ParticipantInFile(email=email, user=self.users.get(email_key))
            self.participants[email_key] = participant
        participant.lines.append(line)
        facts: dict[str, Any] = {}
        full_name = " ".join(cells["full_name"].split())
        if len(full_name) > 255:
            self.error(line, "full_name", _("The full name is longer than 255 characters."))
        elif full_name:
            facts["full_name"] = full_name
        programme = " ".join(cells["programme"].split())
        if len(programme) > 255:
            self.error(line, "programme", _("The study programme is longer than 255 characters."))
        elif programme:
            facts["programme"] = programme
        country = cells["country"]
        if country:
            code = self.countries.get(name_key(country))
            if code is None:
                self.error(
                    line,
                    "country",
                    _("Unknown country “%(country)s”: write a two-letter code such as KZ or KG, or the country's name.")
                    % {"country": country},
                )
            else:
                facts["country"] = code
        university = " ".join(cells["university"].split())
        if len(university) > 255:
            self.error(line, "university", _("The university's name is longer than 255 characters."))
        elif university:
            facts["university"] = name_key(university)
            participant.university_text = participant.university_text or university
            if facts["university"] not in self.universities:
                new = self.new_universities.setdefault(facts["university"], [university, ""])
                # A new university is in the country of the first participant who names one.
                new[1] = new[1] or facts.get("country", "")
        for column, value in facts.items():
            known = participant.facts.get(column)
            if known is None:
                participant.facts[column] = (value, line)
            elif known[0] != value:
                self.error(
                    line,
                    column,
                    _("This differs from line %(line)d for the same e-mail.") % {"line": known[1]},
                )
        return participant

    def check_new_participants(self) -> None:
        for participant in self.participants.values():
            if participant.user is None and "full_name" not in participant.facts:
                self.error(participant.lines[0], "full_name", _("A new participant needs a full name."))

    def check_nomination(self, line: int, text: str) -> Nomination | None:
        if not text:
            self.error(line, "nomination", _("The nomination is empty."))
            return None
        nomination = self.nominations.get(name_key(text))
        if nomination is None:
            known = sorted({n.slug for n in self.nominations.values()})
            self.error(
                line,
                "nomination",
                _("Unknown nomination “%(name)s”; this contest has: %(known)s.")
                % {"name": text, "known": ", ".join(known) or "—"},
            )
        return nomination

    def check_platforms(self, line: int, text: str) -> tuple[list[str], list[str]]:
        keys: list[str] = []
        names: list[str] = []
        for part in text.split(";"):
            name = " ".join(part.split())
            if not name or name_key(name) in keys:
                continue
            if len(name) > 120:
                self.error(line, "platforms", _("A platform's name is longer than 120 characters."))
                continue
            key = name_key(name)
            keys.append(key)
            known = self.platforms.get(key)
            names.append(known.name if known else name)
            if known is None:
                self.new_platforms.setdefault(key, name)
        if not keys:
            self.error(line, "platforms", _("Name at least one platform (several are separated by semicolons)."))
        return keys, names

    def check_media(self, line: int, text: str) -> Path | None:
        if not text:
            return None
        if self.media_dir is None:
            self.error(line, "media", _("Files can only be attached by the import command on the server."))
            return None
        path = (self.media_dir / Path(text).expanduser()).resolve()
        if not path.is_file():
            self.error(line, "media", _("There is no file at %(path)s.") % {"path": text})
            return None
        try:
            with path.open("rb") as stream:
                asset_check_upload(entry=Entry(contest=self.contest), stream=stream, size=path.stat().st_size)
        except FileRefused as refused:
            self.error(line, "media", str(refused))
            return None
        except OSError as error:
            self.error(line, "media", _("The file cannot be read: %(reason)s") % {"reason": error.strerror or error})
            return None
        return path

    def find_entry(self, line: int, participant: ParticipantInFile, code: str, title: str) -> Entry | None:
        user = participant.user
        if code:
            entry = self.entries_by_code.get(code)
            if entry is not None and (user is None or entry.author_id != user.pk):
                self.error(line, "code", _("The entry %(code)s belongs to another participant.") % {"code": code})
                return None
            return entry
        if user is None:
            return None
        return self.entries_by_title.get((user.pk, name_key(title)))
