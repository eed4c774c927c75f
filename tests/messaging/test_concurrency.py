"""Clicks and workers at the same moment: the message is sent once, each copy leaves once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from config.exceptions import BaigeError
from messaging.audiences import Audience
from messaging.enums import DeliveryStatus, MessageState
from messaging.models import Message, MessageRecipient
from messaging.services import message_recipient_send, message_recipients_create, message_save, message_send
from tests.messaging import people_of


def at_once(work: Callable[[], object], times: int = 3) -> list[BaseException]:
    """Run ``work`` in ``times`` threads released together; what they raised."""
    barrier = threading.Barrier(times)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as failed:  # noqa: BLE001 - reported by the caller
            failures.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def draft(contest, organiser) -> Message:  # type: ignore[no-untyped-def]
    people_of(contest)
    return message_save(
        actor=organiser,
        contest=contest,
        subjects={"en": "Hello {name}"},
        bodies={"en": "Entries: {entry_code}"},
        audience=Audience(submitted=True, coauthors=True),
    )


@pytest.mark.django_db(transaction=True)
def test_three_clicks_on_send_at_once_send_each_copy_once(contest, organiser, mailoutbox):
    message = draft(contest, organiser)

    failures = at_once(lambda: message_send(actor=organiser, message=Message.objects.get(pk=message.pk)))

    # The threads speak the site's language: the refusal is known by its code.
    assert [getattr(failure, "code", failure) for failure in failures] == ["message_sent"] * 2
    assert all(isinstance(failure, BaigeError) for failure in failures)
    assert sorted(email.to[0] for email in mailoutbox) == [
        "asel@example.org",
        "bolat@example.org",
        "dana@example.org",
        "erlan@example.org",
    ]
    message.refresh_from_db()
    assert message.state == MessageState.SENT


@pytest.mark.django_db(transaction=True)
def test_workers_taking_the_people_and_sending_one_copy_at_once_do_it_once(contest, organiser, mailoutbox):
    message = draft(contest, organiser)
    Message.objects.filter(pk=message.pk).update(state=MessageState.SENDING, sent_at=message.created_at)

    assert at_once(lambda: message_recipients_create(message_id=message.pk)) == []
    assert MessageRecipient.objects.filter(message=message).count() == 4

    copy = MessageRecipient.objects.get(message=message, address="erlan@example.org")
    assert at_once(lambda: message_recipient_send(recipient_id=copy.pk)) == []
    assert [email.to for email in mailoutbox] == [["erlan@example.org"]]
    copy.refresh_from_db()
    assert (copy.status, copy.attempts) == (DeliveryStatus.SENT, 1)
