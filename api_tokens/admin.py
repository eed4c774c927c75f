from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from api_tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Operators can see and revoke tokens, never read one: only the hash is stored."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
