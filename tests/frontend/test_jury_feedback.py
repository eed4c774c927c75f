"""The rubric form's texts: a comment per criterion, feedback for the entrant, the note for the organisers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from judging.enums import ReviewStatus
from judging.models import Assignment, Review, Round
from judging.services.reviews import review_submit
from tests.factories import ContestFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

FEEDBACK = "Clear goals; show the rules before the quiz."


@pytest.fixture
def panel(contest):  # type: ignore[no-untyped-def]
    """An open blind round asking for feedback of 20 characters: a juror and a colleague assigned one entry."""
    criteria = criteria_for(contest, 4, 3)
    entry = entry_from(contest, None, title="Fractions with Wordwall")
    juror, colleague = juror_in(contest, name="Juror One"), juror_in(contest, name="Juror Two")
    round = round_of(contest, [entry], [juror, colleague], k=2)
    Round.objects.filter(pk=round.pk).update(feedback_required=True, feedback_min_length=20)
    round.refresh_from_db()
    for seat in (juror, colleague):
        Assignment.objects.create(round=round, juror=seat, entry=entry)
    return {"round": round, "entry": entry, "juror": juror, "colleague": colleague, "criteria": criteria}


@pytest.fixture
def juror_client(client, panel):  # type: ignore[no-untyped-def]
    client.force_login(panel["juror"].user)
    return client


def page_of(panel, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:jury_entry", kwargs={"round_id": panel["round"].pk, "code": panel["entry"].code})


def body_of(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


FULL = {"score-c1": "4", "score-c2": "2", "comment-c1": "  Lively start ", "comment-c2": "", "comment": "Note"}


def test_form_has_a_comment_per_criterion_feedback_and_the_note_each_labelled(juror_client, panel):
    body = body_of(juror_client.get(page_of(panel)))

    for slug, name in (("c1", "Criterion 1"), ("c2", "Criterion 2")):
        assert (
            f'<label for="comment-{slug}" class="criterion-comment-label">Comment on “{name}” for the entrant' in body
        )
        assert f'<textarea id="comment-{slug}" name="comment-{slug}" rows="2" maxlength="5000"' in body
    assert '<label for="review-feedback">Feedback for the entrant</label>' in body
    assert "Required to submit the review: at least 20 characters." in body
    assert '<label for="review-comment">Note for the organisers (never shown to the entrant)</label>' in body
    # The rubric panel scrolls on its own on wide screens: it takes the keyboard's focus and has a name.
    assert re.search(
        r'<form method="post" class="rubric" data-review-form tabindex="0" aria-labelledby="review-heading"', body
    )
    assert '<h2 id="review-heading">Your review</h2>' in body


def test_every_form_control_has_a_label(juror_client, panel):
    body = body_of(juror_client.get(page_of(panel)))
    start = body.index("data-review-form")
    form = body[start : body.index("</form>", start)]

    for match in re.finditer(r"<(textarea|input)\b([^>]*)>", form):
        attributes = match.group(2)
        if 'type="hidden"' in attributes or 'type="radio"' in attributes:
            continue  # a radio sits inside its <label>
        name = re.search(r'id="([^"]+)"', attributes)
        assert "aria-label=" in attributes or (name and f'for="{name.group(1)}"' in form), attributes
    assert form.count('<label class="level">') == 5 + 4


def test_post_draft_keeps_comments_feedback_and_note_without_the_required_feedback(juror_client, panel):
    response = juror_client.post(page_of(panel), {**FULL, "feedback": "", "action": "draft"})

    assert response.status_code == 302
    review = Review.objects.get(juror=panel["juror"])
    assert (review.status, review.feedback, review.comment) == (ReviewStatus.DRAFT, "", "Note")
    assert list(review.scores.values_list("criterion__slug", "comment")) == [("c1", "Lively start"), ("c2", "")]
    body = body_of(juror_client.get(page_of(panel)))
    assert ">Lively start</textarea>" in body
    assert ">Note</textarea>" in body


def test_post_submit_with_feedback(juror_client, panel):
    response = juror_client.post(page_of(panel), {**FULL, "feedback": FEEDBACK, "action": "submit"})

    assert response.status_code == 302
    review = Review.objects.get(juror=panel["juror"])
    assert (review.status, review.feedback) == (ReviewStatus.SUBMITTED, FEEDBACK)
    assert f">{FEEDBACK}</textarea>" in body_of(juror_client.get(page_of(panel)))


def test_post_submit_without_enough_feedback_is_refused_and_keeps_what_was_typed(juror_client, panel):
    response = juror_client.post(page_of(panel), {**FULL, "feedback": "Too short", "action": "submit"})

    body = body_of(response)
    assert response.status_code == 400
    assert "The feedback for the entrant is too short: this round asks for at least 20 characters, it has 9." in body
    assert ">Too short</textarea>" in body
    assert ">  Lively start </textarea>" in body
    assert '<input type="radio" name="score-c1" value="4" checked>' in body
    assert not Review.objects.exists()


def test_post_submit_refusal_in_kazakh(juror_client, panel):
    with translation.override("kk"):
        expected = translation.gettext(
            "This round asks for feedback for the entrant of at least %(min)d characters: "
            "write it before submitting the review."
        ) % {"min": 20}
        label = translation.gettext("Note for the organisers (never shown to the entrant)")

    response = juror_client.post(page_of(panel, "kk"), {**FULL, "feedback": "", "action": "submit"})

    body = body_of(response)
    assert response.status_code == 400
    assert expected in body
    assert label in body
    assert "feedback for the entrant" not in expected
    assert "Note for the organisers" not in label


def test_post_comment_on_an_unscored_criterion_is_refused_and_kept(juror_client, panel):
    response = juror_client.post(
        page_of(panel), {"score-c1": "1", "comment-c2": "Wordwall used well", "action": "draft"}
    )

    body = body_of(response)
    assert response.status_code == 400
    assert "Score “Criterion 2” to keep your comment on it." in body
    assert ">Wordwall used well</textarea>" in body
    assert not Review.objects.exists()


def test_post_overlong_feedback_is_refused(juror_client, panel):
    response = juror_client.post(page_of(panel), {**FULL, "feedback": "x" * 5001, "action": "draft"})

    assert response.status_code == 400
    assert "The feedback for the entrant has more than 5000 characters." in body_of(response)
    assert not Review.objects.exists()


def test_optional_feedback_says_so(juror_client, panel):
    Round.objects.filter(pk=panel["round"].pk).update(feedback_required=False, feedback_min_length=0)

    body = body_of(juror_client.get(page_of(panel)))

    assert '<small id="review-feedback-help">Optional.' in body
    assert "Required to submit" not in body


def test_a_colleagues_feedback_and_note_never_show(juror_client, panel):
    c1, c2 = panel["criteria"]
    review_submit(
        actor=panel["colleague"].user,
        round=panel["round"],
        entry=panel["entry"],
        scores={c1.pk: 1, c2.pk: 1},
        feedback="Colleague's feedback for the entrant",
        comment="Colleague's private note",
        criterion_comments={c1.pk: "Colleague's comment"},
    )

    body = body_of(juror_client.get(page_of(panel)))

    for text in ("Colleague's feedback for the entrant", "Colleague's private note", "Colleague's comment"):
        assert text not in body


@pytest.mark.parametrize("who", ["anonymous", "participant", "organiser", "colleague_elsewhere"])
def test_post_with_feedback_by_others_refused(client, panel, who, participant, organiser):  # type: ignore[no-untyped-def]
    users = {
        "anonymous": None,
        "participant": participant,
        "organiser": organiser,
        "colleague_elsewhere": juror_in(ContestFactory(), name="Elsewhere").user,
    }
    if users[who] is not None:
        client.force_login(users[who])

    response = client.post(page_of(panel), {**FULL, "feedback": FEEDBACK, "action": "submit"})

    assert response.status_code in (302, 404)
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert not Review.objects.exists()
