"""Template helpers listing a person's certificates on an entry's page."""

from __future__ import annotations

from typing import Any

from django import template

from certificates.models import Certificate
from certificates.selectors import certificates_of_coauthor, certificates_of_entry_for
from contest.models import CoAuthor, Entry

register = template.Library()


@register.simple_tag
def entry_certificates(entry: Entry, user: Any, coauthor: CoAuthor | str | None = None) -> list[Certificate]:
    """The certificates of ``entry`` that the reader holds, once results are out.

    ``coauthor`` is the reader's co-author row when a view has found it (their signed link, or an
    account with that confirmed address); otherwise the signed-in ``user``'s own.
    """
    if isinstance(coauthor, CoAuthor):
        return list(certificates_of_coauthor(entry, coauthor))
    return certificates_of_entry_for(entry, user)
