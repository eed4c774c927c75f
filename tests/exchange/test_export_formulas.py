"""No cell of any export, CSV or XLSX, runs as a formula: names, titles, comments and statistics headers included."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from contest.models import Entry
from exchange.exports import EXPORTERS, export_table
from exchange.sheet_writers import Table, export_csv_lines, export_write_xlsx
from judging.models import Assignment
from judging.services.reviews import review_submit
from tests.factories import NominationFactory, PlatformFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

UNIVERSITY = '=HYPERLINK("http://x","y")'
TITLE = "+1+1"
NAME = "@SUM(A1)"
OTHER = "-2+3"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(contest):  # type: ignore[no-untyped-def]
    """An entry titled "+1+1" by "@SUM(A1)" of the university "=HYPERLINK(…)", on the platform "-2+3", reviewed."""
    university = UniversityFactory(name=UNIVERSITY, name_en=UNIVERSITY, name_ru=UNIVERSITY, name_kk=UNIVERSITY)
    contest.universities.add(university)
    platform = PlatformFactory(contest=contest, name=OTHER, name_en=OTHER)
    nomination = NominationFactory(contest=contest, name=OTHER, name_en=OTHER)
    entry = entry_from(contest, university, platforms=[platform], title=TITLE)
    Entry.objects.filter(pk=entry.pk).update(nomination=nomination, author_university=university)
    profile = entry.author.profile
    profile.full_name = NAME
    profile.save(update_fields=["full_name"])
    (criterion,) = criteria_for(contest, 5)
    juror = juror_in(contest, university, name=NAME)
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    review_submit(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 4}, comment=OTHER)
    return contest


#: The hostile texts each export carries.
CARRIED = {
    "assignments": {TITLE, OTHER, NAME, UNIVERSITY},
    "reviews": {TITLE, OTHER, NAME},
    "results": {TITLE, OTHER},
    "platform-stats": {OTHER},
    "entries": {TITLE, OTHER, NAME, UNIVERSITY},
}


def test_every_export_is_covered():
    assert set(CARRIED) == set(EXPORTERS)


@pytest.mark.parametrize("what", sorted(CARRIED))
def test_export_csv_quotes_text_that_looks_like_a_formula(hostile, what):
    text = "".join(export_csv_lines(export_table(actor=None, contest=hostile, what=what)))

    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert {"'" + hostile_text for hostile_text in CARRIED[what]} <= set(cells)
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []


def xlsx_cells(contest, what, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / f"{what}.xlsx"
    export_write_xlsx(export_table(actor=None, contest=contest, what=what), str(path))
    workbook = openpyxl.load_workbook(path)
    return workbook, [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("what", sorted(CARRIED))
def test_export_xlsx_writes_text_that_looks_like_a_formula_as_text(hostile, what, tmp_path):
    _workbook, cells = xlsx_cells(hostile, what, tmp_path)

    hostile_cells = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)]
    assert CARRIED[what] <= {cell.value for cell in hostile_cells}
    assert {(cell.data_type, cell.quotePrefix) for cell in hostile_cells} == {("s", True)}
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []


def test_statistics_xlsx_headers_with_a_university_named_like_a_formula_stay_text(hostile, tmp_path):
    workbook, _cells = xlsx_cells(hostile, "platform-stats", tmp_path)

    platforms, nominations = workbook["Platforms"], workbook["Nominations"]
    assert [(cell.value, cell.data_type) for cell in platforms[1]] == [
        ("Platform", "s"),
        (f"{UNIVERSITY} (1)", "s"),
        ("Total (1)", "s"),
    ]
    assert [(cell.value, cell.data_type) for cell in nominations[1]] == [
        ("Nomination", "s"),
        (UNIVERSITY, "s"),
        ("Total", "s"),
    ]
    assert (nominations["A2"].value, nominations["A2"].data_type, nominations["B2"].value) == (OTHER, "s", 1)


def test_export_command_files_hold_no_formula(hostile, tmp_path):
    call_command("export", "--contest", hostile.slug, "--what", "entries", "--output", str(tmp_path / "e.csv"))
    call_command(
        "export",
        "--contest",
        hostile.slug,
        "--what",
        "entries",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "e.xlsx"),
    )

    rows = list(csv.reader(io.StringIO((tmp_path / "e.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][1:2] == ["'" + TITLE]
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    assert (sheet["B2"].value, sheet["B2"].data_type) == (TITLE, "s")


def test_export_numbers_stay_numbers_negative_ones_included(tmp_path):
    table = Table(header=["text", "int", "decimal"], rows=iter([["-2+3", -5, Decimal("-2.50")]]))
    assert "".join(export_csv_lines(table)) == "text,int,decimal\r\n'-2+3,-5,-2.50\r\n"

    table = Table(header=["text", "int", "decimal"], rows=iter([["-2+3", -5, Decimal("-2.50")]]))
    path = tmp_path / "numbers.xlsx"
    export_write_xlsx(table, str(path))
    row = openpyxl.load_workbook(path).active[2]
    assert [(cell.value, cell.data_type) for cell in row] == [("-2+3", "s"), (-5, "n"), (-2.5, "n")]
