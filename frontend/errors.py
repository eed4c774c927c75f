"""Error pages in the site's layout and the visitor's language: the CSRF failure and a 500 that never fails itself.

400, 403 and 404 are Django's own handlers rendering ``400.html``, ``403.html`` and ``404.html``. None of the
pages says more than the status: a 404 reads the same whether the object exists or not (blind judging).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: say so in the visitor's language, with a way back to the form."""
    referer = request.headers.get("referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    return render(request, "403_csrf.html", {"back_url": back}, status=HttpResponseForbidden.status_code)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request (its context processors may be what failed), never failing."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            '<!doctype html><title>500</title><h1>500</h1><p><a href="/">Baige</a></p>', content_type="text/html"
        )
