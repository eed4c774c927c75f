"""Reading personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from api_tokens.models import ApiToken
from api_tokens.services import TOKEN_PREFIX, token_digest

#: ``last_used_at`` is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A person's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_for(token: str) -> ApiToken | None:
    """The working token row for ``token`` (its person loaded), or ``None``; notes when it was last used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=token_digest(token), revoked_at__isnull=True).first()
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
