"""Django admin for superusers: uploaded files."""

from django.contrib import admin

from media_pipeline.models import MediaAsset


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ["uuid", "entry", "kind", "size", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["entry__code", "original_name", "sha256"]
    list_select_related = ["entry"]
    readonly_fields = ["uuid", "entry", "original", "size", "sha256", "kind", "extension", "uploaded_by", "created_at"]
