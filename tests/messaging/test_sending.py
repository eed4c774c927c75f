"""Sending a message through the worker (Celery runs the tasks in place): once per person, in their language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone, translation

from config.enqueue import task_send
from config.exceptions import BaigeError, NotAllowed
from contest.services import contest_format_time
from messaging.audiences import Audience
from messaging.enums import DeliveryStatus, MessageState
from messaging.models import Message, MessageRecipient
from messaging.services import (
    message_language,
    message_recipient_send,
    message_retry_failed,
    message_save,
    message_send,
)
from tests.messaging import People, RefusingBackend, entry, people_of, person

SUBJECTS = {"kk": "Сәлем, {name}", "ru": "Привет, {name}", "en": "Hello, {name}"}
BODIES = {
    "kk": "{contest}: {entry_code} «{entry_title}», мерзімі {deadline}.",
    "ru": "{contest}: {entry_code} «{entry_title}», срок {deadline}.",
    "en": "{contest}: {entry_code} “{entry_title}”, due {deadline}. <b>{{bold}}</b>",
}


@pytest.fixture
def people(contest) -> People:  # type: ignore[no-untyped-def]
    return people_of(contest)


def draft(people: People, organiser, languages=("kk", "ru", "en"), **groups) -> Message:  # type: ignore[no-untyped-def]
    return message_save(
        actor=organiser,
        contest=people.contest,
        subjects={language: SUBJECTS[language] for language in languages},
        bodies={language: BODIES[language] for language in languages},
        audience=Audience(**groups),
    )


def send(message: Message, organiser, capture) -> Message:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        message_send(actor=organiser, message=message)
    message.refresh_from_db()
    return message


def by_address(outbox) -> dict[str, list]:  # type: ignore[no-untyped-def]
    found: dict[str, list] = {}
    for email in outbox:
        found.setdefault(email.to[0], []).append(email)
    return found


def test_each_person_gets_one_email_in_their_language(
    people, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    message = draft(people, organiser, submitted=True, coauthors=True, jurors=True)
    message = send(message, organiser, django_capture_on_commit_callbacks)
    emails = by_address(mailoutbox)
    assert sorted(emails) == sorted(
        [
            "asel@example.org",
            "bolat@example.org",
            "dana@example.org",
            "erlan@example.org",
            people.behind.user.email,
            people.done.user.email,
        ]
    )
    assert all(len(sent) == 1 for sent in emails.values())
    asel = emails["asel@example.org"][0]
    mine = sorted([people.fractions, people.songs], key=lambda entry: entry.code)
    codes = ", ".join(entry.code for entry in mine)
    titles = "; ".join(entry.title for entry in mine)
    with translation.override("ru"):
        deadline = contest_format_time(people.contest, people.contest.submissions_close)
    assert asel.subject == "Привет, Asel Seitkali"
    assert asel.body == f"{people.contest.name}: {codes} «{titles}», срок {deadline}."
    assert emails["dana@example.org"][0].subject == "Сәлем, Dana Account"
    assert emails["erlan@example.org"][0].subject == "Hello, Erlan Plain"
    erlan = emails["erlan@example.org"][0]
    assert erlan.body.endswith("<b>{bold}</b>")
    html, kind = erlan.alternatives[0]
    assert kind == "text/html"
    assert "&lt;b&gt;{bold}&lt;/b&gt;" in html and "<b>" not in html
    with translation.override("en"):
        closes = contest_format_time(people.contest, people.closes)
    assert emails[people.behind.user.email][0].body == f"{people.contest.name}:  “”, due {closes}. <b>{{bold}}</b>"
    assert emails[people.done.user.email][0].subject == "Привет, Juror Done"
    assert message.state == MessageState.SENT
    assert message.finished_at is not None
    copies = MessageRecipient.objects.filter(message=message)
    assert {(c.address, c.status, c.attempts) for c in copies} == {
        (address, DeliveryStatus.SENT, 1) for address in emails
    }
    assert copies.get(address="asel@example.org").values["entry_code"] == codes


def test_running_the_task_again_sends_nothing_more(people, organiser, mailoutbox, django_capture_on_commit_callbacks):
    message = send(draft(people, organiser, submitted=True), organiser, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    # Someone joins afterwards: the message went to the people it had when it was sent.
    entry(people.contest, person("Late Comer", people.abai, "en", "late@example.org"), people.design, "Late")
    with django_capture_on_commit_callbacks(execute=True):
        task_send("messaging.send_message", message_id=message.pk)
        for copy in MessageRecipient.objects.filter(message=message):
            task_send("messaging.send_recipient", recipient_id=copy.pk)
    assert len(mailoutbox) == 2
    assert MessageRecipient.objects.filter(message=message).count() == 2


def test_a_copy_marked_sent_is_never_sent_again(people, organiser, mailoutbox, django_capture_on_commit_callbacks):
    message = send(draft(people, organiser, drafts=True), organiser, django_capture_on_commit_callbacks)
    copy = MessageRecipient.objects.get(message=message)
    assert message_recipient_send(recipient_id=copy.pk) is False
    assert len(mailoutbox) == 1


def test_a_second_click_on_send_is_refused(people, organiser, mailoutbox, django_capture_on_commit_callbacks):
    message = draft(people, organiser, drafts=True)
    stale = Message.objects.get(pk=message.pk)
    send(message, organiser, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BaigeError) as refused:
        message_send(actor=organiser, message=stale)
    assert str(refused.value) == "This message has already been sent."
    assert len(mailoutbox) == 1


def test_only_the_contests_organisers_send(people, organiser, juror, mailoutbox):
    message = draft(people, organiser, drafts=True)
    with pytest.raises(NotAllowed):
        message_send(actor=juror, message=message)
    message.refresh_from_db()
    assert message.state == MessageState.DRAFT


def test_a_message_to_nobody_is_not_sent(people, organiser):
    message = draft(people, organiser, drafts=True, universities=(people.zhetysu.pk,))
    with pytest.raises(BaigeError) as refused:
        message_send(actor=organiser, message=message)
    assert str(refused.value) == "Nobody is in the chosen groups: there is no one to send it to."


def test_a_refused_address_is_marked_failed_and_retry_sends_it_once(
    people, organiser, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.messaging.RefusingBackend"
    RefusingBackend.refused = {"erlan@example.org"}
    try:
        message = send(
            draft(people, organiser, submitted=True, coauthors=True), organiser, django_capture_on_commit_callbacks
        )
    finally:
        RefusingBackend.refused = set()
    failed = MessageRecipient.objects.get(message=message, address="erlan@example.org")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == settings.EMAIL_RETRIES + 1
    assert failed.last_error == "SMTPRecipientsRefused: {'erlan@example.org': (550, b'mailbox unavailable')}"
    assert sorted(email.to[0] for email in mailoutbox) == ["asel@example.org", "bolat@example.org", "dana@example.org"]
    assert message.state == MessageState.SENT
    with django_capture_on_commit_callbacks(execute=True):
        assert message_retry_failed(actor=organiser, message=message) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.SENT, settings.EMAIL_RETRIES + 2)
    assert [email.to[0] for email in mailoutbox].count("erlan@example.org") == 1
    assert len(mailoutbox) == 4
    with pytest.raises(BaigeError) as refused:
        message_retry_failed(actor=organiser, message=message)
    assert str(refused.value) == "No copy of this message failed: there is nothing to send again."
    message.refresh_from_db()
    assert message.state == MessageState.SENT


@pytest.mark.parametrize(
    ("written", "reader", "read_in"),
    [
        (("kk", "ru", "en"), "kk", "kk"),
        (("ru", "en"), "kk", "ru"),
        (("en", "kk"), "ru", "en"),
        (("kk",), "en", "kk"),
        (("kk", "en"), "en", "en"),
    ],
)
def test_the_language_is_the_readers_else_russian_else_english_else_kazakh(people, organiser, written, reader, read_in):
    assert message_language(draft(people, organiser, languages=written, jurors=True), reader) == read_in


def test_a_sent_message_cannot_change(people, organiser, django_capture_on_commit_callbacks):
    message = send(draft(people, organiser, drafts=True), organiser, django_capture_on_commit_callbacks)
    with pytest.raises(BaigeError) as refused:
        message_save(
            actor=organiser,
            contest=people.contest,
            message=message,
            subjects={"en": "x"},
            bodies={"en": "y"},
            audience=Audience(jurors=True),
        )
    assert str(refused.value) == "This message is sent: it cannot change any more."
    assert message.sent_at is not None and message.sent_at <= timezone.now()
    assert settings.EMAIL_RETRIES == 3
