"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from contest.selectors import user_organises_any_contest


def organiser(request: HttpRequest) -> dict[str, Any]:
    """``organises_contests``: whether to show the "Organise" link; asked only if a page uses it, never anonymously."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"organises_contests": False}
    return {"organises_contests": SimpleLazyObject(lambda: user_organises_any_contest(user))}
