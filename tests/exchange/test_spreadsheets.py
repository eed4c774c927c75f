"""The cells of every spreadsheet Baige writes: text that looks like a formula stays text, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook

from exchange.entries_import import import_template_csv
from exchange.jurors_import import jurors_template_csv
from exchange.sheet_writers import csv_cell, csv_writer, xlsx_cell, xlsx_row, xlsx_sheet_title

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_of_text_that_looks_like_a_formula_gets_a_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Fractions with Wordwall", "a=b", "", None, 0, -5, Decimal("-2.50"), 1.5])
def test_csv_cell_of_anything_else_is_kept(value):
    assert csv_cell(value) == value


def test_csv_writer_escapes_every_row_the_header_included():
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    writer.writerow(['=HYPERLINK("http://x","y") count', "total"])
    writer.writerows([["+1+1", -5], ["@SUM(A1)", Decimal("-2.50")]])

    assert buffer.getvalue() == ('"\'=HYPERLINK(""http://x"",""y"") count",total\r\n\'+1+1,-5\r\n\'@SUM(A1),-2.50\r\n')
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ['\'=HYPERLINK("http://x","y") count', "total"],
        ["'+1+1", "-5"],
        ["'@SUM(A1)", "-2.50"],
    ]


def test_xlsx_cells_keep_text_as_text_and_numbers_as_numbers(tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=xlsx_sheet_title('=HYPERLINK("http://x","y")'))
    sheet.append(xlsx_row(sheet, ['=HYPERLINK("http://x","y")', "+1+1"], bold=True))
    sheet.append(xlsx_row(sheet, ["@SUM(A1)", "-2+3", -5, Decimal("-2.50"), "plain", None]))
    sheet.append([xlsx_cell(sheet, Decimal("-2.50"), number_format="0.00"), xlsx_cell(sheet, "=1", number_format="0")])
    path = tmp_path / "cells.xlsx"
    workbook.save(path)

    loaded = openpyxl.load_workbook(path)
    assert loaded.sheetnames == ['HYPERLINK("httpx","y")']
    cells = [[(cell.value, cell.data_type) for cell in row] for row in loaded.active.iter_rows(max_col=6)]
    assert cells == [
        [('=HYPERLINK("http://x","y")', "s"), ("+1+1", "s")] + [(None, "n")] * 4,
        [("@SUM(A1)", "s"), ("-2+3", "s"), (-5, "n"), (-2.5, "n"), ("plain", "s"), (None, "n")],
        [(-2.5, "n"), ("=1", "s")] + [(None, "n")] * 4,
    ]
    # Excel's quote prefix: editing a cell later keeps it text.
    assert [cell.quotePrefix for cell in loaded.active[2][:5]] == [True, True, False, False, False]
    assert loaded.active["A1"].font.b is True
    assert loaded.active["A3"].number_format == "0.00"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Platforms", "Platforms"),
        ("=SUM(A1)", "SUM(A1)"),
        ("'+Quoted'", "Quoted"),
        ("a/b\\c*d?e:f[g]h", "abcdefgh"),
        ("x" * 40, "x" * 31),
        ("=[]", "Sheet"),
    ],
)
def test_xlsx_sheet_title_is_one_excel_takes(title, expected):
    assert xlsx_sheet_title(title) == expected


def test_import_templates_are_written_by_the_formula_safe_writer():
    assert import_template_csv().splitlines()[0].startswith("email,full_name,")
    assert jurors_template_csv() == (
        "email,full_name,university,languages,max_load\r\n"
        "juror@example.org,Aigerim Sadykova,Taraz University,kk;ru,20\r\n"
    )
