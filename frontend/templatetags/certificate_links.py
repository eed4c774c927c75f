"""Template helpers listing a person's certificates on an entry's page."""

from __future__ import annotations

from typing import Any

from django import template

from certificates.models import Certificate
from certificates.selectors import certificates_of_entry_for
from contest.models import Entry

register = template.Library()


@register.simple_tag
def entry_certificates(entry: Entry, user: Any) -> list[Certificate]:
    """The certificates of ``entry`` that ``user`` holds (as its author or a co-author), once results are out."""
    return certificates_of_entry_for(entry, user)
