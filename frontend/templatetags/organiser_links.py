"""The link from an entry's code, in any of the organisers' tables, to the entry's own page."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
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
