import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from config.celery import app
from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.services import contest_format_time
from judging.enums import AssignmentOrigin, ReviewStatus, RoundStatus
from judging.models import Assignment, AssignmentRemoval, Conflict, JurorReminder, Review, Round
from judging.services.reminders import assignment_reassign, jurors_remind, jurors_remind_due
from judging.tasks import remind_jurors_daily
from tests.factories import ContestFactory, ContestRoleFactory, UniversityFactory
from tests.judging import entry_from, juror_in, round_of

NOW = timezone.now().replace(microsecond=0)


def panel_link(round, language):  # type: ignore[no-untyped-def]
    """The link the e-mail should carry: the round's page in the jury panel."""
    with translation.override(language):
        return settings.SITE_URL + reverse("frontend:jury_round", kwargs={"round_id": round.pk})


def give(round, juror, entry, review=None):  # type: ignore[no-untyped-def]
    Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    if review is not None:
        Review.objects.create(
            round=round,
            juror=juror,
            entry=entry,
            status=review,
            submitted_at=NOW if review == ReviewStatus.SUBMITTED else None,
        )


@pytest.fixture
def remindable(contest, organiser):  # type: ignore[no-untyped-def]
    """An open round closing in a week: Anna has scored 1 of 3, Boris 0 of 1, Vera everything."""
    contest.name_ru = "Самая эффективная платформа"
    contest.save()
    anna = juror_in(contest, name="Anna")
    boris = juror_in(contest, name="Boris")
    vera = juror_in(contest, name="Vera")
    entries = [entry_from(contest, None) for _ in range(3)]
    round = round_of(contest, entries, [anna, boris, vera], k=2)
    Round.objects.filter(pk=round.pk).update(
        name_ru="Первый тур", opens_at=NOW - timedelta(days=2), closes_at=NOW + timedelta(days=7)
    )
    round.refresh_from_db()
    give(round, anna, entries[0], ReviewStatus.SUBMITTED)
    give(round, anna, entries[1], ReviewStatus.DRAFT)
    give(round, anna, entries[2])
    give(round, boris, entries[0])
    give(round, vera, entries[1], ReviewStatus.SUBMITTED)
    return {"round": round, "anna": anna, "boris": boris, "vera": vera, "entries": entries, "organiser": organiser}


# Reminders


