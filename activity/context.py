"""Who is acting now: the person of the request being served, or no one (a worker, beat, a command)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("activity_request", default=None)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """While a request is served, its user (read when a row is logged) is the actor."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def serving_request() -> bool:
    """Whether a request is being served now (not a worker, beat or command)."""
    return _request.get() is not None


def current_actor() -> Any:
    """The signed-in person of the current request, read now (DRF sets the token's user on the request)."""
    request = _request.get()
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user
