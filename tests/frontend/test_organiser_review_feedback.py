"""The organisers read a juror's submitted reviews on the round's progress page: feedback, comments and note."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from judging.models import Assignment
from judging.services.reviews import review_save_draft, review_submit
from tests.judging import criteria_for, entry_from, juror_in, round_of


def juror_page(round, juror, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(
            "frontend:organiser_progress_juror",
            kwargs={"slug": round.contest.slug, "number": round.number, "juror_id": juror.pk},
        )


@pytest.fixture
def reviewed(contest):  # type: ignore[no-untyped-def]
    """A blind open round: Dana submitted a review of the first entry with texts and keeps a draft of the second."""
    c1, c2 = criteria_for(contest, 4, 3)
    first, second = entry_from(contest, None), entry_from(contest, None)
    dana = juror_in(contest, name="Dana")
    round = round_of(contest, [first, second], [dana], k=1)
    for entry in (first, second):
        Assignment.objects.create(round=round, juror=dana, entry=entry)
    review_submit(
        actor=dana.user,
        round=round,
        entry=first,
        scores={c1.pk: 3, c2.pk: 2},
        comment="Looks like a colleague's work",
        feedback="Clear goals; show the rules first.",
        criterion_comments={c2.pk: "Wordwall used well"},
    )
    review_save_draft(
        actor=dana.user, round=round, entry=second, scores={c1.pk: 1}, feedback="Draft feedback, not yet sent"
    )
    return {"round": round, "juror": dana, "first": first, "second": second}


def test_progress_juror_page_shows_submitted_reviews_with_feedback_comments_and_note(client, organiser, reviewed):
    client.force_login(organiser)

    body = client.get(juror_page(reviewed["round"], reviewed["juror"])).content.decode()

    assert f'<details class="review-detail" data-review="{reviewed["first"].pk}">' in body
    assert "<dt>Criterion 1: 3 / 4</dt>\n      <dd>—</dd>" in body
    assert "<dt>Criterion 2: 2 / 3</dt>\n      <dd>Wordwall used well</dd>" in body
    assert "<dd data-feedback>Clear goals; show the rules first.</dd>" in body
    assert "<dd data-note>Looks like a colleague&#x27;s work</dd>" in body
    # A draft stays the juror's own until submitted.
    assert "Draft feedback, not yet sent" not in body
    assert body.count('class="review-detail"') == 1


def test_progress_juror_page_feedback_never_shown_to_jurors(client, reviewed, contest):  # type: ignore[no-untyped-def]
    client.force_login(reviewed["juror"].user)

    response = client.get(juror_page(reviewed["round"], reviewed["juror"]))

    assert response.status_code == 403
    assert "Clear goals" not in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_progress_juror_page_queries_do_not_grow_with_submitted_reviews(
    client, contest, organiser, django_assert_num_queries, size
):  # type: ignore[no-untyped-def]
    (c1,) = criteria_for(contest, 4)
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(2)]
    entries = [entry_from(contest, None) for _ in range(size)]
    round = round_of(contest, entries, jurors, k=1)
    for entry in entries:
        Assignment.objects.create(round=round, juror=jurors[0], entry=entry)
        review_submit(
            actor=jurors[0].user, round=round, entry=entry, scores={c1.pk: 2}, feedback="Fine", criterion_comments={}
        )
    client.force_login(organiser)

    # As without reviews, plus their scores with the criteria.
    with django_assert_num_queries(11):
        response = client.get(juror_page(round, jurors[0]))

    assert response.content.decode().count('class="review-detail"') == size
