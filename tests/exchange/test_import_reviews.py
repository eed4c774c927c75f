import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from config.exceptions import NotAllowed
from contest.enums import Role
from contest.models import Entry
from exchange.reviews_import import reviews_import
from exchange.sheets import LineError
from judging.enums import AssignmentOrigin, ReviewChangeKind, ReviewStatus, RoundStatus
from judging.models import Assignment, Review, ReviewChange, Rubric
from judging.services.reviews import review_save_draft
from tests.factories import ContestFactory, ContestRoleFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

NOW = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def setup(contest):  # type: ignore[no-untyped-def]
    """Two criteria (0..5 and 0..10), entries E1 and E2, jurors Dana and Erlan; Dana has both, Erlan E1."""
    c1, c2 = criteria_for(contest, 5, 10)
    c2.name_ru = "Использование платформ"
    c2.save(update_fields=["name_ru"])
    e1, e2 = entry_from(contest, None), entry_from(contest, None)
    Entry.objects.filter(pk=e1.pk).update(code="E1")
    Entry.objects.filter(pk=e2.pk).update(code="E2")
    e1.refresh_from_db()
    e2.refresh_from_db()
    dana, erlan = juror_in(contest, name="Dana"), juror_in(contest, name="Erlan")
    dana.user.email = "dana@example.org"
    dana.user.save(update_fields=["email"])
    erlan.user.email = "erlan@example.org"
    erlan.user.save(update_fields=["email"])
    round = round_of(contest, [e1, e2], [dana, erlan])
    for juror, entry in [(dana, e1), (dana, e2), (erlan, e1)]:
        Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.AUTOMATIC)
    return {"contest": contest, "round": round, "criteria": (c1, c2), "entries": (e1, e2), "jurors": (dana, erlan)}


HEADER = ["juror_email", "entry_code", "c1", "Использование платформ", "comment"]
GOOD = [
    ["dana@example.org", "E1", "4", "7", "Clear and lively."],
    ["Dana@Example.org", "e2", "5", "10", ""],
    ["erlan@example.org", "E1", "0", "3", "Too short."],
]


