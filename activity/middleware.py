"""auditlog's middleware, with the client's address as Baige reads it and the request's user read late."""

from __future__ import annotations

from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse

from activity.context import serving
from config.client_ip import client_ip


class ActivityMiddleware(AuditlogMiddleware):
    """Logs each write of a request with its person and address.

    auditlog's own middleware takes the user when the request arrives; a token user of the API is only
    known once DRF has authenticated them, so :mod:`activity.context` reads the request's user when a
    row is logged. The address comes from :func:`config.client_ip.client_ip`, which trusts only the
    configured proxies (auditlog's would believe any ``X-Forwarded-For``).
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    def __call__(self, request: HttpRequest) -> Any:
        with serving(request):
            response: HttpResponse = super().__call__(request)
        return response
