import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from contest.enums import EntryStatus, Role
from contest.models import Entry
from exchange.exports import EXPORTERS, export_table
from exchange.sheet_writers import export_csv_lines, export_json_pieces, export_write_xlsx
from judging.models import Assignment, Round
from judging.services.results import SpecialAwardData, results_finalise
from judging.services.reviews import review_save_draft, review_submit
from judging.services.rounds import round_close
from judging.statistics import platform_scores, platform_winners
from media_pipeline.enums import AssetStatus
from tests.contest.test_statistics import statistics_contest
from tests.factories import ContestFactory, ContestRoleFactory, MediaAssetFactory, PlatformFactory
from tests.judging import criteria_for, juror_in, round_of

SUBMITTED_AT = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def counted(contest):  # type: ignore[no-untyped-def]
    """The contest of the statistics tests, with codes from the titles, a fixed time and one media file."""
    statistics_contest(contest)
    for entry in Entry.objects.filter(contest=contest):
        submitted_at = SUBMITTED_AT if entry.status != EntryStatus.DRAFT else None
        code = entry.title.replace(" ", "").upper()
        Entry.objects.filter(pk=entry.pk).update(code=code, submitted_at=submitted_at)
    Entry.objects.filter(contest=contest, code="A3GAME").update(other_platform="Kahoot")
    first = Entry.objects.get(contest=contest, code="A1QUIZ")
    first.media = MediaAssetFactory(entry=first, status=AssetStatus.READY)
    first.save(update_fields=["media"])
    return contest


def entry(contest, code):  # type: ignore[no-untyped-def]
    return Entry.objects.get(contest=contest, code=code)


@pytest.fixture
def scored(counted):  # type: ignore[no-untyped-def]
    """Round 1: A1QUIZ scored 100 and 25 (mean 62.5), C1QUIZ scored 70 and a draft that does not count."""
    c1, c2 = criteria_for(counted, 5, 10)
    a1, cq = entry(counted, "A1QUIZ"), entry(counted, "C1QUIZ")
    dana, erlan = juror_in(counted, name="Dana"), juror_in(counted, name="Erlan")
    first = round_of(counted, [a1, cq], [dana, erlan])
    for juror in (dana, erlan):
        for each in (a1, cq):
            Assignment.objects.create(round=first, juror=juror, entry=each)
    review_submit(actor=dana.user, round=first, entry=a1, scores={c1.pk: 5, c2.pk: 10}, now=SUBMITTED_AT)
    review_submit(actor=erlan.user, round=first, entry=a1, scores={c1.pk: 0, c2.pk: 5}, now=SUBMITTED_AT)
    review_submit(actor=dana.user, round=first, entry=cq, scores={c1.pk: 4, c2.pk: 6}, now=SUBMITTED_AT)
    review_save_draft(actor=erlan.user, round=first, entry=cq, scores={c1.pk: 0, c2.pk: 0}, now=SUBMITTED_AT)
    return first


@pytest.fixture
def awarded(counted, scored):  # type: ignore[no-untyped-def]
    """Round 1 finalised: C1QUIZ (Wordwall, Genially) first, A1QUIZ (Wordwall, Canva) second and Jury's choice."""
    organiser = ContestRoleFactory(contest=counted, role=Role.ORGANISER).user
    # Some of the contest's submitted entries are in no round: the organiser goes on knowingly.
    round_close(actor=organiser, round=scored, confirm_unjudged=True)
    scored.refresh_from_db()
    choice = SpecialAwardData(entry_code="A1QUIZ", name_en="Jury's choice")
    results_finalise(actor=organiser, round=scored, special_awards=[choice], confirm_unjudged=True)
    return organiser


def final_round(contest, organiser, codes_and_scores):  # type: ignore[no-untyped-def]
    """Round 2 with these entries scored by one juror, closed and finalised."""
    criteria = list(contest.rubric.criteria.order_by("order"))
    juror = juror_in(contest)
    entries = [entry(contest, code) for code, _scores in codes_and_scores]
    second = round_of(contest, entries, [juror], number=2)
    for each, (_code, scores) in zip(entries, codes_and_scores, strict=True):
        Assignment.objects.create(round=second, juror=juror, entry=each)
        review_submit(
            actor=juror.user, round=second, entry=each, scores=dict(zip([c.pk for c in criteria], scores, strict=True))
        )
    round_close(actor=organiser, round=second, confirm_unjudged=True)
    results_finalise(actor=organiser, round=Round.objects.get(pk=second.pk), confirm_unjudged=True)