def test_jurors_remind_emails_each_juror_with_unfinished_entries_after_commit(
    remindable, mailoutbox, django_capture_on_commit_callbacks
):
    round, anna, boris = remindable["round"], remindable["anna"], remindable["boris"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = jurors_remind(actor=remindable["organiser"], round=round, now=NOW)
        assert len(mailoutbox) == 0  # nothing leaves before the commit

    assert (len(callbacks), done.sent, done.recent, done.finished) == (2, [anna, boris], [], [remindable["vera"]])
    assert sorted(message.to[0] for message in mailoutbox) == sorted([anna.user.email, boris.user.email])
    to_anna = next(message for message in mailoutbox if message.to == [anna.user.email])
    closes = contest_format_time(round.contest, round.closes_at)
    assert to_anna.subject == "2 entries are waiting for your review in “Round 1”"
    assert to_anna.body == (
        "Dear Anna,\n\n"
        f"This is a reminder from the jury of {round.contest.name}, round “Round 1”.\n\n"
        "You have scored 1 of 3 entries.\n"
        f"The round closes on {closes}; after that, scores can no longer be given or changed.\n\n"
        "Your entries are waiting for you in the jury panel:\n"
        f"{panel_link(round, 'en')}\n\n"
        "Thank you for your work on the jury.\n"
        f"{settings.SITE_URL}\n"
    )
    assert set(JurorReminder.objects.filter(round=round).values_list("juror_id", "sent_at")) == {
        (anna.pk, NOW),
        (boris.pk, NOW),
    }


def test_jurors_remind_writes_in_the_jurors_first_language(remindable, mailoutbox, django_capture_on_commit_callbacks):
    round, anna = remindable["round"], remindable["anna"]
    anna.languages = ["ru", "en"]
    anna.save(update_fields=["languages"])

    with django_capture_on_commit_callbacks(execute=True):
        jurors_remind(actor=remindable["organiser"], round=round, jurors=[anna], now=NOW)

    with translation.override("ru"):
        closes = contest_format_time(round.contest, round.closes_at)
    (message,) = mailoutbox
    assert "Первый тур" in message.subject
    assert "Самая эффективная платформа" in message.body
    assert closes in message.body
    assert panel_link(round, "ru") in message.body
    assert "/ru/" in panel_link(round, "ru")


def test_jurors_remind_falls_back_to_the_profile_language(
    remindable, mailoutbox, django_capture_on_commit_callbacks, settings
):
    round = remindable["round"]
    dana = juror_in(round.contest, name="Dana")
    dana.user.profile.preferred_language = "kk"
    dana.user.profile.save(update_fields=["preferred_language"])
    round.round_jurors.create(juror=dana)
    give(round, dana, remindable["entries"][2])

    with django_capture_on_commit_callbacks(execute=True):
        jurors_remind(actor=remindable["organiser"], round=round, jurors=[dana], now=NOW)

    (message,) = mailoutbox
    assert message.to == [dana.user.email]
    assert f"\n{panel_link(round, 'kk')}\n" in message.body
    assert "/kk/jury/r/" in message.body


def test_jurors_remind_sends_nothing_twice_within_12_hours(remindable, mailoutbox, django_capture_on_commit_callbacks):
    round, anna, boris = remindable["round"], remindable["anna"], remindable["boris"]
    organiser = remindable["organiser"]

    with django_capture_on_commit_callbacks(execute=True):
        first = jurors_remind(actor=organiser, round=round, jurors=[anna], now=NOW)
        again = jurors_remind(actor=organiser, round=round, now=NOW + timedelta(hours=11, minutes=59))
        later = jurors_remind(actor=organiser, round=round, jurors=[anna, boris], now=NOW + timedelta(hours=12))

    assert (first.sent, again.sent, again.recent, later.sent, later.recent) == (
        [anna],
        [boris],
        [anna],
        [anna],
        [boris],
    )
    assert [message.to[0] for message in mailoutbox] == [anna.user.email, boris.user.email, anna.user.email]
    assert JurorReminder.objects.get(round=round, juror=anna).sent_at == NOW + timedelta(hours=12)


def test_jurors_remind_sends_nothing_when_the_juror_finished_before_the_email_left(
    remindable, mailoutbox, django_capture_on_commit_callbacks
):
    round, boris = remindable["round"], remindable["boris"]

    with django_capture_on_commit_callbacks() as callbacks:
        jurors_remind(actor=remindable["organiser"], round=round, jurors=[boris], now=NOW)
    Review.objects.create(
        round=round, juror=boris, entry=remindable["entries"][0], status=ReviewStatus.SUBMITTED, submitted_at=NOW
    )
    for callback in callbacks:
        callback()

    assert mailoutbox == []


def test_jurors_remind_refused_unless_the_round_is_open(remindable, mailoutbox):
    round = remindable["round"]
    for status in (RoundStatus.DRAFT, RoundStatus.CLOSED):
        Round.objects.filter(pk=round.pk).update(status=status, closed_at=NOW)
        with pytest.raises(BaigeError, match="Reminders are only sent while the round is open."):
            jurors_remind(actor=remindable["organiser"], round=round, now=NOW)

    assert (JurorReminder.objects.count(), mailoutbox) == (0, [])


def test_jurors_remind_refused_for_a_juror_of_another_round(remindable, contest):
    stranger = juror_in(contest, name="Stranger")

    with pytest.raises(NotAllowed, match="This juror is not a juror of this round."):
        jurors_remind(actor=remindable["organiser"], round=remindable["round"], jurors=[stranger], now=NOW)

    assert JurorReminder.objects.count() == 0


@pytest.mark.parametrize("who", ["participant", "juror", "other_organiser"])
def test_jurors_remind_refused_for_anyone_but_the_contests_organisers(remindable, participant, who, mailoutbox):
    actor = {
        "participant": participant,
        "juror": remindable["anna"].user,
        "other_organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[who]

    with pytest.raises(NotAllowed):
        jurors_remind(actor=actor, round=remindable["round"], now=NOW)

    assert (JurorReminder.objects.count(), mailoutbox) == (0, [])


def test_jurors_remind_due_reminds_only_rounds_taking_reviews_now(
    remindable, contest, mailoutbox, django_capture_on_commit_callbacks
):
    other = juror_in(contest, name="Other")
    entry = entry_from(contest, None)
    draft = round_of(contest, [entry], [other], k=1, status=RoundStatus.DRAFT, number=2)
    give(draft, other, entry)
    not_yet = round_of(contest, [entry], [other], k=1, number=3)
    Round.objects.filter(pk=not_yet.pk).update(opens_at=NOW + timedelta(days=1))
    give(not_yet, other, entry)

    with django_capture_on_commit_callbacks(execute=True):
        first = jurors_remind_due(now=NOW)
        second = jurors_remind_due(now=NOW + timedelta(hours=1))

    assert (first, second) == (2, 0)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [remindable["anna"].user.email, remindable["boris"].user.email]
    )


def test_remind_jurors_daily_is_on_celery_beats_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-jurors-daily"]

    assert entry["task"] == "judging.remind_jurors_daily"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({9}, {0})
    assert remind_jurors_daily.name in app.tasks


@pytest.mark.services
def test_remind_jurors_daily_through_a_live_worker_sends_each_reminder_once(workers, contest):
    workers.start("default")
    mail_dir = workers.mail_dir
    anna = juror_in(contest, name="Anna")
    entries = [entry_from(contest, None) for _ in range(2)]
    round = round_of(contest, entries, [anna], k=1)
    give(round, anna, entries[0])
    give(round, anna, entries[1], ReviewStatus.SUBMITTED)

    remind_jurors_daily.delay()
    remind_jurors_daily.delay()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and workers.log().count("judging.send_juror_reminder[") < 2:
        time.sleep(0.2)
    while time.monotonic() < deadline and workers.log().count("judging.remind_jurors_daily[") < 4:
        time.sleep(0.2)
    time.sleep(1)
    messages = [path.read_text() for path in mail_dir.iterdir()] if mail_dir.exists() else []
    assert len(messages) == 1, workers.log()
    assert f"To: {anna.user.email}" in messages[0]
    assert "You have scored 1 of 2 entries." in messages[0]
    assert JurorReminder.objects.filter(round=round, juror=anna).count() == 1


# Reassignment


@pytest.fixture
def stalled(contest, organiser):  # type: ignore[no-untyped-def]
    """Idle has e1, e2 unfinished and e3 submitted; Busy has 2 entries, Free 1 (conflicts with e1), Spare 1 (has e2)."""
    far = UniversityFactory()
    idle = juror_in(contest, name="Idle")
    busy = juror_in(contest, name="Busy")
    free = juror_in(contest, far, name="Free")
    spare = juror_in(contest, name="Spare")
    e1 = entry_from(contest, far)
    e2, e3, e4, e5 = (entry_from(contest, None) for _ in range(4))
    round = round_of(contest, [e1, e2, e3, e4, e5], [idle, busy, free, spare], k=2)
    give(round, idle, e1, ReviewStatus.DRAFT)
    give(round, idle, e2)
    give(round, idle, e3, ReviewStatus.SUBMITTED)
    give(round, busy, e4)
    give(round, busy, e5)
    give(round, free, e3)
    give(round, spare, e2)
    return {"round": round, "organiser": organiser, "entries": (e1, e2, e3, e4, e5)} | {
        juror.user.profile.full_name.lower(): juror for juror in (idle, busy, free, spare)
    }


def state(round):  # type: ignore[no-untyped-def]
    return (
        sorted(Assignment.objects.filter(round=round).values_list("juror_id", "entry_id")),
        sorted(Review.objects.filter(round=round).values_list("juror_id", "entry_id", "status")),
        sorted(AssignmentRemoval.objects.filter(round=round).values_list("juror_id", "entry_id")),
    )


def test_assignment_reassign_moves_each_unfinished_entry_to_the_least_loaded_juror_who_may_take_it(stalled):
    round, idle = stalled["round"], stalled["idle"]
    e1, e2, e3, _e4, _e5 = stalled["entries"]

    moves = assignment_reassign(actor=stalled["organiser"], round=round, juror=idle)

    # e1: Free has a conflict, so Spare (1 entry) over Busy (2); e2: Spare has it, so Free (1) over Busy (2).
    assert {move.entry.code: str(move.to) for move in moves} == {e1.code: "Spare", e2.code: "Free"}
    assert [move.entry.code for move in moves] == sorted([e1.code, e2.code])
    assignments, reviews, removals = state(round)
    assert [pair for pair in assignments if pair[0] == idle.pk] == [(idle.pk, e3.pk)]
    assert (stalled["spare"].pk, e1.pk) in assignments
    assert (stalled["free"].pk, e2.pk) in assignments
    assert reviews == [(idle.pk, e3.pk, ReviewStatus.SUBMITTED)]  # the draft of e1 is gone, the submitted review stays
    assert removals == sorted([(idle.pk, e1.pk), (idle.pk, e2.pk)])
    assert set(Assignment.objects.filter(round=round, entry__in=[e1, e2]).values_list("origin", flat=True)) == {
        AssignmentOrigin.MANUAL
    }


def test_assignment_reassign_one_entry_to_a_chosen_juror(stalled):
    round, idle, busy = stalled["round"], stalled["idle"], stalled["busy"]
    e2 = stalled["entries"][1]

    moves = assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, entries=[e2], to=busy)

    assert [(move.entry, move.to) for move in moves] == [(e2, busy)]
    assert Assignment.objects.filter(round=round, juror=busy, entry=e2).exists()
    assert not Assignment.objects.filter(round=round, juror=idle, entry=e2).exists()
    assert Assignment.objects.filter(round=round, juror=idle).count() == 2


