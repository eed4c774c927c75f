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


class RenditionKind(models.TextChoices):
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF")


class UploadBackend(models.TextChoices):
    S3 = "s3", "S3"
    LOCAL = "local", _("Local files")


class UploadStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    COMPLETED = "completed", _("Completed")
    ABORTED = "aborted", _("Aborted")


class FilesArchiveKind(models.TextChoices):
    """Which files of the entries a ZIP holds."""

    ORIGINALS = "originals", _("Original uploads")
    JURY = "jury", _("What the jury sees")


class FilesArchiveState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
