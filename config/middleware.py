"""The request id: one per request, in every log line of that request and in the response."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sentry_sdk
from django.http import HttpRequest, HttpResponseBase

from config.logging import REQUEST_ID_META_KEY, request_id_bound, request_id_is_valid

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Take the request id a proxy sent in ``X-Request-ID`` if it is valid, or make one; send it back.

    A proxy that already logs its own id keeps it end to end; an id that is too long or holds other
    characters than letters, digits, ``.``, ``_`` and ``-`` is replaced rather than cleaned, so that
    a forged value never reaches the logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if request_id_is_valid(incoming) else uuid.uuid4().hex
        # Errors reported to Sentry carry the id too, to find the log lines around them.
        sentry_sdk.set_tag("request_id", request_id)
        # For the log lines Django writes about the response once this middleware has returned.
        request.META[REQUEST_ID_META_KEY] = request_id
        with request_id_bound(request_id):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
