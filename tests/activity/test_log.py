"""Each organiser write, and a juror's submitted reviews, leave rows in the contest's activity log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from activity.models import ActivityEntry
from contest.services import contest_update
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Conflict, Criterion, Review, Round, RoundEntry
from judging.services.assignments import assignment_add, assignment_remove
from judging.services.reviews import review_submit
from judging.services.rounds import round_close, round_open
from judging.services.rubric import rubric_criterion_save
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.judging.test_conflicts import setting, submit, unis  # noqa: F401  (the conflicts' fixtures)

CREATE, UPDATE, DELETE = ActivityEntry.Action.CREATE, ActivityEntry.Action.UPDATE, ActivityEntry.Action.DELETE


def rows(model: type[models.Model], *, action: int | None = None, pk: Any = None) -> list[ActivityEntry]:
    """The log's rows of ``model``, oldest first."""
    found = ActivityEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if action is not None:
        found = found.filter(action=action)
    if pk is not None:
        found = found.filter(object_id=pk)
    return list(found.order_by("timestamp", "pk"))


def test_log_contest_settings_change_has_before_and_after(contest, organiser):
    old_name = contest.name_en
    contest_update(actor=organiser, contest=contest, name_en="Renamed contest", max_pages=50)
    # The first rows are the fixture's universities being listed.
    universities, row = rows(type(contest), action=UPDATE)
    assert universities.changes["universities"]["operation"] == "add"
    assert row.contest_id == contest.pk
    assert row.changes["name_en"] == [old_name, "Renamed contest"]
    assert row.changes["max_pages"] == ["200", "50"]
    assert "updated_at" not in row.changes


def test_log_rubric_criterion_change(contest, organiser):
    criterion = rubric_criterion_save(actor=organiser, contest=contest, name_en="Content", max_score=5)
    rubric_criterion_save(actor=organiser, contest=contest, criterion=criterion, name_en="Content", max_score=10)
    [created] = rows(Criterion, action=CREATE)
    [changed] = rows(Criterion, action=UPDATE)
    assert created.contest_id == changed.contest_id == contest.pk
    assert changed.changes == {"max_score": ["5", "10"]}


@pytest.fixture
def judging(contest: Any) -> dict[str, Any]:
    contest.submissions_open = timezone.now() - timedelta(days=20)
    contest.submissions_close = timezone.now() - timedelta(days=1)
    contest.save()
    criteria = criteria_for(contest, 5)
    entries = [entry_from(contest, None, title=f"Lesson {n}") for n in range(2)]
    jurors = [juror_in(contest, name="Dana Juror"), juror_in(contest, name="Arman Juror")]
    round = round_of(contest, entries, jurors, status=RoundStatus.DRAFT)
    return {"criteria": criteria, "entries": entries, "jurors": jurors, "round": round}


def test_log_round_opened_and_closed(judging, organiser):
    round = judging["round"]
    round_open(actor=organiser, round=round)
    round_close(actor=organiser, round=Round.objects.get(pk=round.pk), confirm_unjudged=True)
    changes = [row.changes for row in rows(Round, action=UPDATE, pk=round.pk)]
    assert changes[0] == {"status": ["draft", "open"]}
    assert changes[-1]["status"] == ["open", "closed"]
    assert {row.contest_id for row in rows(Round)} == {round.contest_id}


def test_log_assignment_added_and_removed(judging, organiser):
    round, juror, entry = judging["round"], judging["jurors"][0], judging["entries"][0]
    round_open(actor=organiser, round=round)
    # Opening the round assigned every juror to every entry (in bulk), each logged.
    assert len(rows(Assignment, action=CREATE)) == 4
    first = Assignment.objects.get(round=round, juror=juror, entry=entry)
    assignment_remove(actor=organiser, round=round, juror=juror, entry=entry)
    assignment = assignment_add(actor=organiser, round=round, juror=juror, entry=entry)
    [removed] = rows(Assignment, action=DELETE)
    assert removed.object_id == first.pk
    [added] = rows(Assignment, action=CREATE, pk=assignment.pk)
    assert added.contest_id == removed.contest_id == round.contest_id
    assert added.object_repr == removed.object_repr == f"{round} · Dana Juror · {entry}"
    assert added.changes["juror"] == ["None", str(juror.pk)]
    assert added.changes["origin"] == ["None", "manual"]


