"""Template helpers of Baige's pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from contest.models import Contest
from contest.names import person_name
from contest.texts import TEXT_LANGUAGES

register = template.Library()


@register.simple_tag
def contest_time(contest: Contest, moment: datetime | None) -> SafeString | str:
    """A moment in the contest's time zone; a script adds the visitor's own time beside it."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment, contest.tzinfo)
    return format_html(
        '<time datetime="{}" data-local data-zone="{}">{} ({})</time><br><small data-local-out hidden></small>',
        moment.isoformat(),
        contest.timezone,
        formats.date_format(local, "DATETIME_FORMAT"),
        contest.timezone,
    )


@register.filter
def person(user: Any) -> str:
    """How a person is named to others (full name, else e-mail); empty for nobody, e.g. a command line's work."""
    return person_name(user) if user is not None else ""


@register.filter
def widget(field: BoundField) -> SafeString:
    """A form field's widget; one for a text in one language (``name_ru``) says which language it holds.

    Screen readers then read an organiser's Russian text in Russian on a Kazakh page, and the other way round.
    """
    language = field.name.rpartition("_")[2]
    if "_" in field.name and language in TEXT_LANGUAGES:
        return field.as_widget(attrs={"lang": language})
    return SafeString(str(field))


@register.filter
def duration(seconds: float | None) -> str:
    """A length in seconds as a clock reads it: ``4:05``, ``1:02:09``; a dash when unknown."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"
