"""Writing the spreadsheets Baige hands out, so that no spreadsheet program runs a cell as a formula.

Every CSV and XLSX file Baige writes (exports, statistics, import templates) goes through this module.
Their cells hold text typed by participants, jurors and organisers (titles, names, universities);
a spreadsheet program opening the file would run text such as ``=HYPERLINK("http://x","y")``,
``+1+1``, ``-2+3`` or ``@SUM(A1)`` as a formula (OWASP "CSV injection"). So, by kind of file:

- CSV: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
  leading ``'``, which spreadsheet programs show as text and do not run;
- XLSX: every text is a string cell (openpyxl makes a formula of text starting with ``=``
  otherwise), and text that looks like a formula also gets Excel's "quote prefix", so that editing
  the cell later keeps it text; sheet titles lose what Excel refuses in them.

Numbers stay numbers in both: only text is ever changed.

A :class:`Table` (a header and rows read lazily) is written as CSV or JSON in pieces, for streaming, or as
an XLSX workbook row by row; its formatted sheets, when it has some, are what the workbook holds instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: What a spreadsheet program runs as a formula when a text cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What Excel refuses in a sheet's title, and its longest title.
SHEET_TITLE_REFUSED = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LENGTH = 31
#: Characters of CSV sent at a time while streaming.
CSV_PIECE = 64 * 1024
#: The widest column of a formatted sheet, in characters.
WIDEST_COLUMN = 60


def looks_like_formula(value: object) -> bool:
    """Whether ``value`` is text that a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell: text that looks like a formula gets a leading ``'``; anything else is kept."""
    if looks_like_formula(value):
        return "'" + value
    return value


class CsvWriter:
    """A :func:`csv.writer` whose every cell, the header's included, goes through :func:`csv_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> CsvWriter:
    """A CSV writer on ``stream`` (``options`` as :func:`csv.writer` takes them) that never writes a formula."""
    return CsvWriter(stream, **options)


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, number_format: str | None = None) -> Any:
    """``value`` as a cell of a write-only ``sheet``: text always a string cell, numbers numbers.

    A plain value is returned where openpyxl writes it as it is (numbers, empty cells, ordinary text
    without a style), so that large exports do not build a cell object per value.
    """
    if isinstance(value, Decimal):
        value = float(value) if number_format is not None else value
    if isinstance(value, str):
        # XML cannot hold control characters; openpyxl refuses them rather than dropping them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        formula_like = looks_like_formula(value)
        if not (formula_like or bold or number_format):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl makes a formula of text starting with "="; a string cell is shown as it is.
        cell.data_type = "s"
        if formula_like:
            cell.quotePrefix = True
    elif bold or number_format is not None:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
    else:
        return value
    if bold:
        cell.font = Font(bold=True)
    if number_format is not None and not isinstance(value, str):
        cell.number_format = number_format
    return cell


def xlsx_row(sheet: WriteOnlyWorksheet, row: Iterable[Any], *, bold: bool = False) -> list[Any]:
    """A row of :func:`xlsx_cell`\\ s, ready for ``sheet.append``."""
    return [xlsx_cell(sheet, value, bold=bold) for value in row]


def xlsx_sheet_title(title: str) -> str:
    """``title`` as Excel takes a sheet's title: without ``\\ / * ? : [ ]``, control characters or a leading quote."""
    title = SHEET_TITLE_REFUSED.sub("", ILLEGAL_CHARACTERS_RE.sub("", title))
    title = title.lstrip("'" + "".join(FORMULA_STARTS)).strip()[:SHEET_TITLE_LENGTH].rstrip("'").strip()
    return title or "Sheet"


#: What a cell of an export holds.
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Sheet:
    """A sheet of a workbook formatted for people: a bold header, set widths, number formats by column."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    number_formats: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """An export's column names and its rows, read lazily.

    ``sheets``, when given, are what an XLSX workbook holds instead of the rows; ``document``, when
    given, is what JSON holds instead of one object per row.
    """

    header: list[str]
    rows: Iterator[Sequence[Cell]]
    sheets: tuple[Sheet, ...] = ()
    document: dict[str, Any] | None = None


def export_csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, in pieces of a few tens of kilobytes, for streaming; no cell is a formula."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(row)
        if buffer.tell() >= CSV_PIECE:
            yield _flush(buffer)
    yield _flush(buffer)


def _flush(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def export_write_csv(table: Table, stream: IO[str]) -> None:
    """Write the table as CSV to a text stream."""
    for line in export_csv_lines(table):
        stream.write(line)


def _xlsx_formatted(workbook: Workbook, formatted: Sheet) -> None:
    sheet = workbook.create_sheet(title=xlsx_sheet_title(formatted.title))
    texts = [formatted.header, *([str(value) if value is not None else "" for value in row] for row in formatted.rows)]
    for index in range(len(formatted.header)):
        widest = max(len(row[index]) for row in texts if index < len(row))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 2, WIDEST_COLUMN)
    sheet.freeze_panes = "B2"
    sheet.append(xlsx_row(sheet, formatted.header, bold=True))
    for row in formatted.rows:
        sheet.append(
            [
                xlsx_cell(sheet, value, number_format=formatted.number_formats.get(index))
                for index, value in enumerate(row)
            ]
        )


def export_write_xlsx(table: Table, target: IO[bytes] | str) -> None:
    """Write the table as an XLSX workbook, row by row (openpyxl's write-only mode); no cell is a formula.

    One sheet of the rows, or the table's formatted sheets when it has some.
    """
    workbook = Workbook(write_only=True)
    if table.sheets:
        for formatted in table.sheets:
            _xlsx_formatted(workbook, formatted)
        workbook.save(target)
        return
    sheet = workbook.create_sheet(title="export")
    sheet.append(xlsx_row(sheet, table.header))
    for row in table.rows:
        sheet.append(xlsx_row(sheet, row))
    workbook.save(target)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        # A number in JSON; float keeps the shortest text, so Decimal("23.1") is written 23.1.
        return float(value)
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def export_json_pieces(table: Table) -> Iterator[str]:
    """The table as JSON text, in pieces, for streaming.

    The table's document when it has one, else a list of one object per row keyed by the column names.
    """
    if table.document is not None:
        yield json.dumps(table.document, ensure_ascii=False, indent=2, default=_json_value) + "\n"
        return
    buffer = io.StringIO()
    buffer.write("[")
    separator = "\n"
    for row in table.rows:
        buffer.write(separator)
        buffer.write(json.dumps(dict(zip(table.header, row, strict=True)), ensure_ascii=False, default=_json_value))
        separator = ",\n"
        if buffer.tell() >= CSV_PIECE:
            yield _flush(buffer)
    buffer.write("\n]\n")
    yield _flush(buffer)


def export_write_json(table: Table, stream: IO[str]) -> None:
    """Write the table as JSON to a text stream."""
    for piece in export_json_pieces(table):
        stream.write(piece)
