"""Queueing a task by its name once the transaction commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from config.enqueue import enqueue_on_commit, task_send
from tests.factories import EntryFactory


def test_enqueue_on_commit_runs_the_named_task_after_commit(contest, participant, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit("contest.send_entry_submitted_email", entry_id=entry.pk)
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_enqueue_on_commit_rolled_back_queues_nothing(contest, participant, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit("contest.send_entry_submitted_email", entry_id=entry.pk)
        transaction.set_rollback(True)
    assert callbacks == []
    assert mail.outbox == []


def test_task_send_unknown_name_refused(db):
    with pytest.raises(KeyError):
        task_send("contest.no_such_task")
