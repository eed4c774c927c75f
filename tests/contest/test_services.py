from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from config.exceptions import BaigeError, DeadlinePassed, NotAllowed
from contest.enums import EntryStatus
from contest.services import CoAuthorData, entry_create, entry_submit, entry_update, entry_withdraw
from tests.factories import EntryFactory, PlatformFactory


def test_entry_create_when_open(contest, nomination, platforms, participant):
    entry = entry_create(
        actor=participant,
        contest=contest,
        title="Fractions with Wordwall",
        nomination=nomination,
        platforms=platforms,
        coauthors=[CoAuthorData(full_name="Aigerim Sadykova")],
    )
    assert entry.status == EntryStatus.DRAFT
    assert len(entry.code) == 6
    assert sorted(p.name for p in entry.platforms.all()) == ["Canva", "Wordwall"]
    assert [c.full_name for c in entry.coauthors.all()] == ["Aigerim Sadykova"]


def test_entry_create_without_platform_refused(contest, nomination, participant):
    with pytest.raises(BaigeError, match="at least one platform"):
        entry_create(actor=participant, contest=contest, title="T", nomination=nomination, platforms=[])


def test_entry_create_other_platform_needs_name(contest, nomination, participant):
    other = PlatformFactory(contest=contest, is_other=True)
    with pytest.raises(BaigeError, match="Name the other platform"):
        entry_create(actor=participant, contest=contest, title="T", nomination=nomination, platforms=[other])


def test_entry_submit_second_before_deadline(contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    with time_machine.travel(contest.submissions_close - timedelta(seconds=1), tick=False):
        entry_submit(actor=participant, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at == contest.submissions_close - timedelta(seconds=1)


def test_entry_submit_second_after_deadline_refused(contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    after = contest.submissions_close + timedelta(seconds=1)
    with time_machine.travel(after, tick=False), translation.override("ru"), pytest.raises(DeadlinePassed) as refused:
        entry_submit(actor=participant, entry=entry)
    assert "Asia/Almaty" in str(refused.value)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert entry.submitted_at is None


def test_entry_submit_without_file_refused(contest, participant):
    entry = EntryFactory(contest=contest, author=participant)
    with pytest.raises(BaigeError, match="Upload the video or presentation"):
        entry_submit(actor=participant, entry=entry)


def test_entry_submit_sends_email(contest, participant, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    with django_capture_on_commit_callbacks(execute=True):
        entry_submit(actor=participant, entry=entry)
    assert len(mail.outbox) == 1
    assert entry.code in mail.outbox[0].subject
    assert mail.outbox[0].to == [participant.email]


def test_entry_update_by_other_participant_refused(contest, participant, other_participant):
    entry = EntryFactory(contest=contest, author=participant)
    with pytest.raises(NotAllowed):
        entry_update(actor=other_participant, entry=entry, title="Taken over")
    entry.refresh_from_db()
    assert entry.title != "Taken over"


def test_entry_withdraw_then_submit_again(contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    entry_submit(actor=participant, entry=entry)
    entry_withdraw(actor=participant, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    entry_submit(actor=participant, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
