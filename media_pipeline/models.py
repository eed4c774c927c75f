"""Media assets: an entry's uploaded original (processing outputs come with the pipeline)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from media_pipeline.enums import AssetStatus, MediaKind


def original_upload_to(asset: MediaAsset, filename: str) -> str:
    """``entries/<contest>/<entry code>/<asset uuid>/original.<ext>``: no personal names in paths."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    entry = asset.entry
    return f"entries/{entry.contest.slug}/{entry.code}/{asset.uuid}/original.{extension}"


class MediaAsset(models.Model):
    """One uploaded file of an entry. The entry points at its current asset; older ones are history."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey("contest.Entry", on_delete=models.CASCADE, related_name="assets")
    original = models.FileField(_("original file"), upload_to=original_upload_to, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=MediaKind.choices, default=MediaKind.UNKNOWN)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.UPLOADED)
    reason = models.TextField(_("reason"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.entry.code} · {self.original_name}"
