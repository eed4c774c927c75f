"""Reads of organisers' messages: a contest's list with counts, one message for its organisers, an entry's messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from contest.models import Contest, Entry
from contest.selectors import get_contest_for_organiser
from messaging.enums import DeliveryStatus
from messaging.models import Message, MessageRecipient
from messaging.services import message_render


def get_contest_for_messages(user: Any, *, slug: str) -> Contest:
    """The contest, for one of its organisers; anyone else finds no such page (404), whatever they are."""
    try:
        return get_contest_for_organiser(user, slug=slug)
    except PermissionDenied as refused:
        raise Http404 from refused


def get_message_for_organiser(contest: Contest, pk: int) -> Message:
    """The contest's message ``pk``, or 404 (a message of another contest too)."""
    message = Message.objects.select_related("contest", "author__profile").filter(contest=contest, pk=pk).first()
    if message is None:
        raise Http404
    return message


def _counted(queryset: QuerySet[Message]) -> QuerySet[Message]:
    return queryset.annotate(
        **{
            f"{status}_count": Count("recipients", filter=Q(recipients__status=status))
            for status in DeliveryStatus.values
        }
    )


def messages_of_contest(contest: Contest) -> QuerySet[Message]:
    """The contest's messages, newest first, each with ``queued_count``, ``sent_count`` and ``failed_count``."""
    return _counted(Message.objects.filter(contest=contest)).order_by("-created_at", "-pk")


def message_counts(message: Message) -> dict[str, int]:
    """How many copies of ``message`` are queued, sent and failed."""
    counted = _counted(Message.objects.filter(pk=message.pk)).values(
        *(f"{status}_count" for status in DeliveryStatus.values)
    )
    row = counted.first() or {}
    return {status: row.get(f"{status}_count", 0) for status in DeliveryStatus.values}


def message_recipients(message: Message) -> QuerySet[MessageRecipient]:
    """The copies of ``message`` by address."""
    return MessageRecipient.objects.filter(message=message).order_by("address")


@dataclass(frozen=True)
class EntryMessage:
    """A message one of an entry's people got: its subject as they read it, when, how it went and to whom."""

    message: Message
    recipient: MessageRecipient
    subject: str
    at: datetime | None

    @property
    def status(self) -> str:
        return self.recipient.status

    def get_status_display(self) -> str:
        return str(self.recipient.get_status_display())


def messages_for_entry(entry: Entry) -> list[EntryMessage]:
    """The messages whose recipients include the entry's author or one of its co-authors, newest first (2 queries)."""
    coauthors = [email.strip().lower() for email in entry.coauthors.values_list("email", flat=True) if email]
    people = Q(user_id=entry.author_id) | Q(entry_ids__contains=[entry.pk])
    if coauthors:
        people |= Q(address__in=coauthors)
    copies = (
        MessageRecipient.objects.filter(people, message__contest_id=entry.contest_id)
        .select_related("message__contest")
        .order_by("-message__sent_at", "-message_id", "address")
    )
    rows = []
    for copy in copies:
        rendered = message_render(copy.message, language=copy.language, values=copy.values)
        rows.append(EntryMessage(message=copy.message, recipient=copy, subject=rendered.subject, at=copy.sent_at))
    return rows
