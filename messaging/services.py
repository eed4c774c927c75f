"""Writing, previewing and sending organisers' messages.

Sending happens once, whoever clicks and however often: the message leaves its draft state in one
conditional update, so a second click finds it sending and is refused. The worker then takes the
people of the audience once (the database keeps one copy per message and address) and sends each
queued copy under a row lock, marking it sent in the same transaction: a second worker skips a copy
that is being sent, and a copy marked sent is never sent again. A copy that fails is tried again
later (``EMAIL_RETRIES`` times); after the last try it is marked failed with the mail server's reason,
and an organiser may send the failed copies again.

A person reads the message in their language when the organiser wrote it in that language, else in
Russian, else in English, else in Kazakh (:func:`message_language`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from config.activity_log import log_changed
from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError
from contest.models import Contest
from contest.services import Actor, contest_ensure_organiser, contest_format_time
from contest.texts import TEXT_LANGUAGES
from messaging.audiences import Audience, Person, audience_check, audience_people
from messaging.enums import DeliveryStatus, MessageState
from messaging.models import Message, MessageRecipient
from messaging.placeholders import placeholders_check, placeholders_fill

logger = logging.getLogger(__name__)

#: The languages a reader falls back to, in order, when the message is not written in theirs.
FALLBACK_LANGUAGES = ("ru", "en", "kk")

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def message_languages(message: Message) -> list[str]:
    """The languages the message is written in (a subject and a text), in Baige's order."""
    return [
        language
        for language in TEXT_LANGUAGES
        if getattr(message, f"subject_{language}").strip() and getattr(message, f"body_{language}").strip()
    ]


def message_language(message: Message, preferred: str) -> str:
    """The language ``message`` is read in by someone who reads ``preferred``: theirs, else ru, else en, else kk."""
    written = message_languages(message)
    for language in (preferred, *FALLBACK_LANGUAGES):
        if language in written:
            return language
    return preferred


def message_texts_check(subjects: Mapping[str, str], bodies: Mapping[str, str]) -> list[str]:
    """What is wrong with the subjects and texts by language, one message each; empty when they are right."""
    problems: list[str] = []
    written = 0
    for language in TEXT_LANGUAGES:
        subject, body = (subjects.get(language) or "").strip(), (bodies.get(language) or "").strip()
        name = LANGUAGE_NAMES[language]
        if bool(subject) != bool(body):
            problems.append(_("%(language)s: write both the subject and the text, or neither.") % {"language": name})
        written += bool(subject and body)
        for text in (subject, body):
            problems.extend(f"{name}: {problem}" for problem in placeholders_check(text))
    if not written:
        problems.append(_("Write the subject and the text in at least one language."))
    return list(dict.fromkeys(problems))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise BaigeError(" ".join(problems), code="message_invalid")


@transaction.atomic
def message_save(
    *,
    actor: Actor,
    contest: Contest,
    subjects: Mapping[str, str],
    bodies: Mapping[str, str],
    audience: Audience,
    message: Message | None = None,
) -> Message:
    """Write a new draft, or change ``message`` while it is a draft; unknown placeholders and groups are refused."""
    contest_ensure_organiser(actor, contest)
    _refuse(message_texts_check(subjects, bodies) + audience_check(contest, audience))
    if message is None:
        message = Message(contest=contest, author=actor if actor.is_authenticated else None)
    else:
        message = Message.objects.select_for_update().get(pk=message.pk, contest=contest)
        if message.state != MessageState.DRAFT:
            raise BaigeError(_("This message is sent: it cannot change any more."), code="message_sent")
    for language in TEXT_LANGUAGES:
        # A subject is one line of an e-mail's header.
        setattr(message, f"subject_{language}", " ".join((subjects.get(language) or "").split()))
        setattr(message, f"body_{language}", (bodies.get(language) or "").strip())
    message.audience = audience.to_json()
    message.save()
    return message


@dataclass(frozen=True)
class Rendered:
    """A message as one person reads it."""

    language: str
    subject: str
    body: str


def message_render(message: Message, *, language: str, values: Mapping[str, str]) -> Rendered:
    """The subject and text of ``message`` in ``language`` (as :func:`message_language` chose), filled in."""
    contest = message.contest
    with translation.override(language):
        deadline = parse_datetime(values.get("deadline") or "")
        filled = {
            "name": values.get("name", ""),
            "entry_code": values.get("entry_code", ""),
            "entry_title": values.get("entry_title", ""),
            "deadline": contest_format_time(contest, deadline) if deadline else "",
            "contest": str(contest.name),
        }
        subject = placeholders_fill(getattr(message, f"subject_{language}"), filled)
        body = placeholders_fill(getattr(message, f"body_{language}"), filled)
    return Rendered(language=language, subject=" ".join(subject.split()), body=body)


def message_preview(message: Message, person: Person) -> Rendered:
    """The message as ``person`` would read it."""
    return message_render(message, language=message_language(message, person.language), values=person.values())


def message_people(message: Message) -> list[Person]:
    """Everyone the message's audience names now, each once."""
    return audience_people(message.contest, Audience.from_json(message.audience))


