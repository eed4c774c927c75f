"""The ``results`` export against the round of tests.judging.test_results, worked out by hand.

``T = 6.25·s1 + 37.5·s2`` with two jurors, so the median and the trimmed mean are the mean. Dana's
totals are 100, 87.5, 87.5, 37.5, 25, 75, 62.5 and Arman's 100, 62.5, 62.5, 37.5, 0, 87.5, 50 (QUIZ01–04,
GAME01–03); their z-scores' means, rescaled onto the raw means' range 12.5–100, give the normalised figures
100, 75.7646, 75.7646, 36.7354 and 12.5, 80.4854, 56.25.
"""

import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contest.models import Contest
from exchange.exports import EXPORTERS, export_table
from exchange.sheet_writers import export_csv_lines
from judging.models import Assignment
from judging.services.results import SpecialAwardData, results_finalise
from judging.services.reviews import review_submit
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.judging.test_results import FINALISED, JURY_CHOICE, judged_round

HEADER = (
    "round,nomination,place,shared,entry_code,entry_title,reviews,mean,median,trimmed,normalised,"
    "rank_mean,rank_median,rank_trimmed,rank_normalised,award,finalised\r\n"
)
ROUND_1 = [
    "1,Quiz,1,no,QUIZ01,Lesson QUIZ01,2,100.00,100.00,100.00,100.00,1,1,1,1,{QUIZ01},{final}\r\n",
    "1,Quiz,2,yes,QUIZ02,Lesson QUIZ02,2,75.00,75.00,75.00,75.76,2,2,2,2,{QUIZ02},{final}\r\n",
    "1,Quiz,2,yes,QUIZ03,Lesson QUIZ03,2,75.00,75.00,75.00,75.76,2,2,2,2,{QUIZ03},{final}\r\n",
    "1,Quiz,4,no,QUIZ04,Lesson QUIZ04,2,37.50,37.50,37.50,36.74,4,4,4,4,{QUIZ04},{final}\r\n",
    "1,Quiz,,no,QUIZ05,Lesson QUIZ05,0,,,,,,,,,,{final}\r\n",
    "1,Game,1,no,GAME02,Lesson GAME02,2,81.25,81.25,81.25,80.49,1,1,1,1,{GAME02},{final}\r\n",
    "1,Game,2,no,GAME03,Lesson GAME03,2,56.25,56.25,56.25,56.25,2,2,2,2,{GAME03},{final}\r\n",
    "1,Game,3,no,GAME01,Lesson GAME01,2,12.50,12.50,12.50,12.50,3,3,3,3,{GAME01},{final}\r\n",
]
NO_AWARDS = dict.fromkeys(("QUIZ01", "QUIZ02", "QUIZ03", "QUIZ04", "GAME01", "GAME02", "GAME03"), "")
AWARDS = {
    "QUIZ01": "nomination-quiz/place-1/1",
    "QUIZ02": "nomination-quiz/place-2/1",
    "QUIZ03": "nomination-quiz/place-2/2",
    "QUIZ04": "special/jurys-choice",
    "GAME01": "nomination-game/place-3/1",
    "GAME02": "nomination-game/place-1/1",
    "GAME03": "nomination-game/place-2/1",
}


def round_1_csv(awards: dict[str, str], final: str) -> str:
    return "".join(line.format(final=final, **awards) for line in ROUND_1)


#: Round 2: QUIZ01 alone, scored by nobody yet.
ROUND_2 = "2,Quiz,,no,QUIZ01,Lesson QUIZ01,0,,,,,,,,,,no\r\n"


def text_of(contest: Contest, round_number: int | None = None) -> str:
    table = export_table(actor=None, contest=contest, what="results", round_number=round_number)
    return "".join(export_csv_lines(table))


@pytest.fixture
def judged(contest: Contest) -> dict[str, Any]:
    """The closed round 1 of tests.judging.test_results, and an open round 2 with QUIZ01 and no reviews."""
    judged = judged_round(contest)
    round_of(contest, [judged["entries"]["QUIZ01"]], judged["jurors"], number=2)
    return judged


def test_results_exporter_registered_by_round():  # type: ignore[no-untyped-def]
    assert (EXPORTERS["results"].name, str(EXPORTERS["results"].label), EXPORTERS["results"].by_round) == (
        "results",
        "Results",
        True,
    )


def test_results_csv_exact_before_finalising(judged):  # type: ignore[no-untyped-def]
    assert text_of(judged["round"].contest) == HEADER + round_1_csv(NO_AWARDS, "no") + ROUND_2


