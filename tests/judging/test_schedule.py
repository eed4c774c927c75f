"""Rounds that open and close at their own times, the e-mails that go with it, and the reminder before closing."""

import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from config.celery import app
from contest.enums import Role
from contest.services import contest_format_time
from judging.enums import AssignmentOrigin, ReviewStatus, RoundNoticeKind, RoundStatus
from judging.models import Assignment, JurorReminder, JurorRoundNotice, Review, Round
from judging.services.reminders import jurors_remind_due
from judging.services.rounds import round_open
from judging.services.schedule import rounds_advance
from judging.tasks import advance_rounds
from tests.factories import ContestRoleFactory, ProfileFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

NOW = timezone.now().replace(microsecond=0)


def panel_link(round, language):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return settings.SITE_URL + reverse("frontend:jury_round", kwargs={"round_id": round.pk})


def scheduled_round(contest, *, opens_in=timedelta(minutes=1), closes_in=timedelta(days=7), jurors=2):  # type: ignore[no-untyped-def]
    """A draft round of two entries that is to open ``opens_in`` from NOW, with a rubric and ``jurors`` jurors."""
    criteria_for(contest, 10)
    entries = [entry_from(contest, None) for _ in range(2)]
    members = [juror_in(contest, name=f"Juror {index}") for index in range(jurors)]
    for member in members:
        member.user.profile.preferred_language = "en"
        member.user.profile.save(update_fields=["preferred_language"])
    round = round_of(contest, entries, members, k=1, status=RoundStatus.DRAFT)
    Round.objects.filter(pk=round.pk).update(opens_at=NOW + opens_in, closes_at=NOW + closes_in)
    round.refresh_from_db()
    return round, members