def text_of(contest, what, file_format="csv"):  # type: ignore[no-untyped-def]
    table = export_table(actor=None, contest=contest, what=what)
    pieces = export_json_pieces(table) if file_format == "json" else export_csv_lines(table)
    return "".join(pieces)


PLATFORM_STATS_CSV = (
    "platform,alpha count,alpha percent,beta count,beta percent,gamma count,gamma percent,"
    "no-university count,no-university percent,total count,total percent\r\n"
    "Wordwall,2,66.7,0,0.0,1,100.0,0,0.0,3,42.9\r\n"
    "Canva,1,33.3,1,50.0,0,0.0,1,100.0,3,42.9\r\n"
    "Genially,0,0.0,1,50.0,1,100.0,0,0.0,2,28.6\r\n"
    "Other,1,33.3,0,0.0,0,0.0,0,0.0,1,14.3\r\n"
    "Other: Kahoot,1,33.3,0,0.0,0,0.0,0,0.0,1,14.3\r\n"
)
TIME = "2030-03-05T14:00:00+05:00"
ENTRIES_CSV = (
    "code,title,status,nomination,platforms,other_platform,author,email,university,submitted_at,media_kind,"
    "media_status\r\n"
    f"A1QUIZ,A1 quiz,submitted,Best quiz,Wordwall; Canva,,A1,a1@example.org,Alpha University,{TIME},pdf,ready\r\n"
    f"A2GAME,A2 game,submitted,Best game,Wordwall,,A2,a2@example.org,Alpha University,{TIME},,\r\n"
    f"A2QUIZ,A2 quiz,submitted,Best quiz,Wordwall,,A2,a2@example.org,Alpha University,{TIME},,\r\n"
    f"A3GAME,A3 game,submitted,Best game,Other,Kahoot,A3,a3@example.org,Alpha University,{TIME},,\r\n"
    "A4DRAFT,A4 draft,draft,Best quiz,Canva,,A4,a4@example.org,Alpha University,,,\r\n"
    f"B1QUIZ,B1 quiz,submitted,Best quiz,Canva,,B1,b1@example.org,Beta University,{TIME},,\r\n"
    f"B2GAME,B2 game,submitted,Best game,Genially,,B2,b2@example.org,Beta University,{TIME},,\r\n"
    f"B2WITHDRAWN,B2 withdrawn,withdrawn,Best quiz,Wordwall,,B2,b2@example.org,Beta University,{TIME},,\r\n"
    f"C1QUIZ,C1 quiz,submitted,Best quiz,Wordwall; Genially,,C1,c1@example.org,Gamma University,{TIME},,\r\n"
    "D1DRAFT,D1 draft,draft,Best game,Canva; Genially,,D1,d1@example.org,Delta University,,,\r\n"
    f"N1QUIZ,N1 quiz,submitted,Best quiz,Canva,,N1,n1@example.org,,{TIME},,\r\n"
)


def test_exporters_registered():  # type: ignore[no-untyped-def]
    assert [(name, EXPORTERS[name].by_round) for name in ("platform-stats", "entries")] == [
        ("platform-stats", False),
        ("entries", False),
    ]


def test_platform_stats_csv_exact(counted):  # type: ignore[no-untyped-def]
    assert text_of(counted, "platform-stats") == PLATFORM_STATS_CSV


def test_entries_csv_exact(counted):  # type: ignore[no-untyped-def]
    assert text_of(counted, "entries") == ENTRIES_CSV


def test_platform_scores_mean_of_entry_means(counted, scored):  # type: ignore[no-untyped-def]
    scores = platform_scores(round=scored)

    # A1QUIZ: T = 100 and 25, mean 62.5; C1QUIZ: T = 100 · (4/5 + 6/10) / 2 = 70, the draft left out.
    assert [(s.platform.name, s.entries, s.mean, s.lowest, s.highest) for s in scores] == [
        ("Wordwall", 2, Decimal("66.25"), Decimal("62.50"), Decimal("70.00")),
        ("Canva", 1, Decimal("62.50"), Decimal("62.50"), Decimal("62.50")),
        ("Genially", 1, Decimal("70.00"), Decimal("70.00"), Decimal("70.00")),
        ("Other", 0, None, None, None),
    ]


