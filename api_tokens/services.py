"""Making and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from api_tokens.models import ApiToken
from config.exceptions import BaigeError

#: Every token starts so: a secret scanner (or a person) recognises a Baige token in a leaked text.
TOKEN_PREFIX = "baige_"  # noqa: S105 - a public marker, not a secret
#: Characters of the token kept in clear to tell tokens apart (the prefix and a few random ones).
SHOWN_LENGTH = len(TOKEN_PREFIX) + 6
#: Tokens one person may hold at once.
MAX_ACTIVE_TOKENS = 20


def token_digest(token: str) -> str:
    """The hash kept for a token. A token has 256 random bits: a fast hash is enough, unlike for passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns the row and the token itself, which is never available again."""
    name = " ".join(name.split())[:100]
    if not name:
        raise BaigeError(_("Give the token a name, e.g. the program that will use it."))
    with transaction.atomic():
        # One at a time per person, so the count below holds.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise BaigeError(
                _("You already have %(count)d tokens. Revoke one you no longer use first.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken.objects.create(user=actor, name=name, prefix=token[:SHOWN_LENGTH], digest=token_digest(token))
    return row, token


def api_token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    """Revoke one of ``actor``'s own tokens; anyone else's, or one already revoked, is a 404 like a missing one."""
    with transaction.atomic():
        row = get_object_or_404(ApiToken.objects.select_for_update(), pk=token_id, user=actor, revoked_at__isnull=True)
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row