@pytest.fixture
def advance(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run :func:`rounds_advance` at a moment and what waits for the commit (the e-mails), as a worker would."""

    def run(now):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return rounds_advance(now=now)

    return run


def test_the_beat_runs_advance_rounds_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["advance-rounds"]
    assert (entry["task"], entry["schedule"]) == ("judging.advance_rounds", 60.0)
    assert "judging.advance_rounds" in app.tasks


def test_a_round_does_not_open_before_its_time(advance, contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, _jurors = scheduled_round(contest)

    done = advance(NOW)

    round.refresh_from_db()
    assert (done.opened, round.status, len(mailoutbox)) == ([], RoundStatus.DRAFT, 0)


@pytest.mark.django_db(transaction=True)
def test_a_round_opens_once_at_its_time_even_when_two_workers_run_at_once(contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, jurors = scheduled_round(contest, jurors=3)
    later = NOW + timedelta(minutes=2)
    barrier = threading.Barrier(2)
    results: list[object] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(rounds_advance(now=later))
        except BaseException as failed:  # noqa: BLE001 - reported by the test below
            failures.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    round.refresh_from_db()
    assert failures == []
    assert round.status == RoundStatus.OPEN
    assert sorted(len(done.opened) for done in results) == [0, 1]  # type: ignore[attr-defined]
    assert sorted(message.to[0] for message in mailoutbox) == sorted(juror.user.email for juror in jurors)
    assert JurorRoundNotice.objects.filter(round=round, kind=RoundNoticeKind.OPENED).count() == 3
    assert Assignment.objects.filter(round=round).count() == 2


def test_the_opening_email_says_what_waits_where_and_until_when(advance, contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, jurors = scheduled_round(contest, jurors=1)

    done = advance(NOW + timedelta(minutes=1))

    round.refresh_from_db()
    assert (done.opened, round.status) == ([round.pk], RoundStatus.OPEN)
    assert [message.to for message in mailoutbox] == [[jurors[0].user.email]]
    closes = contest_format_time(contest, round.closes_at)
    assert mailoutbox[0].subject == f"Round “Round 1” of {contest.name_en} is open"
    assert mailoutbox[0].body == (
        "Dear Juror 0,\n\n"
        f"Round “Round 1” of {contest.name_en} is open for your reviews.\n"
        "2 entries are waiting for your review.\n"
        f"The round closes on {closes}; after that, scores can no longer be given or changed.\n\n"
        "Your entries are waiting for you in the jury panel:\n"
        f"{panel_link(round, 'en')}\n\n"
        "Thank you for your work on the jury.\n"
        f"{settings.SITE_URL}\n"
    )


def test_the_button_sends_the_same_one_opening_email_and_the_clock_none_after(
    advance, contest, organiser, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    round, jurors = scheduled_round(contest, jurors=2)

    with django_capture_on_commit_callbacks(execute=True):
        round_open(actor=organiser, round=round, now=NOW)
    done = advance(NOW + timedelta(minutes=5))

    assert done.opened == []
    assert sorted(message.to[0] for message in mailoutbox) == sorted(juror.user.email for juror in jurors)


def test_a_round_closes_at_its_time(advance, contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, _jurors = scheduled_round(contest, opens_in=-timedelta(days=3), closes_in=timedelta(hours=1))
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN)

    before = advance(NOW + timedelta(minutes=59))
    after = advance(NOW + timedelta(hours=1))
    again = advance(NOW + timedelta(hours=1, minutes=1))

    round.refresh_from_db()
    assert (before.closed, after.closed, again.closed) == ([], [round.pk], [])
    assert (round.status, round.closed_at) == (RoundStatus.CLOSED, NOW + timedelta(hours=1))


def test_a_round_whose_checks_fail_stays_draft_and_its_organisers_are_told_once(
    advance, contest, organiser, mailoutbox
):  # type: ignore[no-untyped-def]
    other = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=other, preferred_language="kk")
    round, _jurors = scheduled_round(contest, jurors=0)

    first = advance(NOW + timedelta(minutes=1))
    second = advance(NOW + timedelta(minutes=2))

    round.refresh_from_db()
    assert (first.refused, second.refused) == ([round.pk], [round.pk])
    assert (round.status, round.schedule_problem) == (RoundStatus.DRAFT, "no_jurors")
    assert sorted(message.to[0] for message in mailoutbox) == sorted([organiser.email, other.email])
    to_kazakh = next(message for message in mailoutbox if message.to == [other.email])
    with translation.override("kk"):
        rounds_page = settings.SITE_URL + reverse("frontend:organiser_rounds", kwargs={"slug": contest.slug})
        assert to_kazakh.subject == gettext("Round “%(round)s” did not open at its time") % {"round": "Round 1"}
        assert gettext("The round has no jurors.") in to_kazakh.body
    assert rounds_page in to_kazakh.body


def test_a_refused_round_that_is_put_right_opens_and_forgets_its_problem(advance, contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, _jurors = scheduled_round(contest, jurors=0)
    advance(NOW + timedelta(minutes=1))
    juror = juror_in(contest, name="Late")
    round.round_jurors.create(juror=juror)

    done = advance(NOW + timedelta(minutes=2))

    round.refresh_from_db()
    assert (done.opened, round.status, round.schedule_problem) == ([round.pk], RoundStatus.OPEN, "")
    assert mailoutbox[-1].to == [juror.user.email]


def test_jurors_with_unfinished_reviews_are_reminded_once_two_days_before_the_round_closes(
    advance, contest, mailoutbox
):  # type: ignore[no-untyped-def]
    round, jurors = scheduled_round(contest, opens_in=-timedelta(days=5), closes_in=timedelta(days=3), jurors=2)
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN)
    busy, done_juror = jurors
    entries = list(round.entries.order_by("pk"))
    Assignment.objects.create(round=round, juror=busy, entry=entries[0], origin=AssignmentOrigin.MANUAL)
    Assignment.objects.create(round=round, juror=done_juror, entry=entries[1], origin=AssignmentOrigin.MANUAL)
    Review.objects.create(
        round=round, juror=done_juror, entry=entries[1], status=ReviewStatus.SUBMITTED, submitted_at=NOW
    )

    early = advance(NOW + timedelta(hours=23))
    due = advance(NOW + timedelta(days=1, minutes=1))
    later = advance(NOW + timedelta(days=2))

    assert (early.reminded, due.reminded, later.reminded) == (0, 1, 0)
    assert [message.to for message in mailoutbox] == [[busy.user.email]]
    assert mailoutbox[0].subject == "1 entry is waiting for your review in “Round 1”"
    # The daily reminder does not follow within 12 hours.
    assert JurorReminder.objects.get(round=round, juror=busy).sent_at == NOW + timedelta(days=1, minutes=1)
    assert jurors_remind_due(now=NOW + timedelta(days=1, hours=1)) == 0


def test_the_task_opens_the_round_whose_time_has_come(contest, mailoutbox):  # type: ignore[no-untyped-def]
    round, _jurors = scheduled_round(contest, opens_in=-timedelta(minutes=1))

    assert advance_rounds.delay().get() == 1

    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN


def test_the_rounds_page_says_why_a_round_did_not_open_and_which_will_open_by_themselves(
    advance, contest, organiser, client
):  # type: ignore[no-untyped-def]
    refused, _jurors = scheduled_round(contest, jurors=0, opens_in=-timedelta(minutes=1))
    advance(NOW)
    later = round_of(contest, [], [], status=RoundStatus.DRAFT, number=2)
    Round.objects.filter(pk=later.pk).update(opens_at=NOW + timedelta(days=30))
    client.force_login(organiser)

    with translation.override("kk"):
        page = client.get(reverse("frontend:organiser_rounds", kwargs={"slug": contest.slug}))
        expected = [
            f"{gettext('It did not open by itself:')} {gettext('The round has no jurors.')}",
            gettext("opens by itself"),
        ]

    body = page.content.decode()
    assert page.status_code == 200
    assert re.findall(r"data-schedule-problem>([^<]*)<", body) == [expected[0]]
    assert body.count(f"<small>{expected[1]}</small>") == 1
    assert Round.objects.get(pk=refused.pk).schedule_problem == "no_jurors"


def test_a_juror_told_within_the_day_that_a_short_round_opened_is_not_reminded_of_its_closing(
    advance, contest, mailoutbox
):  # type: ignore[no-untyped-def]
    round, jurors = scheduled_round(contest, opens_in=timedelta(minutes=1), closes_in=timedelta(days=1), jurors=1)

    opened = advance(NOW + timedelta(minutes=1))
    soon = advance(NOW + timedelta(minutes=2))
    later = advance(NOW + timedelta(hours=23))

    assert (opened.opened, opened.reminded, soon.reminded, later.reminded) == ([round.pk], 0, 0, 0)
    assert [message.subject for message in mailoutbox] == [f"Round “Round 1” of {contest.name_en} is open"]


def test_the_round_form_says_why_the_round_did_not_open(advance, contest, organiser, client):  # type: ignore[no-untyped-def]
    round, _jurors = scheduled_round(contest, jurors=0, opens_in=-timedelta(minutes=1))
    advance(NOW)
    client.force_login(organiser)

    body = client.get(
        reverse("frontend:organiser_round_edit", kwargs={"slug": contest.slug, "number": round.number})
    ).content.decode()

    assert 'role="status">It did not open by itself: The round has no jurors.</p>' in body
