"""Writing cells of the spreadsheets Baige hands out, so that no spreadsheet program runs one as a formula.

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
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: What a spreadsheet program runs as a formula when a text cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What Excel refuses in a sheet's title, and its longest title.
SHEET_TITLE_REFUSED = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LENGTH = 31


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