def test_assignment_reassign_respects_the_jurors_limits(stalled):
    round = stalled["round"]
    stalled["spare"].max_load = 1
    stalled["spare"].save(update_fields=["max_load"])

    moves = assignment_reassign(actor=stalled["organiser"], round=round, juror=stalled["idle"])

    assert {move.entry.code: str(move.to) for move in moves} == {
        stalled["entries"][0].code: "Busy",
        stalled["entries"][1].code: "Free",
    }


def test_assignment_reassign_refused_naming_each_entry_that_cannot_move_and_changes_nothing(stalled):
    round, idle, free = stalled["round"], stalled["idle"], stalled["free"]
    e1, e2, e3, _e4, _e5 = stalled["entries"]
    Conflict.objects.create(juror=free, entry=e2)
    stalled["busy"].max_load = 2
    stalled["busy"].save(update_fields=["max_load"])
    before = state(round)

    with pytest.raises(BaigeError) as refused:
        assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, to=free)

    assert str(refused.value) == (
        "Nothing was moved: "
        + "; ".join(
            sorted(
                [
                    f"{e1.code}: Free has a conflict of interest with it",
                    f"{e2.code}: Free has a conflict of interest with it",
                ]
            )
        )
    )
    assert refused.value.code == "cannot_reassign"
    assert state(round) == before

    # Nobody at all may take e1: Free has a conflict, Spare is at their limit, Busy too.
    stalled["spare"].max_load = 1
    stalled["spare"].save(update_fields=["max_load"])
    with pytest.raises(BaigeError) as nobody:
        assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, entries=[e1])
    assert str(nobody.value) == (
        f"Nothing was moved: {e1.code}: every other juror of the round is already assigned to it, "
        "has a conflict of interest with it or is at their limit"
    )
    assert state(round) == before

    with pytest.raises(BaigeError) as submitted:
        assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, entries=[e3, e2])
    assert str(submitted.value) == f"Nothing was moved: {e3.code}: Idle has submitted its review, which stays"
    assert state(round) == before