def test_log_round_members_set_in_bulk(judging, organiser):
    from judging.services.rounds import round_entries_set

    round, entries = judging["round"], judging["entries"]
    round_entries_set(actor=organiser, round=round, entries=entries[:1])
    [gone] = rows(RoundEntry, action=DELETE)
    assert gone.object_repr == f"{round} · {entries[1]}"
    assert gone.contest_id == round.contest_id
    round_entries_set(actor=organiser, round=round, entries=entries)
    assert [row.object_repr for row in rows(RoundEntry, action=CREATE)][-1] == f"{round} · {entries[1]}"


def _submit(judging: dict[str, Any], value: int, *, comment: str = "") -> Review:
    round, juror, entry = judging["round"], judging["jurors"][0], judging["entries"][0]
    return review_submit(
        actor=juror.user, round=round, entry=entry, scores={judging["criteria"][0].pk: value}, comment=comment
    )


def test_log_juror_submits_and_revises_a_review_but_not_drafts(judging, organiser):
    from judging.services.reviews import review_save_draft

    round, juror, entry = judging["round"], judging["jurors"][0], judging["entries"][0]
    round_open(actor=organiser, round=round)
    Assignment.objects.get_or_create(round=round, juror=juror, entry=entry)
    criterion = judging["criteria"][0]
    review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 1}, comment="draft")
    review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 2}, comment="draft 2")
    assert rows(Review) == []
    review = _submit(judging, 3, comment="Good")
    _submit(judging, 4, comment="Good")
    submitted, revised = rows(Review)
    assert submitted.contest_id == revised.contest_id == round.contest_id
    assert submitted.object_id == revised.object_id == review.pk
    assert submitted.changes == {
        "status": ["draft", "submitted"],
        f"score:{criterion.pk}": ["None", "3"],
        "comment": ["None", "Good"],
    }
    assert revised.changes == {f"score:{criterion.pk}": ["3", "4"]}


def test_log_conflict_resolved_and_review_set_aside(setting, organiser):  # noqa: F811
    from judging.conflicts import conflict_declare, conflict_resolve

    dana, first = setting["jurors"][0], setting["entries"][0]
    submit(setting, dana, first, (0, 0))
    conflict = conflict_declare(actor=dana.user, juror=dana, code=first.code)
    conflict_resolve(actor=organiser, conflict=conflict, reviews="set_aside", reason="Her own student's entry")
    [declared] = rows(Conflict, action=CREATE)
    assert declared.contest_id == setting["round"].contest_id
    resolved = rows(Conflict, action=UPDATE)[-1]
    assert resolved.changes["state"] == ["pending", "resolved"]
    assert resolved.changes["review_decision"] == ["", "set_aside"]
    assert resolved.changes["resolution_reason"] == ["", "Her own student's entry"]
    review = Review.objects.get(juror=dana, entry=first)
    set_aside = rows(Review, pk=review.pk)[-1]
    assert set_aside.contest_id == setting["round"].contest_id
    assert set_aside.changes == {
        "status": [ReviewStatus.SUBMITTED.value, ReviewStatus.SET_ASIDE.value],
        "set_aside_reason": ["None", "Her own student's entry"],
    }


def test_log_award_change_and_publication(contest, organiser):
    from judging.models import Award, Results
    from judging.services.publication import results_publish
    from judging.services.results import award_change, results_finalise
    from tests.judging.test_results import FINALISED, judged_round

    judged = judged_round(contest)
    results = results_finalise(actor=judged["organiser"], round=judged["round"], now=FINALISED)
    made = rows(Award, action=CREATE)
    assert len(made) == results.awards.count() == 6
    assert {row.contest_id for row in made} == {contest.pk}
    award = Award.objects.get(key="nomination-quiz/place-2/2")
    old_entry = award.entry
    award_change(actor=judged["organiser"], award=award, entry=judged["entries"]["QUIZ04"], place=3, reason="Withdrawn")
    [changed] = rows(Award, action=UPDATE)
    assert changed.changes == {
        "entry": [str(old_entry.pk), str(judged["entries"]["QUIZ04"].pk)],
        "place": ["2", "3"],
    }
    type(contest).objects.filter(pk=contest.pk).update(
        submissions_open=timezone.now() - timedelta(days=20), submissions_close=timezone.now() - timedelta(days=1)
    )
    results.round.contest.refresh_from_db()
    results_publish(actor=judged["organiser"], results=results, confirm_unjudged=True)
    published = rows(Results, action=UPDATE)[-1]
    assert published.contest_id == contest.pk
    assert published.changes["published_at"][0] == "None"


