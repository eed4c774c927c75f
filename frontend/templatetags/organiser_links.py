"""The link from an entry's code, in any of the organisers' tables, to the entry's own page."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from contest.models import Contest

register = template.Library()


@register.simple_tag
def entry_link(contest: Contest, code: str) -> SafeString:
    """The entry's code as a link to its organisers' page; the code alone when there is none."""
    if not code:
        return format_html("{}", "")
    url = reverse("frontend:organiser_entry", kwargs={"slug": contest.slug, "code": code})
    return format_html('<a class="code" href="{}">{}</a>', url, code)


@register.simple_tag
def entry_links(contest: Contest, codes: Iterable[str]) -> SafeString:
    """Several entries' codes, each a link to its organisers' page, separated by commas."""
    return format_html_join(", ", "{}", ((entry_link(contest, code),) for code in codes))
