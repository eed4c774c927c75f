"""Django admin for superusers: messages and their copies, read-only (they change through the organisers' pages)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from messaging.models import Message, MessageRecipient


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "contest", "state", "created_at", "sent_at", "finished_at")
    list_filter = ("state", "contest")


@admin.register(MessageRecipient)
class MessageRecipientAdmin(ReadOnlyAdmin):
    list_display = ("address", "message", "language", "status", "attempts", "sent_at")
    list_filter = ("status", "language")
    search_fields = ("address",)