def test_log_certificate_revoked_by_hand_and_when_no_longer_due(contest, organiser):
    from certificates.enums import CertificateKind
    from certificates.models import Certificate
    from certificates.services import certificate_revoke, certificates_issue
    from judging.services.results import award_change
    from tests.certificates import published_contest

    scenario = published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)
    letter = Certificate.objects.filter(kind=CertificateKind.JUROR).first()
    assert letter is not None
    assert len(rows(Certificate, action=CREATE, pk=letter.pk)) == 1
    certificate_revoke(actor=organiser, certificate=letter, reason="Left the jury")
    [revoked] = rows(Certificate, action=UPDATE, pk=letter.pk)
    assert revoked.contest_id == contest.pk
    assert revoked.changes["revoked_reason"] == ["", "Left the jury"]
    assert revoked.changes["revoked_by"] == ["None", str(organiser.pk)]
    # A diploma whose award went to another entry is revoked in bulk: logged all the same.
    finalised = scenario.finalised
    old = Certificate.objects.get(kind=CertificateKind.WINNER, entry=finalised.silver)
    award_change(actor=organiser, award=finalised.results.awards.get(place=2), entry=finalised.loser, reason="Gone")
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)
    [bulk] = rows(Certificate, action=UPDATE, pk=old.pk)[-1:]
    assert bulk.contest_id == contest.pk
    assert bulk.changes["revoked_reason"] == [
        "",
        "What this certificate was issued for has changed: it no longer applies.",
    ]


def test_log_shortlist_change(judging, organiser):
    from judging.services.rounds import round_shortlist

    round, entries = judging["round"], judging["entries"]
    round_open(actor=organiser, round=round)
    round_close(actor=organiser, round=Round.objects.get(pk=round.pk), confirm_unjudged=True)
    round_shortlist(actor=organiser, round=Round.objects.get(pk=round.pk), entries=entries[:1])
    [shortlisted] = rows(RoundEntry, action=UPDATE)
    assert shortlisted.changes == {"shortlisted": ["False", "True"]}
    assert shortlisted.object_repr == f"{round} · {entries[0]}"
    assert shortlisted.contest_id == round.contest_id


def test_log_entries_import_created_and_changed_entries(contest, platforms, participant, tmp_path):
    from contest.models import Entry
    from tests.exchange.test_import_entries import line, run
    from tests.factories import EntryFactory, NominationFactory

    quiz = NominationFactory(contest=contest, slug="quiz", name="Best quiz", name_en="Best quiz")
    entry = EntryFactory(
        contest=contest, author=participant, title="Old title", nomination=quiz, platforms=[platforms[0]]
    )
    entry.code = "ABC123"
    entry.save(update_fields=["code"])
    rows_in_file = [
        line(email=participant.email, title="New title", nomination="quiz", platforms="Canva", code="abc123"),
        line(
            email="new.person@example.org", full_name="New Person", title="Fresh", nomination="quiz", platforms="Canva"
        ),
    ]
    result = run(contest, rows_in_file, tmp_path)
    assert result.errors == []
    changed = rows(Entry, action=UPDATE, pk=entry.pk)[-1]
    assert changed.contest_id == contest.pk
    assert changed.changes["title"] == ["Old title", "New title"]
    assert changed.changes["status"] == ["draft", "submitted"]
    fresh = Entry.objects.get(title="Fresh")
    [created] = rows(Entry, action=CREATE, pk=fresh.pk)
    assert created.contest_id == contest.pk
    assert created.object_repr == str(fresh)
    assert created.changes["title"] == ["None", "Fresh"]
