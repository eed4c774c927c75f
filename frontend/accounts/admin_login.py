"""Django admin's login page: no password form of its own, only allauth's, with its limits on failed logins."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


@secure_admin_login
def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Reached by active staff already logged in (others go to allauth's login, or get 403): on into admin.

    ``secure_admin_login`` sends anyone not logged in to allauth's login page, with ``next`` back to
    admin, and refuses people logged in who are not active staff; so this page never reads a password.
    """
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("admin:index")