def test_platform_scores_leave_out_withdrawn_entries(counted, scored):  # type: ignore[no-untyped-def]
    Entry.objects.filter(contest=counted, code="C1QUIZ").update(status=EntryStatus.WITHDRAWN)

    scores = platform_scores(round=scored)

    assert [(s.platform.name, s.entries, s.mean) for s in scores] == [
        ("Wordwall", 1, Decimal("62.50")),
        ("Canva", 1, Decimal("62.50")),
        ("Genially", 0, None),
        ("Other", 0, None),
    ]


def test_platform_stats_xlsx_read_back(counted, scored, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "stats.xlsx"

    export_write_xlsx(export_table(actor=None, contest=counted, what="platform-stats"), str(path))

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Platforms", "Nominations", "Scores", "Winners"]
    sheets = {name: [list(row) for row in workbook[name].iter_rows(values_only=True)] for name in workbook.sheetnames}
    assert sheets["Platforms"] == [
        [
            "Platform",
            "Alpha University (3)",
            "Beta University (2)",
            "Gamma University (1)",
            "No university (1)",
            "Total (7)",
        ],
        ["Wordwall", "2 (66.7%)", "0 (0.0%)", "1 (100.0%)", "0 (0.0%)", "3 (42.9%)"],
        ["Canva", "1 (33.3%)", "1 (50.0%)", "0 (0.0%)", "1 (100.0%)", "3 (42.9%)"],
        ["Genially", "0 (0.0%)", "1 (50.0%)", "1 (100.0%)", "0 (0.0%)", "2 (28.6%)"],
        ["Other", "1 (33.3%)", "0 (0.0%)", "0 (0.0%)", "0 (0.0%)", "1 (14.3%)"],
        ["Other: Kahoot", "1 (33.3%)", "0 (0.0%)", "0 (0.0%)", "0 (0.0%)", "1 (14.3%)"],
    ]
    assert sheets["Nominations"] == [
        ["Nomination", "Alpha University", "Beta University", "Gamma University", "No university", "Total"],
        ["Best quiz", 2, 1, 1, 1, 5],
        ["Best game", 2, 1, 0, 0, 3],
        ["Total", 4, 2, 1, 1, 8],
    ]
    assert sheets["Scores"] == [
        ["Round", "Platform", "Entries scored", "Mean score", "Lowest", "Highest"],
        ["Round 1 · Round 1", "Wordwall", 2, 66.25, 62.5, 70],
        ["Round 1 · Round 1", "Canva", 1, 62.5, 62.5, 62.5],
        ["Round 1 · Round 1", "Genially", 1, 70, 70, 70],
        ["Round 1 · Round 1", "Other", 0, None, None, None],
    ]
    platforms, scores = workbook["Platforms"], workbook["Scores"]
    assert [cell.font.b for cell in platforms[1]] == [True] * 6
    assert [platforms.column_dimensions[letter].width for letter in "ABF"] == [15, 22, 11]
    assert [scores.cell(row=2, column=column).number_format for column in (3, 4, 5, 6)] == [
        "General",
        "0.00",
        "0.00",
        "0.00",
    ]


def test_platform_stats_xlsx_in_russian(counted, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "stats.xlsx"

    with translation.override("ru"):
        export_write_xlsx(export_table(actor=None, contest=counted, what="platform-stats"), str(path))

    row = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
    assert row == ("Wordwall", "2 (66,7%)", "0 (0,0%)", "1 (100,0%)", "0 (0,0%)", "3 (42,9%)")


def test_platform_stats_json_structure(counted, scored):  # type: ignore[no-untyped-def]
    document = json.loads(text_of(counted, "platform-stats", "json"))

    assert list(document) == ["contest", "columns", "platforms", "nominations", "scores", "winners"]
    assert document["contest"] == counted.slug
    assert document["columns"] == [
        {"key": "alpha", "name": "Alpha University", "participants": 3},
        {"key": "beta", "name": "Beta University", "participants": 2},
        {"key": "gamma", "name": "Gamma University", "participants": 1},
        {"key": "no-university", "name": "No university", "participants": 1},
        {"key": "total", "name": "Total", "participants": 7},
    ]
    assert document["platforms"][0] == {
        "slug": "wordwall",
        "name": "Wordwall",
        "other": False,
        "cells": {
            "alpha": {"count": 2, "percent": 66.7},
            "beta": {"count": 0, "percent": 0.0},
            "gamma": {"count": 1, "percent": 100.0},
            "no-university": {"count": 0, "percent": 0.0},
            "total": {"count": 3, "percent": 42.9},
        },
    }
    assert [(p["slug"], p["other"], p["cells"]["total"]) for p in document["platforms"][1:]] == [
        ("canva", False, {"count": 3, "percent": 42.9}),
        ("genially", False, {"count": 2, "percent": 28.6}),
        ("other", True, {"count": 1, "percent": 14.3}),
    ]
    assert document["nominations"] == [
        {
            "slug": "quiz",
            "name": "Best quiz",
            "entries": {"alpha": 2, "beta": 1, "gamma": 1, "no-university": 1, "total": 5},
        },
        {
            "slug": "game",
            "name": "Best game",
            "entries": {"alpha": 2, "beta": 1, "gamma": 0, "no-university": 0, "total": 3},
        },
    ]
    assert document["scores"] == [
        {
            "round": 1,
            "name": "Round 1",
            "platforms": [
                {
                    "slug": "wordwall",
                    "name": "Wordwall",
                    "other": False,
                    "entries": 2,
                    "mean": 66.25,
                    "lowest": 62.5,
                    "highest": 70.0,
                },
                {
                    "slug": "canva",
                    "name": "Canva",
                    "other": False,
                    "entries": 1,
                    "mean": 62.5,
                    "lowest": 62.5,
                    "highest": 62.5,
                },
                {
                    "slug": "genially",
                    "name": "Genially",
                    "other": False,
                    "entries": 1,
                    "mean": 70.0,
                    "lowest": 70.0,
                    "highest": 70.0,
                },
                {
                    "slug": "other",
                    "name": "Other",
                    "other": True,
                    "entries": 0,
                    "mean": None,
                    "lowest": None,
                    "highest": None,
                    "names": [],
                },
            ],
        }
    ]


def test_entries_json_one_object_per_entry(counted):  # type: ignore[no-untyped-def]
    rows = json.loads(text_of(counted, "entries", "json"))

    assert len(rows) == 11
    assert rows[0] == {
        "code": "A1QUIZ",
        "title": "A1 quiz",
        "status": "submitted",
        "nomination": "Best quiz",
        "platforms": "Wordwall; Canva",
        "other_platform": "",
        "author": "A1",
        "email": "a1@example.org",
        "university": "Alpha University",
        "submitted_at": TIME,
        "media_kind": "pdf",
        "media_status": "ready",
    }


def test_entries_json_of_an_empty_contest(contest):  # type: ignore[no-untyped-def]
    assert text_of(contest, "entries", "json") == "[\n]\n"


def test_entries_export_queries_do_not_grow_with_entries(counted, django_assert_num_queries):  # type: ignore[no-untyped-def]
    empty = ContestFactory()
    PlatformFactory(contest=empty)
    # The entries with their nomination, author, profile, university and media file, then their platforms.
    with django_assert_num_queries(2):
        assert text_of(counted, "entries").count("\r\n") == 12
    with django_assert_num_queries(1):
        assert text_of(empty, "entries").count("\r\n") == 1


def test_export_command_platform_stats_json_to_stdout(counted):  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command("export", "--contest", counted.slug, "--what", "platform-stats", "--format", "json", stdout=out)

    assert json.loads(out.getvalue()) == json.loads(text_of(counted, "platform-stats", "json"))


@pytest.mark.parametrize(("what", "expected"), [("platform-stats", PLATFORM_STATS_CSV), ("entries", ENTRIES_CSV)])
def test_export_command_csv_to_file(counted, tmp_path, what, expected):  # type: ignore[no-untyped-def]
    path = tmp_path / f"{what}.csv"
    out = io.StringIO()

    call_command("export", "--contest", counted.slug, "--what", what, "-o", str(path), stdout=out)

    assert path.read_bytes().decode("utf-8") == "\ufeff" + expected
    assert out.getvalue() == f"Written to {path}.\n"


def test_export_command_json_and_xlsx_to_files(counted, tmp_path):  # type: ignore[no-untyped-def]
    json_path, xlsx_path = tmp_path / "entries.json", tmp_path / "stats.xlsx"

    call_command(
        "export",
        "--contest",
        counted.slug,
        "--what",
        "entries",
        "--format",
        "json",
        "-o",
        str(json_path),
        stdout=io.StringIO(),
    )
    call_command(
        "export",
        "--contest",
        counted.slug,
        "--what",
        "platform-stats",
        "--format",
        "xlsx",
        "-o",
        str(xlsx_path),
        stdout=io.StringIO(),
    )

    assert [row["code"] for row in json.loads(json_path.read_text(encoding="utf-8"))] == [
        "A1QUIZ",
        "A2GAME",
        "A2QUIZ",
        "A3GAME",
        "A4DRAFT",
        "B1QUIZ",
        "B2GAME",
        "B2WITHDRAWN",
        "C1QUIZ",
        "D1DRAFT",
        "N1QUIZ",
    ]
    assert openpyxl.load_workbook(xlsx_path).sheetnames == ["Platforms", "Nominations", "Scores", "Winners"]


# Winners per platform


def winners_of(contest):  # type: ignore[no-untyped-def]
    return [
        (w.platform.name, w.first, w.second, w.third, w.special, w.total) for w in platform_winners(contest=contest)
    ]


def test_platform_winners_before_any_results(counted, scored):  # type: ignore[no-untyped-def]
    assert winners_of(counted) == [
        ("Wordwall", 0, 0, 0, 0, 0),
        ("Canva", 0, 0, 0, 0, 0),
        ("Genially", 0, 0, 0, 0, 0),
        ("Other", 0, 0, 0, 0, 0),
    ]


def test_platform_winners_count_places_and_special_awards(counted, awarded):  # type: ignore[no-untyped-def]
    # A1QUIZ has a place and a special award: once in each column, once among the awarded entries.
    assert winners_of(counted) == [
        ("Wordwall", 1, 1, 0, 1, 2),
        ("Canva", 0, 1, 0, 1, 1),
        ("Genially", 1, 0, 0, 0, 1),
        ("Other", 0, 0, 0, 0, 0),
    ]


def test_platform_winners_over_every_round(counted, awarded):  # type: ignore[no-untyped-def]
    # Round 2 (best quiz): A1QUIZ first, B1QUIZ (Canva) second, N1QUIZ (Canva) third; A3GAME (Other) first in games.
    final_round(counted, awarded, [("A1QUIZ", (5, 10)), ("B1QUIZ", (4, 8)), ("N1QUIZ", (1, 1)), ("A3GAME", (2, 2))])

    assert winners_of(counted) == [
        ("Wordwall", 2, 1, 0, 1, 2),
        ("Canva", 1, 2, 1, 1, 3),
        ("Genially", 1, 0, 0, 0, 1),
        ("Other", 1, 0, 0, 0, 1),
    ]


@pytest.mark.parametrize("rounds", [1, 2])
def test_platform_winners_in_two_queries(counted, awarded, rounds, django_assert_num_queries):  # type: ignore[no-untyped-def]
    if rounds == 2:
        final_round(counted, awarded, [("B1QUIZ", (4, 8)), ("N1QUIZ", (1, 1)), ("A3GAME", (2, 2))])

    # The platforms with their counts, then the names typed under "Other" with theirs.
    with django_assert_num_queries(2):
        winners = platform_winners(contest=counted)

    assert len(winners) == 4


def test_platform_stats_xlsx_winners_sheet(counted, awarded, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "stats.xlsx"

    export_write_xlsx(export_table(actor=None, contest=counted, what="platform-stats"), str(path))

    sheet = openpyxl.load_workbook(path)["Winners"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Platform", "1st place", "2nd place", "3rd place", "Special awards", "Awarded entries"],
        ["Wordwall", 1, 1, 0, 1, 2],
        ["Canva", 0, 1, 0, 1, 1],
        ["Genially", 1, 0, 0, 0, 1],
        ["Other", 0, 0, 0, 0, 0],
    ]
    assert [cell.font.b for cell in sheet[1]] == [True] * 6


def test_platform_stats_json_winners(counted, awarded):  # type: ignore[no-untyped-def]
    document = json.loads(text_of(counted, "platform-stats", "json"))

    assert document["winners"] == [
        {
            "slug": "wordwall",
            "name": "Wordwall",
            "other": False,
            "first": 1,
            "second": 1,
            "third": 0,
            "special": 1,
            "total": 2,
        },
        {
            "slug": "canva",
            "name": "Canva",
            "other": False,
            "first": 0,
            "second": 1,
            "third": 0,
            "special": 1,
            "total": 1,
        },
        {
            "slug": "genially",
            "name": "Genially",
            "other": False,
            "first": 1,
            "second": 0,
            "third": 0,
            "special": 0,
            "total": 1,
        },
        {
            "slug": "other",
            "name": "Other",
            "other": True,
            "first": 0,
            "second": 0,
            "third": 0,
            "special": 0,
            "total": 0,
            "names": [],
        },
    ]


def test_platform_stats_csv_unchanged_by_awards(counted, awarded):  # type: ignore[no-untyped-def]
    assert text_of(counted, "platform-stats") == PLATFORM_STATS_CSV
