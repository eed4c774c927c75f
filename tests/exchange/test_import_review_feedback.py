"""Paper scoresheets with feedback for the entrant and comments on criteria (``feedback``, ``<slug>_comment``)."""

from __future__ import annotations

from exchange.sheets import LineError
from judging.enums import ReviewChangeKind
from judging.models import Review, ReviewChange, Round
from tests.exchange.test_import_reviews import assert_nothing_saved, run, setup, write_csv

__all__ = ["setup"]

HEADER = ["juror_email", "entry_code", "c1", "c2", "comment", "feedback", "c1_comment", "C2_Comment"]
FEEDBACK = "Clear goals; show the rules before the quiz."
LINES = [
    ["dana@example.org", "E1", "4", "7", "Note", FEEDBACK, "Lively start", ""],
    ["dana@example.org", "E2", "5", "10", "", "Good use of Wordwall throughout.", "", "Varied tasks"],
]


def texts(setup) -> list[tuple[str, str, str, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    """Each review of the round: entry, note, feedback and (criterion, comment)."""
    return [
        (
            review.entry.code,
            review.comment,
            review.feedback,
            [(score.criterion.slug, score.comment) for score in review.scores.all()],
        )
        for review in Review.objects.filter(round=setup["round"])
        .select_related("entry")
        .prefetch_related("scores__criterion")
        .order_by("entry__code")
    ]


def require_feedback(setup, shortest: int) -> None:  # type: ignore[no-untyped-def]
    Round.objects.filter(pk=setup["round"].pk).update(feedback_required=True, feedback_min_length=shortest)
    setup["round"].refresh_from_db()


def test_import_reviews_feedback_and_criterion_comment_columns(setup, tmp_path):  # type: ignore[no-untyped-def]
    result = run(setup, write_csv(tmp_path / "reviews.csv", LINES, header=HEADER))

    assert (result.ok, result.created, result.revised, result.unchanged) == (True, 2, 0, 0)
    assert texts(setup) == [
        ("E1", "Note", FEEDBACK, [("c1", "Lively start"), ("c2", "")]),
        ("E2", "", "Good use of Wordwall throughout.", [("c1", ""), ("c2", "Varied tasks")]),
    ]
    c1, c2 = setup["criteria"]
    first = ReviewChange.objects.get(review__entry__code="E1")
    assert (first.kind, first.new) == (
        ReviewChangeKind.SUBMITTED,
        {
            "scores": {str(c1.pk): 4, str(c2.pk): 7},
            "comments": {str(c1.pk): "Lively start"},
            "comment": "Note",
            "feedback": FEEDBACK,
        },
    )


def test_import_reviews_same_texts_again_unchanged_and_a_changed_feedback_revised(setup, tmp_path):  # type: ignore[no-untyped-def]
    run(setup, write_csv(tmp_path / "first.csv", LINES, header=HEADER))

    again = run(setup, write_csv(tmp_path / "again.csv", LINES, header=HEADER))
    changed = [LINES[0][:5] + [FEEDBACK + " Well done.", "Lively start", ""], LINES[1]]
    revised = run(setup, write_csv(tmp_path / "changed.csv", changed, header=HEADER))

    assert (again.ok, again.created, again.revised, again.unchanged) == (True, 0, 0, 2)
    assert (revised.ok, revised.created, revised.revised, revised.unchanged) == (True, 0, 1, 1)
    assert Review.objects.get(entry__code="E1").feedback == FEEDBACK + " Well done."


def test_import_reviews_without_the_text_columns_keeps_the_texts(setup, tmp_path):  # type: ignore[no-untyped-def]
    run(setup, write_csv(tmp_path / "first.csv", LINES, header=HEADER))

    result = run(setup, write_csv(tmp_path / "scores.csv", [line[:4] for line in LINES], header=HEADER[:4]))

    assert (result.ok, result.unchanged) == (True, 2)
    assert texts(setup)[0] == ("E1", "Note", FEEDBACK, [("c1", "Lively start"), ("c2", "")])


def test_import_reviews_round_requiring_feedback_reports_each_bad_line(setup, tmp_path):  # type: ignore[no-untyped-def]
    require_feedback(setup, 20)
    lines = [
        LINES[0],
        ["dana@example.org", "E2", "5", "10", "", "", "", ""],
        ["erlan@example.org", "E1", "1", "1", "", "Too short", "", ""],
    ]

    result = run(setup, write_csv(tmp_path / "reviews.csv", lines, header=HEADER))

    assert result.errors == [
        LineError(
            3,
            "feedback",
            "This round asks for feedback for the entrant of at least 20 characters: "
            "write it before submitting the review.",
        ),
        LineError(
            4,
            "feedback",
            "The feedback for the entrant is too short: this round asks for at least 20 characters, it has 9.",
        ),
    ]
    assert_nothing_saved(setup)


def test_import_reviews_round_requiring_feedback_without_the_column(setup, tmp_path):  # type: ignore[no-untyped-def]
    require_feedback(setup, 0)

    result = run(setup, write_csv(tmp_path / "reviews.csv", [line[:4] for line in LINES], header=HEADER[:4]))

    message = "This round asks for feedback for the entrant: write it before submitting the review."
    assert result.errors == [LineError(2, "feedback", message), LineError(3, "feedback", message)]
    assert_nothing_saved(setup)


def test_import_reviews_overlong_texts_reported_by_column(setup, tmp_path):  # type: ignore[no-untyped-def]
    lines = [
        ["dana@example.org", "E1", "4", "7", "", "x" * 5001, "", ""],
        ["dana@example.org", "E2", "5", "10", "", "", "y" * 5001, ""],
    ]

    result = run(setup, write_csv(tmp_path / "reviews.csv", lines, header=HEADER))

    assert result.errors == [
        LineError(2, "feedback", "The text has 5001 characters; at most 5000 are kept."),
        LineError(3, "c1_comment", "The text has 5001 characters; at most 5000 are kept."),
    ]
    assert_nothing_saved(setup)