def message_send(*, actor: Actor, message: Message, now: datetime | None = None) -> None:
    """Send a draft to its audience through the worker; a message already sent or being sent is refused."""
    contest_ensure_organiser(actor, message.contest)
    if message.state == MessageState.DRAFT and not message_people(message):
        raise BaigeError(_("Nobody is in the chosen groups: there is no one to send it to."), code="message_empty")
    with transaction.atomic():
        # The one conditional update that a second click (or a second organiser) finds already done.
        started = Message.objects.filter(pk=message.pk, state=MessageState.DRAFT).update(
            state=MessageState.SENDING, sent_at=now or timezone.now()
        )
        if not started:
            raise BaigeError(_("This message has already been sent."), code="message_sent")
        message.refresh_from_db()
        # A conditional update sends no model signal: the activity log is told here.
        log_changed([message], [{"state": (MessageState.DRAFT, message.state), "sent_at": (None, message.sent_at)}])
        enqueue_on_commit("messaging.send_message", message_id=message.pk)


def message_recipients_create(*, message_id: int) -> int:
    """Take the people of a message being sent, once: how many copies this call queued (0 when taken before)."""
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("contest").filter(pk=message_id).first()
        if message is None or message.state == MessageState.DRAFT or message.recipients.exists():
            return 0
        rows = [
            MessageRecipient(
                message=message,
                user_id=person.user_id,
                address=person.address,
                language=message_language(message, person.language),
                values=person.values(),
                entry_ids=[entry.pk for entry in person.entries],
            )
            for person in message_people(message)
        ]
        # The constraint keeps one copy per address even if two workers got here (it cannot, under the lock).
        created = MessageRecipient.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def message_queue_sending(*, message_id: int) -> int:
    """Queue the sending of every queued copy of a message; how many were queued."""
    ids = list(
        MessageRecipient.objects.filter(message_id=message_id, status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for recipient_id in ids:
        enqueue_on_commit("messaging.send_recipient", recipient_id=recipient_id)
    if not ids:
        message_finish_if_done(message_id=message_id)
    return len(ids)


def _email(recipient: MessageRecipient, rendered: Rendered) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(rendered.subject, rendered.body, None, [recipient.address])
    # Everything the organiser wrote and every value is escaped: the HTML shows the same plain text.
    html = f'<!DOCTYPE html><html lang="{rendered.language}"><body>{linebreaks(escape(rendered.body))}</body></html>'
    email.attach_alternative(html, "text/html")
    return email


def message_recipient_send(*, recipient_id: int, now: datetime | None = None) -> bool:
    """Send one queued copy unless it is sent, failed or being sent by another worker; whether this call sent it.

    The copy is locked while the e-mail goes out and marked sent in the same transaction, so one that
    fails to leave stays queued for the retry, and one that left is never sent again.
    """
    with transaction.atomic():
        recipient = (
            MessageRecipient.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("message__contest")
            .filter(pk=recipient_id, status=DeliveryStatus.QUEUED)
            .first()
        )
        if recipient is None:
            logger.info("message copy %s: sent already, failed, being sent, or gone", recipient_id)
            return False
        rendered = message_render(recipient.message, language=recipient.language, values=recipient.values)
        _email(recipient, rendered).send()
        recipient.status = DeliveryStatus.SENT
        recipient.sent_at = now or timezone.now()
        recipient.attempts += 1
        recipient.last_error = ""
        recipient.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    message_finish_if_done(message_id=recipient.message_id)
    return True


def message_recipient_fault(*, recipient_id: int, error: str, final: bool) -> None:
    """Record a failed try of one copy: the mail server's reason, and after the last try, the copy failed."""
    changes: dict[str, object] = {"attempts": F("attempts") + 1, "last_error": error[:2000]}
    if final:
        changes["status"] = DeliveryStatus.FAILED
    updated = MessageRecipient.objects.filter(pk=recipient_id, status=DeliveryStatus.QUEUED).update(**changes)
    if updated and final:
        message_id = MessageRecipient.objects.filter(pk=recipient_id).values_list("message_id", flat=True).first()
        if message_id is not None:
            message_finish_if_done(message_id=message_id)


def message_finish_if_done(*, message_id: int, now: datetime | None = None) -> bool:
    """Mark a message being sent as sent once no copy of it is queued; whether it was marked now."""
    queued = MessageRecipient.objects.filter(message=OuterRef("pk"), status=DeliveryStatus.QUEUED)
    return bool(
        Message.objects.filter(pk=message_id, state=MessageState.SENDING)
        .exclude(Exists(queued))
        .update(state=MessageState.SENT, finished_at=now or timezone.now())
    )


@transaction.atomic
def message_retry_failed(*, actor: Actor, message: Message) -> int:
    """Queue every failed copy of ``message`` again; how many. Refused when none failed (a second click)."""
    contest_ensure_organiser(actor, message.contest)
    message = Message.objects.select_for_update().get(pk=message.pk)
    ids = list(
        MessageRecipient.objects.filter(message=message, status=DeliveryStatus.FAILED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise BaigeError(_("No copy of this message failed: there is nothing to send again."), code="nothing_failed")
    MessageRecipient.objects.filter(pk__in=ids, status=DeliveryStatus.FAILED).update(status=DeliveryStatus.QUEUED)
    message.state = MessageState.SENDING
    message.finished_at = None
    message.save(update_fields=["state", "finished_at", "updated_at"])
    for recipient_id in ids:
        enqueue_on_commit("messaging.send_recipient", recipient_id=recipient_id)
    return len(ids)


@transaction.atomic
def message_delete(*, actor: Actor, message: Message) -> None:
    """Throw a draft away; a message that was sent stays."""
    contest_ensure_organiser(actor, message.contest)
    if not Message.objects.filter(pk=message.pk, state=MessageState.DRAFT).delete()[0]:
        raise BaigeError(_("This message is sent: it cannot change any more."), code="message_sent")
