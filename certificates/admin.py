"""Django admin for superusers: certificates are read-only (they change through the organisers' pages)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from certificates.models import Certificate, CertificateDesign, CertificateText, IssueRun


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "full_name", "contest", "issued_at", "replaced_at", "revoked_at")
    list_filter = ("kind", "contest")
    search_fields = ("code", "full_name", "email")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CertificateText)
class CertificateTextAdmin(admin.ModelAdmin):
    list_display = ("contest", "kind", "language", "title")
    list_filter = ("contest", "kind", "language")


admin.site.register(CertificateDesign)


@admin.register(IssueRun)
class IssueRunAdmin(admin.ModelAdmin):
    list_display = ("contest", "kind", "created_at", "finished_at", "done", "total")