def test_assignment_reassign_refused_for_a_juror_already_on_the_entry_or_over_the_limit(stalled):
    round, idle, spare, busy = stalled["round"], stalled["idle"], stalled["spare"], stalled["busy"]
    e1, e2 = stalled["entries"][:2]
    busy.max_load = 2
    busy.save(update_fields=["max_load"])
    before = state(round)

    with pytest.raises(BaigeError) as taken:
        assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, entries=[e2], to=spare)
    with pytest.raises(BaigeError) as full:
        assignment_reassign(actor=stalled["organiser"], round=round, juror=idle, entries=[e1], to=busy)

    assert str(taken.value) == f"Nothing was moved: {e2.code}: Spare is already assigned to it"
    assert str(full.value) == f"Nothing was moved: {e1.code}: Busy would go over their limit of 2 entries"
    assert state(round) == before


def test_assignment_reassign_refused_when_nothing_is_left_or_the_round_is_closed(stalled):
    round = stalled["round"]
    before = state(round)

    with pytest.raises(BaigeError, match="Choose another juror to give the entries to."):
        assignment_reassign(actor=stalled["organiser"], round=round, juror=stalled["idle"], to=stalled["idle"])
    Review.objects.bulk_create(
        Review(round=round, juror=stalled["busy"], entry=entry, status=ReviewStatus.SUBMITTED, submitted_at=NOW)
        for entry in stalled["entries"][3:]
    )
    with pytest.raises(BaigeError, match="Busy has no unfinished entries to move."):
        assignment_reassign(actor=stalled["organiser"], round=round, juror=stalled["busy"])
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=NOW)
    with pytest.raises(BaigeError, match="is closed: nothing in it can change any more."):
        assignment_reassign(actor=stalled["organiser"], round=round, juror=stalled["idle"])

    assert state(round)[0] == before[0]


@pytest.mark.parametrize("who", ["participant", "juror", "other_organiser"])
def test_assignment_reassign_refused_for_anyone_but_the_contests_organisers(stalled, participant, who):
    actor = {
        "participant": participant,
        "juror": stalled["busy"].user,
        "other_organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[who]
    before = state(stalled["round"])

    with pytest.raises(NotAllowed):
        assignment_reassign(actor=actor, round=stalled["round"], juror=stalled["idle"])

    assert state(stalled["round"]) == before
