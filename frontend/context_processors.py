"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from judging.selectors.panel import Panels, user_panels

#: Where a request keeps its person's panels once they are known.
_PANELS = "_baige_panels"


def panels_of(request: HttpRequest) -> Panels:
    """The panels the request's person may open, asked once per request: the menu and the page share the answer."""
    panels = getattr(request, _PANELS, None)
    if panels is None:
        panels = user_panels(request.user)
        setattr(request, _PANELS, panels)
    return panels


def organiser(request: HttpRequest) -> dict[str, Any]:
    """Which menu links to show, asked only if a page uses them and never for an anonymous visitor.

    ``organises_contests``: the "Organise" link; ``on_jury``: the "Jury" link. Both come from one query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"organises_contests": False, "on_jury": False}
    return {
        # Staff found contests from the organiser's home, so they see the link even before they organise one.
        "organises_contests": SimpleLazyObject(lambda: bool(user.is_staff) or panels_of(request).organiser),
        "on_jury": SimpleLazyObject(lambda: panels_of(request).jury),
    }
