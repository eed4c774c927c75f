"""Paths that can name nothing: refused before any view looks them up."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponseBase


class NulPathMiddleware:
    """A path holding a NUL character is a 404 (the API's JSON one under ``/api/``) before any view runs.

    No slug, code or name of Baige holds one, and PostgreSQL refuses to compare text that does: every view
    that looked such a path up (``/jury/r/1/%00/``) would answer a server error instead of "not found".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path_info:
            raise Http404("a path with a NUL character")
        return self.get_response(request)
