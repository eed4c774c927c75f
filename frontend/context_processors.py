"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from contest.selectors import user_organises_any_contest
from judging.selectors import user_on_any_jury


def organiser(request: HttpRequest) -> dict[str, Any]:
    """Which menu links to show, each asked only if a page uses it and never for an anonymous visitor.

    ``organises_contests``: the "Organise" link; ``on_jury``: the "Jury" link.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"organises_contests": False, "on_jury": False}
    return {
        "organises_contests": SimpleLazyObject(lambda: user_organises_any_contest(user)),
        "on_jury": SimpleLazyObject(lambda: user_on_any_jury(user)),
    }
