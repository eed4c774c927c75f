"""Reading a spreadsheet (CSV or XLSX) that an organiser imports, into lines keyed by the caller's columns.

Every import reads its file here: the kind of file is decided by its content, not its name; the size,
the number of lines and a workbook's zip directory are bounded before anything is parsed; the header
must name the required columns and only known ones. What cannot be read is reported line by line
(:class:`LineError`), so that the organiser can fix every problem at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from contest.archives import ArchiveLimits, ArchiveRefused, archive_check_bytes

#: A spreadsheet of a few thousand lines is a few megabytes; anything far larger is a mistake.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
#: What the zip directory of an imported workbook may declare: openpyxl inflates its parts itself.
WORKBOOK_ARCHIVE = ArchiveLimits(
    max_members=1000, max_total=200 * 1024 * 1024, max_member=100 * 1024 * 1024, max_ratio=100
)
#: The lines an import's preview shows.
PREVIEW_ROWS = 20
#: How a workbook (a zip archive) and an old Excel file begin.
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
#: The line of an error about the whole file, and the header's line.
FILE_LINE = 0
HEADER_LINE = 1


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


def sheet_read(*, stream: IO[bytes], required: Sequence[str], optional: Sequence[str]) -> Sheet:
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