def write_csv(path: Path, lines: list[list[str]], header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(lines)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def run(setup, path: Path, **kwargs):  # type: ignore[no-untyped-def]
    with path.open("rb") as stream:
        return reviews_import(actor=None, round=setup["round"], stream=stream, now=NOW, **kwargs)


def saved(setup):  # type: ignore[no-untyped-def]
    """Every review of the round: (juror, entry, status, scores by criterion slug, comment)."""
    return [
        (
            review.juror.user.email,
            review.entry.code,
            review.status,
            {score.criterion.slug: score.value for score in review.scores.all()},
            review.comment,
        )
        for review in Review.objects.filter(round=setup["round"])
        .select_related("juror__user", "entry")
        .prefetch_related("scores__criterion")
        .order_by("juror__user__email", "entry__code")
    ]


EXPECTED = [
    ("dana@example.org", "E1", ReviewStatus.SUBMITTED, {"c1": 4, "c2": 7}, "Clear and lively."),
    ("dana@example.org", "E2", ReviewStatus.SUBMITTED, {"c1": 5, "c2": 10}, ""),
    ("erlan@example.org", "E1", ReviewStatus.SUBMITTED, {"c1": 0, "c2": 3}, "Too short."),
]


def summary(output: str) -> list[str]:
    """The command's summary without its last line, the time it took."""
    return output.splitlines()[:-1]


def assert_nothing_saved(setup) -> None:  # type: ignore[no-untyped-def]
    assert Review.objects.count() == 0
    assert ReviewChange.objects.count() == 0
    assert Rubric.objects.get(contest=setup["contest"]).frozen_at is None


def test_import_reviews_csv_submits_each_line_with_history_and_freezes_rubric(setup, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    out = io.StringIO()

    call_command("import_reviews", str(path), contest=setup["contest"].slug, round=1, stdout=out)

    assert summary(out.getvalue()) == [
        "Imported.",
        "  Lines: 3",
        "  Reviews created: 3",
        "  Reviews revised: 0",
        "  Reviews unchanged: 0",
    ]
    assert saved(setup) == EXPECTED
    c1, c2 = setup["criteria"]
    dana, erlan = setup["jurors"]
    history = [
        (change.review.juror_id, change.review.entry.code, change.kind, change.changed_by_id, change.old, change.new)
        for change in ReviewChange.objects.select_related("review__entry").order_by(
            "review__juror_id", "review__entry__code"
        )
    ]
    assert history == [
        (
            dana.pk,
            "E1",
            ReviewChangeKind.SUBMITTED,
            dana.user_id,
            None,
            {"scores": {str(c1.pk): 4, str(c2.pk): 7}, "comment": "Clear and lively.", "comments": {}, "feedback": ""},
        ),
        (
            dana.pk,
            "E2",
            ReviewChangeKind.SUBMITTED,
            dana.user_id,
            None,
            {"scores": {str(c1.pk): 5, str(c2.pk): 10}, "comment": "", "comments": {}, "feedback": ""},
        ),
        (
            erlan.pk,
            "E1",
            ReviewChangeKind.SUBMITTED,
            erlan.user_id,
            None,
            {"scores": {str(c1.pk): 0, str(c2.pk): 3}, "comment": "Too short.", "comments": {}, "feedback": ""},
        ),
    ]
    assert Rubric.objects.get(contest=setup["contest"]).frozen_at is not None


def test_import_reviews_xlsx_with_english_names_and_numbers(setup, tmp_path):  # type: ignore[no-untyped-def]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Juror_Email", "ENTRY_CODE", "criterion 1", "C2", "Comment"])
    sheet.append(["dana@example.org", "E1", 4, 7.0, "Clear and lively."])
    sheet.append(["dana@example.org", "E2", 5, 10, None])
    sheet.append(["erlan@example.org", "E1", 0, 3, "Too short."])
    path = tmp_path / "reviews.xlsx"
    workbook.save(path)

    result = run(setup, path)

    assert (result.ok, result.rows, result.created, result.revised, result.unchanged) == (True, 3, 3, 0, 0)
    assert saved(setup) == EXPECTED


def test_import_reviews_same_file_again_is_unchanged(setup, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    run(setup, path)

    again = run(setup, path)

    assert (again.ok, again.created, again.revised, again.unchanged) == (True, 0, 0, 3)
    assert saved(setup) == EXPECTED
    assert ReviewChange.objects.count() == 3


def test_import_reviews_changed_line_is_revised_with_old_and_new(setup, tmp_path):  # type: ignore[no-untyped-def]
    run(setup, write_csv(tmp_path / "first.csv", GOOD))
    changed = [GOOD[0][:3] + ["9", "Better on second look."], GOOD[1], GOOD[2]]

    result = run(setup, write_csv(tmp_path / "second.csv", changed))

    assert (result.ok, result.created, result.revised, result.unchanged) == (True, 0, 1, 2)
    c1, c2 = setup["criteria"]
    revision = ReviewChange.objects.get(kind=ReviewChangeKind.REVISED)
    assert (revision.review.entry.code, revision.old, revision.new) == (
        "E1",
        {"scores": {str(c1.pk): 4, str(c2.pk): 7}, "comment": "Clear and lively.", "comments": {}, "feedback": ""},
        {"scores": {str(c1.pk): 4, str(c2.pk): 9}, "comment": "Better on second look.", "comments": {}, "feedback": ""},
    )


def test_import_reviews_without_comment_column_keeps_comments(setup, tmp_path):  # type: ignore[no-untyped-def]
    run(setup, write_csv(tmp_path / "first.csv", GOOD))
    lines = [line[:4] for line in GOOD]

    result = run(setup, write_csv(tmp_path / "second.csv", lines, header=HEADER[:4]))

    assert (result.ok, result.unchanged) == (True, 3)
    assert saved(setup) == EXPECTED


def test_import_reviews_submits_a_draft(setup, tmp_path):  # type: ignore[no-untyped-def]
    dana = setup["jurors"][0]
    c1 = setup["criteria"][0]
    review_save_draft(actor=dana.user, round=setup["round"], entry=setup["entries"][0], scores={c1.pk: 1}, now=NOW)

    result = run(setup, write_csv(tmp_path / "reviews.csv", GOOD))

    assert (result.ok, result.created, result.revised, result.unchanged) == (True, 3, 0, 0)
    assert saved(setup) == EXPECTED


def test_import_reviews_dry_run_saves_nothing(setup, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    out = io.StringIO()

    call_command("import_reviews", str(path), contest=setup["contest"].slug, round=1, dry_run=True, stdout=out)

    assert summary(out.getvalue())[:3] == ["Dry run: nothing was saved.", "  Lines: 3", "  Reviews created: 3"]
    assert_nothing_saved(setup)


def test_import_reviews_every_bad_line_reported_and_nothing_saved(setup, tmp_path):  # type: ignore[no-untyped-def]
    lines = [
        GOOD[0],
        ["nobody@example.org", "E1", "1", "1", ""],
        ["erlan@example.org", "E2", "1", "1", ""],
        ["dana@example.org", "E2", "6", "-1", ""],
        ["erlan@example.org", "E1", "4.5", "abc", ""],
        ["erlan@example.org", "XX9", "", "1", ""],
        ["", "", "1", "1", ""],
        ["dana@example.org", "E1", "1", "1", ""],
    ]

    result = run(setup, write_csv(tmp_path / "reviews.csv", lines))

    assert result.errors == [
        LineError(3, "juror_email", "No juror of this contest has the e-mail “nobody@example.org”."),
        LineError(4, "entry_code", "erlan@example.org is not assigned to entry E2 in round 1."),
        LineError(5, "c1", "6 is outside the scale of “Criterion 1”: from 0 to 5."),
        LineError(5, "использование платформ", "-1 is outside the scale of “Criterion 2”: from 0 to 10."),
        LineError(6, "c1", "“4.5” is not a whole number; “Criterion 1” is scored from 0 to 5."),
        LineError(6, "использование платформ", "“abc” is not a whole number; “Criterion 2” is scored from 0 to 10."),
        LineError(7, "entry_code", "There is no entry “XX9” in this contest."),
        LineError(7, "c1", "The score of “Criterion 1” is empty: every criterion is scored."),
        LineError(8, "juror_email", "The juror's e-mail is empty."),
        LineError(8, "entry_code", "The entry code is empty."),
        LineError(9, "entry_code", "This juror's review of this entry is already on line 2."),
    ]
    assert (result.created, result.revised, result.unchanged) == (0, 0, 0)
    assert_nothing_saved(setup)


def test_import_reviews_command_lists_problems_and_fails(setup, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "reviews.csv", [GOOD[0], ["nobody@example.org", "E1", "1", "1", ""]])

    with pytest.raises(CommandError) as raised:
        call_command("import_reviews", str(path), contest=setup["contest"].slug, round=1, stdout=io.StringIO())

    assert str(raised.value) == (
        "Nothing was imported: 1 problem in reviews.csv.\n"
        "Line 3, juror_email: No juror of this contest has the e-mail “nobody@example.org”."
    )
    assert_nothing_saved(setup)


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.DRAFT])
def test_import_reviews_when_round_not_open_saves_nothing(setup, tmp_path, status):  # type: ignore[no-untyped-def]
    round = setup["round"]
    round.status = status
    round.closed_at = NOW if status == RoundStatus.CLOSED else None
    round.save(update_fields=["status", "closed_at"])
    lines = [*GOOD, ["nobody@example.org", "E1", "1", "1", ""]]

    result = run(setup, write_csv(tmp_path / "reviews.csv", lines))

    message = {
        RoundStatus.CLOSED: "Round “Round 1” is closed: its reviews can no longer change.",
        RoundStatus.DRAFT: "Round “Round 1” is not open yet.",
    }[status]
    assert result.errors == [
        LineError(0, "", message),
        LineError(5, "juror_email", "No juror of this contest has the e-mail “nobody@example.org”."),
    ]
    assert_nothing_saved(setup)


def test_import_reviews_missing_criterion_column_saves_nothing(setup, tmp_path):  # type: ignore[no-untyped-def]
    lines = [line[:3] + line[4:] for line in GOOD]

    result = run(
        setup, write_csv(tmp_path / "reviews.csv", lines, header=["juror_email", "entry_code", "c1", "comment"])
    )

    assert result.errors == [
        LineError(1, "c2", "Missing the column of the criterion “Criterion 2”: name it “c2” or by its name."),
    ]
    assert_nothing_saved(setup)


def test_import_reviews_criterion_twice_refused(setup, tmp_path):  # type: ignore[no-untyped-def]
    header = ["juror_email", "entry_code", "c1", "c2", "Criterion 2"]

    result = run(setup, write_csv(tmp_path / "reviews.csv", [line[:4] + ["7"] for line in GOOD], header=header))

    assert result.errors == [
        LineError(1, "criterion 2", "The columns “c2” and “criterion 2” are both the criterion “Criterion 2”."),
    ]
    assert_nothing_saved(setup)


def test_import_reviews_unknown_column_refused(setup, tmp_path):  # type: ignore[no-untyped-def]
    result = run(setup, write_csv(tmp_path / "reviews.csv", [[*GOOD[0], "x"]], header=[*HEADER, "mood"]))

    assert [(error.line, error.column) for error in result.errors] == [(1, "mood")]
    assert result.errors[0].message.startswith(
        "Unknown columns: mood. The columns are: juror_email, entry_code, comment, feedback, c1"
    )
    assert_nothing_saved(setup)


def test_import_reviews_unknown_round_or_contest(setup, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "reviews.csv", GOOD)

    with pytest.raises(CommandError) as no_round:
        call_command("import_reviews", str(path), contest=setup["contest"].slug, round=7, stdout=io.StringIO())
    with pytest.raises(CommandError) as no_contest:
        call_command("import_reviews", str(path), contest="nowhere", round=1, stdout=io.StringIO())

    assert str(no_round.value) == f"Contest “{setup['contest'].slug}” has no round 7; its rounds are: 1."
    assert str(no_contest.value) == "There is no contest “nowhere”."
    assert_nothing_saved(setup)


def test_import_reviews_by_organiser_of_another_contest_refused(setup, tmp_path):  # type: ignore[no-untyped-def]
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    path = write_csv(tmp_path / "reviews.csv", GOOD)

    with path.open("rb") as stream, pytest.raises(NotAllowed):
        reviews_import(actor=stranger, round=setup["round"], stream=stream)

    assert_nothing_saved(setup)
