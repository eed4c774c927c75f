"""Feedback for the entrant and comments on criteria: the services, the history and the jurors' API."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from config.exceptions import BaigeError
from judging.enums import ParticipantView, ReviewChangeKind, ReviewStatus
from judging.models import Assignment, Results, Review, ReviewChange, Round, Score
from judging.services.results import results_finalise
from judging.services.reviews import MAX_TEXT_LENGTH, FeedbackMissing, review_save_draft, review_submit
from tests.factories import ContestFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.judging.test_results import judged_round

#: Who must not reach an entry's review through the API: (fixture, status).
REFUSED = [
    ("anonymous", 403),
    ("participant", 404),
    ("entry_author", 404),
    ("unassigned_juror", 404),
    ("foreign_juror", 404),
]


@pytest.fixture
def setting(contest):  # type: ignore[no-untyped-def]
    """Criteria 0..4 and 0..2, one entry, an open round asking for feedback of 20 characters, two assigned jurors."""
    criteria = criteria_for(contest, 4, 2)
    entry = entry_from(contest, None)
    jurors = [juror_in(contest, name="Dana"), juror_in(contest, name="Arman")]
    round = round_of(contest, [entry], jurors, k=2)
    Round.objects.filter(pk=round.pk).update(feedback_required=True, feedback_min_length=20)
    round.refresh_from_db()
    for juror in jurors:
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    return {"criteria": criteria, "entry": entry, "jurors": jurors, "round": round}


@pytest.fixture
def assigned(setting):  # type: ignore[no-untyped-def]
    return setting["jurors"][0].user


@pytest.fixture
def entry_author(setting):  # type: ignore[no-untyped-def]
    return setting["entry"].author


@pytest.fixture
def unassigned_juror(contest, setting):  # type: ignore[no-untyped-def]
    """A juror of the same round with no assignment to the entry."""
    juror = juror_in(contest, name="Unassigned")
    setting["round"].round_jurors.create(juror=juror)
    return juror.user


@pytest.fixture
def foreign_juror(setting):  # type: ignore[no-untyped-def]
    """A juror assigned to an entry of another contest."""
    other = ContestFactory()
    juror = juror_in(other, name="Foreign")
    round = round_of(other, [entry_from(other, None)], [juror])
    Assignment.objects.create(round=round, juror=juror, entry=round.entries.get())
    return juror.user


def submit(setting, user, **texts):  # type: ignore[no-untyped-def]
    c1, c2 = setting["criteria"]
    return review_submit(
        actor=user, round=setting["round"], entry=setting["entry"], scores={c1.pk: 3, c2.pk: 1}, **texts
    )


FEEDBACK = "Clear goals; show the rules before the quiz."


# --- Services -----------------------------------------------------------------------------------------------------


def test_submit_without_feedback_in_a_round_that_requires_it_is_refused_and_saves_nothing(setting, assigned):
    with pytest.raises(FeedbackMissing) as refused:
        submit(setting, assigned, comment="Note")

    assert str(refused.value) == (
        "This round asks for feedback for the entrant of at least 20 characters: write it before submitting the review."
    )
    assert refused.value.code == "feedback_required"
    assert (Review.objects.count(), Score.objects.count(), ReviewChange.objects.count()) == (0, 0, 0)


def test_submit_with_feedback_too_short_names_both_lengths(setting, assigned):
    with pytest.raises(FeedbackMissing) as refused:
        submit(setting, assigned, feedback="  Too short  ")

    assert str(refused.value) == (
        "The feedback for the entrant is too short: this round asks for at least 20 characters, it has 9."
    )
    assert Review.objects.count() == 0


def test_submit_required_without_a_shortest_length_needs_any_feedback(setting, assigned):
    Round.objects.filter(pk=setting["round"].pk).update(feedback_min_length=0)
    setting["round"].refresh_from_db()

    with pytest.raises(FeedbackMissing) as refused:
        submit(setting, assigned, feedback="   ")
    review = submit(setting, assigned, feedback="Ok")

    assert str(refused.value) == "This round asks for feedback for the entrant: write it before submitting the review."
    assert (review.status, review.feedback) == (ReviewStatus.SUBMITTED, "Ok")


def test_submit_refusal_is_in_the_language_of_the_request(setting, assigned):
    with translation.override("kk"):
        expected = translation.gettext(
            "This round asks for feedback for the entrant of at least %(min)d characters: "
            "write it before submitting the review."
        ) % {"min": 20}
        with pytest.raises(FeedbackMissing) as refused:
            submit(setting, assigned)

    assert str(refused.value) == expected
    assert "feedback for the entrant" not in expected


def test_draft_without_feedback_is_never_refused(setting, assigned):
    c1, _c2 = setting["criteria"]

    review = review_save_draft(
        actor=assigned,
        round=setting["round"],
        entry=setting["entry"],
        scores={c1.pk: 2},
        feedback="",
        criterion_comments={c1.pk: "  Lively start  "},
    )

    assert (review.status, review.feedback) == (ReviewStatus.DRAFT, "")
    assert list(Score.objects.values_list("criterion__slug", "value", "comment")) == [("c1", 2, "Lively start")]


def test_submit_with_feedback_and_comments_keeps_them_and_the_history(setting, assigned):
    c1, c2 = setting["criteria"]

    review = submit(
        setting,
        assigned,
        comment=" For the organisers ",
        feedback=f" {FEEDBACK} ",
        criterion_comments={c1.pk: "Good pace", c2.pk: ""},
    )

    stored = Review.objects.get(pk=review.pk)
    assert (stored.status, stored.comment, stored.feedback) == (
        ReviewStatus.SUBMITTED,
        "For the organisers",
        FEEDBACK,
    )
    assert list(stored.scores.values_list("criterion__slug", "comment")) == [("c1", "Good pace"), ("c2", "")]
    assert list(ReviewChange.objects.values_list("kind", "old", "new")) == [
        (
            ReviewChangeKind.SUBMITTED,
            None,
            {
                "scores": {str(c1.pk): 3, str(c2.pk): 1},
                "comments": {str(c1.pk): "Good pace"},
                "comment": "For the organisers",
                "feedback": FEEDBACK,
            },
        )
    ]


def test_revising_only_the_feedback_or_a_comment_is_kept_in_the_history(setting, assigned):
    c1, c2 = setting["criteria"]
    submit(setting, assigned, feedback=FEEDBACK, criterion_comments={c1.pk: "Good pace"})

    submit(setting, assigned, feedback=FEEDBACK + " Well done.")
    submit(setting, assigned, criterion_comments={c1.pk: "", c2.pk: "Wordwall used well"})
    submit(setting, assigned)  # nothing changes: no new line in the history

    changes = list(ReviewChange.objects.order_by("id").values_list("kind", "old", "new"))
    first = {"scores": {str(c1.pk): 3, str(c2.pk): 1}, "comments": {str(c1.pk): "Good pace"}, "comment": ""}
    second = {**first, "feedback": FEEDBACK + " Well done."}
    third = {**second, "comments": {str(c2.pk): "Wordwall used well"}}
    assert changes == [
        (ReviewChangeKind.SUBMITTED, None, {**first, "feedback": FEEDBACK}),
        (ReviewChangeKind.REVISED, {**first, "feedback": FEEDBACK}, second),
        (ReviewChangeKind.REVISED, second, third),
    ]


def test_revising_away_the_required_feedback_is_refused_and_keeps_the_submitted_review(setting, assigned):
    submit(setting, assigned, feedback=FEEDBACK)

    with pytest.raises(FeedbackMissing):
        submit(setting, assigned, feedback="")

    review = Review.objects.get()
    assert (review.status, review.feedback, review.history.count()) == (ReviewStatus.SUBMITTED, FEEDBACK, 1)


def test_comment_on_an_unscored_criterion_is_refused(setting, assigned):
    c1, c2 = setting["criteria"]

    with pytest.raises(BaigeError) as refused:
        review_save_draft(
            actor=assigned,
            round=setting["round"],
            entry=setting["entry"],
            scores={c1.pk: 1},
            criterion_comments={c2.pk: "Nice"},
        )

    assert (str(refused.value), refused.value.code) == (
        "Score “Criterion 2” to keep your comment on it.",
        "comment_without_score",
    )
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"comment": "x" * (MAX_TEXT_LENGTH + 1)}, "The note for the organisers has more than 5000 characters."),
        ({"feedback": "x" * (MAX_TEXT_LENGTH + 1)}, "The feedback for the entrant has more than 5000 characters."),
        ({"criterion_comments": "long"}, "The comment on “Criterion 1” has more than 5000 characters."),
    ],
)
def test_texts_over_the_limit_are_refused_in_drafts_and_submissions(setting, assigned, texts, message):
    c1, _c2 = setting["criteria"]
    if texts.get("criterion_comments") == "long":
        texts = {"criterion_comments": {c1.pk: "x" * (MAX_TEXT_LENGTH + 1)}}
    for write in (review_save_draft, review_submit):
        with pytest.raises(BaigeError) as refused:
            write(actor=assigned, round=setting["round"], entry=setting["entry"], scores={c1.pk: 1}, **texts)
        assert (str(refused.value), refused.value.code) == (message, "text_too_long")
    assert Review.objects.count() == 0


def test_text_of_exactly_the_limit_is_kept(setting, assigned):
    review = submit(setting, assigned, feedback="y" * MAX_TEXT_LENGTH)
    assert len(Review.objects.get(pk=review.pk).feedback) == MAX_TEXT_LENGTH


# --- API ----------------------------------------------------------------------------------------------------------


def client_as(user):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def entry_url(setting, suffix=""):  # type: ignore[no-untyped-def]
    return f"/api/v1/jury/rounds/{setting['round'].pk}/entries/{setting['entry'].code}/{suffix}"


def test_api_draft_keeps_feedback_and_comments_and_reads_them_back(setting, assigned):
    client = client_as(assigned)

    response = client.put(
        entry_url(setting, "review/"),
        {"scores": {"c1": 3}, "comments": {"c1": " Lively "}, "feedback": "Short", "comment": "Note"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("review_status", "scores", "comments", "feedback", "comment")} == {
        "review_status": "draft",
        "scores": {"c1": 3},
        "comments": {"c1": "Lively"},
        "feedback": "Short",
        "comment": "Note",
    }
    assert client.get(entry_url(setting, "review/")).json() == body


def test_api_texts_left_out_keep_their_value(setting, assigned):
    client = client_as(assigned)
    client.put(
        entry_url(setting, "review/"),
        {"scores": {"c1": 3}, "comments": {"c1": "Lively"}, "feedback": "Kept", "comment": "Note"},
        format="json",
    )

    body = client.put(entry_url(setting, "review/"), {"scores": {"c2": 1}}, format="json").json()

    assert (body["comments"], body["feedback"], body["comment"]) == ({"c1": "Lively"}, "Kept", "Note")


def test_api_submit_without_required_feedback_is_refused_with_its_code(setting, assigned):
    client = client_as(assigned)

    response = client.post(
        entry_url(setting, "review/submit/"), {"scores": {"c1": 3, "c2": 1}, "feedback": "Too short"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The feedback for the entrant is too short: this round asks for at least 20 characters, it has 9.",
        "code": "feedback_required",
    }
    assert Review.objects.count() == 0


def test_api_submit_with_feedback(setting, assigned):
    response = client_as(assigned).post(
        entry_url(setting, "review/submit/"),
        {"scores": {"c1": 3, "c2": 1}, "feedback": FEEDBACK, "comments": {"c2": "Wordwall used well"}},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["review_status"], body["feedback"], body["comments"]) == (
        "submitted",
        FEEDBACK,
        {"c2": "Wordwall used well"},
    )


def test_api_unknown_criterion_in_comments_and_overlong_texts_are_input_errors(setting, assigned):
    client = client_as(assigned)

    unknown = client.put(entry_url(setting, "review/"), {"comments": {"nope": "x"}}, format="json")
    long = client.put(entry_url(setting, "review/"), {"feedback": "x" * (MAX_TEXT_LENGTH + 1)}, format="json")

    assert (unknown.status_code, unknown.json()["errors"]) == (400, {"comments": ["Unknown criteria: nope."]})
    assert (long.status_code, long.json()["errors"]) == (
        400,
        {"feedback": ["Ensure this field has no more than 5000 characters."]},
    )
    assert Review.objects.count() == 0


def test_api_never_shows_another_jurors_feedback(setting, assigned):
    submit(setting, setting["jurors"][1].user, feedback=FEEDBACK, comment="Secret note")

    body = client_as(assigned).get(entry_url(setting, "review/")).json()

    assert (body["review_status"], body["feedback"], body["comment"], body["comments"]) == ("none", "", "", {})


@pytest.mark.parametrize(("role", "expected"), REFUSED)
@pytest.mark.parametrize(("method", "suffix"), [("get", "review/"), ("put", "review/"), ("post", "review/submit/")])
def test_api_feedback_by_others_refused(request, setting, role, expected, method, suffix):
    submit(setting, setting["jurors"][1].user, feedback=FEEDBACK)
    client = client_as(request.getfixturevalue(role))

    response = getattr(client, method)(
        entry_url(setting, suffix), {"scores": {"c1": 1, "c2": 1}, "feedback": "Mine " * 10}, format="json"
    )

    assert response.status_code == expected
    assert FEEDBACK not in response.content.decode()
    assert list(Review.objects.values_list("feedback", flat=True)) == [FEEDBACK]


# --- Finalising ---------------------------------------------------------------------------------------------------


def test_results_finalise_fixes_what_entrants_see_from_the_round(contest):  # type: ignore[no-untyped-def]
    judged = judged_round(contest)
    Round.objects.filter(pk=judged["round"].pk).update(participant_view=ParticipantView.FEEDBACK)
    judged["round"].refresh_from_db()

    results = results_finalise(actor=None, round=judged["round"])
    Round.objects.filter(pk=judged["round"].pk).update(participant_view=ParticipantView.NOTHING)

    assert Results.objects.get(pk=results.pk).participant_view == ParticipantView.FEEDBACK
