"""Choices for media assets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaKind(models.TextChoices):
    VIDEO = "video", _("Video")
    PRESENTATION = "presentation", _("Presentation")
    PDF = "pdf", _("PDF")
    UNKNOWN = "unknown", _("Unknown")


class AssetStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
