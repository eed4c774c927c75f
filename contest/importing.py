"""Bulk import of participants and their entries from a spreadsheet (CSV or XLSX).

Every line is checked before anything is written, and the whole import runs in one
transaction: a file with a single bad line imports nothing and names every bad line.
Look-ups are loaded once into dictionaries and rows are written with bulk queries,
so the number of queries does not grow with the number of lines (attaching media
files is the exception: each file is stored on its own).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, FileRefused, NotAllowed
from contest.archives import ArchiveLimits, ArchiveRefused, archive_check_bytes
from contest.enums import Country, EntryStatus, Language
from contest.models import Contest, Entry, Nomination, Platform, University, new_entry_code
from contest.people import NewPerson, people_create, people_find
from contest.services import Actor
from contest.signals import entries_status_changed
from contest.slugs import unique_slug
from contest.spreadsheets import csv_writer
from contest.validators import validate_http_url
from media_pipeline.models import MediaAsset
from media_pipeline.services import asset_check_upload, asset_store_imported, file_sha256

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
#: A spreadsheet of a few thousand lines is a few megabytes; anything far larger is a mistake.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
#: What the zip directory of an imported workbook may declare: openpyxl inflates its parts itself.
WORKBOOK_ARCHIVE = ArchiveLimits(
    max_members=1000, max_total=200 * 1024 * 1024, max_member=100 * 1024 * 1024, max_ratio=100
)
PREVIEW_ROWS = 20
CODE_PATTERN = re.compile(r"^[A-Z0-9-]{1,12}$")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
FILE_LINE = 0
HEADER_LINE = 1

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
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class LineError:
    """One problem in the file: the spreadsheet line (1 is the header, 0 the whole file), the column, the reason."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == FILE_LINE:
            return self.message
        if self.column:
            return _("Line %(line)d, %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


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
class SheetImportResult:
    """What an import of a spreadsheet did (or, in a dry run, would do): its lines, time and problems."""

    dry_run: bool
    rows: int = 0
    seconds: float = 0.0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


class ImportRefused(BaigeError):
    """The file cannot be read as a table of the expected columns."""

    code = "import_refused"

    def __init__(self, errors: Sequence[LineError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class SheetRow:
    """One data line of the file: its spreadsheet line number and its cells by column name."""

    line: int
    cells: dict[str, str]


@dataclass
class Sheet:
    """The data lines of a file, and the lines that could not be split into the known columns."""

    rows: list[SheetRow]
    errors: list[LineError]


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


def sheet_read(
    *, stream: IO[bytes], required: Sequence[str] = REQUIRED_COLUMNS, optional: Sequence[str] = OPTIONAL_COLUMNS
) -> Sheet:
    """Read a CSV or XLSX file (decided by its content) into rows keyed by the known column names."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            [
                LineError(
                    FILE_LINE, "", _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_FILE_BYTES)}
                )
            ]
        )
    if not data.strip():
        raise ImportRefused([LineError(FILE_LINE, "", _("The file is empty."))])
    if data.startswith(XLS_MAGIC):
        raise ImportRefused(
            [LineError(FILE_LINE, "", _("Old Excel files (.xls) are not read: save the file as XLSX or CSV UTF-8."))]
        )
    table = _xlsx_table(data) if data.startswith(XLSX_MAGIC) else _csv_table(data)
    return _rows_from_table(table, required=required, optional=optional)


def _csv_table(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            [LineError(FILE_LINE, "", _("The file is not UTF-8 text: save it as “CSV UTF-8” or as XLSX."))]
        ) from None
    first_line = text.split("\n", 1)[0]
    # The header names hold no commas or semicolons, so the header alone shows the delimiter.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportRefused(
            [LineError(FILE_LINE, "", _("The file is not a valid CSV table: %(reason)s") % {"reason": error})]
        ) from None


def _xlsx_table(data: bytes) -> Iterator[list[str]]:
    _check_workbook_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken or foreign zip file
        raise ImportRefused(
            [LineError(FILE_LINE, "", _("The file is neither a CSV table nor an XLSX workbook."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _check_workbook_archive(data: bytes) -> None:
    """Refuse a workbook whose zip directory declares more than a table needs, before openpyxl inflates it."""
    try:
        archive_check_bytes(data, WORKBOOK_ARCHIVE)
    except ArchiveRefused as refused:
        message = (
            _("The workbook unpacks into far more data than a table needs. Save it again as XLSX or CSV UTF-8.")
            if refused.code == "too_big"
            else _("The file is neither a CSV table nor an XLSX workbook.")
        )
        raise ImportRefused([LineError(FILE_LINE, "", message)]) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _rows_from_table(table: Iterable[list[str]], *, required: Sequence[str], optional: Sequence[str]) -> Sheet:
    iterator = iter(table)
    header = next(iterator, [])
    columns = _check_header(header, required=required, optional=optional)
    rows: list[SheetRow] = []
    errors: list[LineError] = []
    for line, cells in enumerate(iterator, start=HEADER_LINE + 1):
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[len(columns) :]):
            errors.append(LineError(line, "", _("This line has more cells than the header has columns.")))
            continue
        padded = [*cells, *[""] * (len(columns) - len(cells))]
        rows.append(SheetRow(line=line, cells={name: padded[i].strip() for i, name in enumerate(columns)}))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(
                [LineError(FILE_LINE, "", _("The file has more than %(count)d lines; split it.") % {"count": MAX_ROWS})]
            )
    if not rows and not errors:
        raise ImportRefused([LineError(FILE_LINE, "", _("The file has a header but no lines to import."))])
    return Sheet(rows=rows, errors=errors)


def _check_header(header: list[str], *, required: Sequence[str], optional: Sequence[str]) -> list[str]:
    known = (*required, *optional)
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    errors: list[LineError] = []
    for position, name in enumerate(names, start=1):
        if not name:
            errors.append(LineError(HEADER_LINE, f"#{position}", _("This column has no name.")))
    unknown = [name for name in names if name and name not in known]
    if unknown:
        errors.append(
            LineError(
                HEADER_LINE,
                ", ".join(unknown),
                _("Unknown columns: %(unknown)s. The columns are: %(expected)s.")
                % {"unknown": ", ".join(unknown), "expected": ", ".join(known)},
            )
        )
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(LineError(HEADER_LINE, name, _("This column appears more than once.")))
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        errors.append(
            LineError(
                HEADER_LINE,
                ", ".join(missing),
                _("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)},
            )
        )
    if errors:
        raise ImportRefused(errors)
    return names


def _key(text: str) -> str:
    """How names are compared: case, and runs of spaces, do not matter."""
    return " ".join(text.split()).casefold()


def _text_language(text: str) -> str:
    """The likely language of a name typed in the file, so it lands in the matching translation."""
    lowered = text.lower()
    if any(letter in KAZAKH_LETTERS for letter in lowered):
        return Language.KK
    if CYRILLIC.search(lowered):
        return Language.RU
    return Language.EN


def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, names in COUNTRY_NAMES.items():
        lookup[_key(code)] = code
        for name in names:
            lookup[_key(name)] = code
    for language in (Language.EN, Language.RU, Language.KK):
        with translation.override(language):
            for choice in Country:
                lookup.setdefault(_key(str(choice.label)), choice.value)
    return lookup


def _names_lookup(objects: Iterable[Any]) -> dict[str, Any]:
    """Objects by every spelling a file may use: slug and the name in each language."""
    lookup: dict[str, Any] = {}
    for obj in objects:
        for spelling in (obj.slug, obj.name_kk, obj.name_ru, obj.name_en, obj.name):
            if spelling:
                lookup.setdefault(_key(spelling), obj)
    return lookup


@dataclass
class _Participant:
    email: str
    user: Any = None
    is_new: bool = False
    facts: dict[str, tuple[Any, int]] = field(default_factory=dict)  # column -> (value, line it came from)
    lines: list[int] = field(default_factory=list)
    #: The university as the file first wrote it: every entry of the participant in the file gets it.
    university_text: str = ""


@dataclass
class _Line:
    line: int
    participant: _Participant
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


class _Import:
    """One run of the import: look-ups loaded once, then every line checked, then bulk writes."""

    def __init__(self, *, contest: Contest, result: ImportResult, media_dir: Path | None, now: datetime) -> None:
        self.contest = contest
        self.result = result
        self.media_dir = media_dir
        self.now = now
        self.errors = result.errors
        self.countries = _country_lookup()
        self.stored_assets: list[MediaAsset] = []

    # Loading -----------------------------------------------------------------------------------

    def load(self, rows: Sequence[SheetRow]) -> None:
        self.nominations = _names_lookup(self.contest.nominations.all())
        platforms = list(self.contest.platforms.all())
        self.platforms: dict[str, Platform] = _names_lookup(platforms)
        self.platform_slugs = {p.slug for p in platforms}
        self.platform_order = max((p.order for p in platforms), default=0)
        universities = list(University.objects.all())
        self.universities: dict[str, University] = _names_lookup(universities)
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
            self.entries_by_title.setdefault((entry.author_id, _key(entry.title)), entry)
        self.codes_taken = set(Entry.objects.filter(contest=self.contest).values_list("code", flat=True))

    # Checking ----------------------------------------------------------------------------------

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(LineError(line, column, message))

    def check(self, rows: Sequence[SheetRow]) -> list[_Line]:
        self.participants: dict[str, _Participant] = {}
        self.new_universities: dict[str, list[str]] = {}  # key -> [name as written, country]
        self.new_platforms: dict[str, str] = {}
        targets: dict[tuple[str, ...], int] = {}
        lines: list[_Line] = []
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
                target = ("new", checked.participant.email.lower(), _key(checked.title))
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

    def check_row(self, row: SheetRow) -> _Line | None:
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
        return _Line(
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

    def check_participant(self, line: int, cells: dict[str, str]) -> _Participant | None:
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
            participant = _Participant(email=email, user=self.users.get(email_key))
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
            code = self.countries.get(_key(country))
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
            facts["university"] = _key(university)
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
        nomination = self.nominations.get(_key(text))
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
            if not name or _key(name) in keys:
                continue
            if len(name) > 120:
                self.error(line, "platforms", _("A platform's name is longer than 120 characters."))
                continue
            key = _key(name)
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

    def find_entry(self, line: int, participant: _Participant, code: str, title: str) -> Entry | None:
        user = participant.user
        if code:
            entry = self.entries_by_code.get(code)
            if entry is not None and (user is None or entry.author_id != user.pk):
                self.error(line, "code", _("The entry %(code)s belongs to another participant.") % {"code": code})
                return None
            return entry
        if user is None:
            return None
        return self.entries_by_title.get((user.pk, _key(title)))

    # Writing -----------------------------------------------------------------------------------

    def write(self, lines: Sequence[_Line], *, dry_run: bool) -> None:
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
        Platform.objects.bulk_create(created)
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
        self, lines: Sequence[_Line], platforms: dict[str, Platform], universities: dict[str, University]
    ) -> None:
        through = Entry.platforms.through
        new_entries: list[Entry] = []
        changed_entries: list[Entry] = []
        links: list[tuple[Entry, list[Platform]]] = []
        relinked: list[int] = []
        fields = ["title", "description", "nomination", "live_url", "status", "submitted_at", "author_university"]
        # nomination_id, not nomination: reading the object would cost a query per line.
        compared = [field.attname for field in Entry._meta.concrete_fields if field.name in fields]
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
                changed = before != [getattr(entry, name) for name in compared]
                if {p.pk for p in entry.platforms.all()} != {p.pk for p in chosen}:
                    relinked.append(entry.pk)
                    links.append((entry, chosen))
                    changed = True
                if changed:
                    # bulk_update() does not touch auto_now fields by itself.
                    entry.updated_at = self.now
                    changed_entries.append(entry)
                action = "update" if changed else "unchanged"
            self.count(item, action)
        Entry.objects.bulk_create(new_entries)
        Entry.objects.bulk_update(changed_entries, [*fields, "updated_at"])
        through.objects.filter(entry_id__in=relinked).delete()
        through.objects.bulk_create(
            through(entry_id=entry.pk, platform_id=platform.pk) for entry, chosen in links for platform in chosen
        )
        # The rounds that follow submissions take the imported entries (judging listens).
        entries_status_changed.send(sender=Entry, entry_ids=[entry.pk for entry in (*new_entries, *changed_entries)])

    def count(self, item: _Line, action: str) -> None:
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

    def write_media(self, lines: Sequence[_Line], *, dry_run: bool) -> None:
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
    if actor is not None and not actor.has_perm("contest.manage_contest", contest):
        raise NotAllowed(_("Only the contest's organisers can import entries."))
    result = ImportResult(dry_run=dry_run)
    try:
        sheet = sheet_read(stream=stream)
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
