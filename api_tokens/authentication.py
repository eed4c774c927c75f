"""The API's token authentication: ``Authorization: Token <token>`` or ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api_tokens.selectors import api_token_for

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """A personal token made on the account's tokens page; revoked or unknown tokens are refused."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give one token after the keyword."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        row = api_token_for(token)
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return row.user, row

    def authenticate_header(self, request: Request) -> str:
        return "Token"