def test_results_csv_exact_once_finalised(judged):  # type: ignore[no-untyped-def]
    results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[JURY_CHOICE], now=FINALISED)

    assert text_of(judged["round"].contest, 1) == HEADER + round_1_csv(AWARDS, "yes")


def test_results_csv_lists_every_award_of_an_entry(judged):  # type: ignore[no-untyped-def]
    special = SpecialAwardData(entry_code="QUIZ01", name_en="Audience award")
    results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[special], now=FINALISED)

    first = text_of(judged["round"].contest, 1).splitlines()[1]

    assert first.split(",")[-2:] == ["nomination-quiz/place-1/1; special/audience-award", "yes"]


def test_results_csv_of_one_round(judged):  # type: ignore[no-untyped-def]
    assert text_of(judged["round"].contest, 2) == HEADER + ROUND_2


def test_results_csv_of_a_contest_without_rounds(contest):  # type: ignore[no-untyped-def]
    assert text_of(contest) == HEADER


def reviewed_round(contest: Contest, entries: int) -> None:
    """A round of ``entries`` entries, each scored by one juror."""
    (criterion,) = criteria_for(contest, 5)
    juror = juror_in(contest)
    works = [entry_from(contest, None) for _number in range(entries)]
    round = round_of(contest, works, [juror], k=1)
    for number, entry in enumerate(works):
        Assignment.objects.create(round=round, juror=juror, entry=entry)
        review_submit(actor=juror.user, round=round, entry=entry, scores={criterion.pk: number % 6})


@pytest.mark.parametrize("entries", [1, 30])
def test_results_export_queries_do_not_grow_with_entries(contest, entries, django_assert_num_queries):  # type: ignore[no-untyped-def]
    reviewed_round(contest, entries)

    # The rounds, the finalised results, their awards, then the ranking's four: criteria, nominations,
    # the round's entries and the submitted scores.
    with django_assert_num_queries(7):
        text = text_of(contest)
    # With one round named: the round, then the same but the rounds.
    with django_assert_num_queries(7):
        assert text_of(contest, 1) == text

    assert text.count("\r\n") == entries + 1


# The command


def test_export_command_results_csv_to_file(judged, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "results.csv"
    out = io.StringIO()
    slug = judged["round"].contest.slug

    call_command("export", "--contest", slug, "--what", "results", "--format", "csv", "-o", str(path), stdout=out)

    assert path.read_bytes().decode("utf-8") == "\ufeff" + HEADER + round_1_csv(NO_AWARDS, "no") + ROUND_2
    assert out.getvalue() == f"Written to {path}.\n"


def test_export_command_results_of_one_round_as_json(judged):  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command(
        "export", "--contest", judged["round"].contest.slug, "--what", "results", "--format", "json", "--round", "2",
        stdout=out,
    )  # fmt: skip

    assert json.loads(out.getvalue()) == [
        {
            "round": 2,
            "nomination": "Quiz",
            "place": None,
            "shared": "no",
            "entry_code": "QUIZ01",
            "entry_title": "Lesson QUIZ01",
            "reviews": 0,
            "mean": None,
            "median": None,
            "trimmed": None,
            "normalised": None,
            "rank_mean": None,
            "rank_median": None,
            "rank_trimmed": None,
            "rank_normalised": None,
            "award": "",
            "finalised": "no",
        }
    ]


def test_export_command_results_xlsx(judged, tmp_path):  # type: ignore[no-untyped-def]
    results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[JURY_CHOICE], now=FINALISED)
    path = tmp_path / "results.xlsx"
    slug = judged["round"].contest.slug

    call_command(
        "export", "--contest", slug, "--what", "results", "--format", "xlsx", "--round", "1", "-o", str(path),
        stdout=io.StringIO(),
    )  # fmt: skip

    rows = list(openpyxl.load_workbook(path)["export"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.strip().split(","))
    assert rows[2] == (
        1, "Quiz", 2, "yes", "QUIZ02", "Lesson QUIZ02", 2, 75, 75, 75, 75.76, 2, 2, 2, 2,
        "nomination-quiz/place-2/1", "yes",
    )  # fmt: skip
    assert rows[5] == (1, "Quiz", None, "no", "QUIZ05", "Lesson QUIZ05", 0, *(None,) * 8, None, "yes")
    assert len(rows) == 9


def test_export_command_results_of_an_unknown_round(judged):  # type: ignore[no-untyped-def]
    slug = judged["round"].contest.slug

    with pytest.raises(CommandError) as refused:
        call_command("export", "--contest", slug, "--what", "results", "--round", "7", stdout=io.StringIO())

    assert str(refused.value) == f"Contest “{slug}” has no round 7; its rounds are: 1, 2."
