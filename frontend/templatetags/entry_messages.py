"""Template helper listing the organisers' messages an entry's people got, on the organiser's entry page."""

from __future__ import annotations

from django import template

from contest.models import Entry
from messaging.selectors import EntryMessage, messages_for_entry

register = template.Library()


@register.simple_tag
def entry_messages(entry: Entry) -> list[EntryMessage]:
    """The messages whose recipients include the entry's author or co-authors, newest first."""
    return messages_for_entry(entry)
