"""Media assets: an entry's uploaded original, its processed renditions, resumable uploads, and ZIPs of files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from media_pipeline.enums import (
    AssetStatus,
    FilesArchiveKind,
    FilesArchiveState,
    MediaKind,
    RenditionKind,
    UploadBackend,
    UploadStatus,
)


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
    #: Percent done while processing, written at most once a second.
    progress = models.PositiveSmallIntegerField(default=0)
    #: Why processing failed, as a code the pages translate (``media_pipeline.reasons``) and its values.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    #: Technical detail of a failure for organisers and logs (the tail of a tool's output).
    reason = models.TextField(_("reason"), blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    #: Last sign of life of the worker processing it; the reaper looks for old ones.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.entry.code} · {self.original_name}"


def rendition_upload_to(rendition: Rendition, filename: str) -> str:
    """Beside the original: ``entries/<contest>/<entry code>/<asset uuid>/<name>.<ext>``."""
    asset = rendition.asset
    entry = asset.entry
    return f"entries/{entry.contest.slug}/{entry.code}/{asset.uuid}/{filename}"


class Rendition(models.Model):
    """One output of processing: a transcoded video, a poster, a preview strip, a PDF or a page image."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="renditions")
    #: ``video-720``, ``video-360``, ``poster``, ``strip``, ``pdf``, ``cover``, ``page-0001``, ...
    name = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=RenditionKind.choices)
    file = models.FileField(upload_to=rendition_upload_to, max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["asset", "page", "name"]
        constraints = [models.UniqueConstraint(fields=["asset", "name"], name="rendition_name_unique")]

    def __str__(self) -> str:
        return f"{self.asset_id} · {self.name}"


class UploadSession(models.Model):
    """A resumable upload in parts: to the S3 bucket directly (multipart) or to our server in chunks."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey("contest.Entry", on_delete=models.CASCADE, related_name="upload_sessions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    backend = models.CharField(max_length=10, choices=UploadBackend.choices)
    #: Storage key the parts are assembled into (S3 key, or the name in local storage).
    key = models.CharField(max_length=500)
    #: The S3 multipart upload id; empty for local uploads.
    upload_id = models.CharField(max_length=1024, blank=True)
    status = models.CharField(max_length=12, choices=UploadStatus.choices, default=UploadStatus.OPEN)
    asset = models.OneToOneField(MediaAsset, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: S3 only: the largest size each part number was signed for (``{"1": 8388608}``); their sum never
    #: passes ``size``, and S3 refuses a part of another size than its URL was signed for.
    signed_sizes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.uuid} · {self.filename}"


class UploadReservation(models.Model):
    """Bytes a part being received may take, counted against its upload's size until the part is stored.

    Rows, not a counter, so that a web process killed mid-part leaves a row that goes stale instead of a
    count that never comes down.
    """

    upload = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="reservations")
    part_number = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("part being received")
        verbose_name_plural = _("parts being received")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.upload_id} · part {self.part_number} · {self.size}"


#: A ZIP being built whose worker has said nothing for this long is taken as dead: another may start.
ARCHIVE_SILENT_SECONDS = 15 * 60
#: The states of a ZIP still to come.
ARCHIVE_UNFINISHED = (FilesArchiveState.QUEUED, FilesArchiveState.RUNNING)


class FilesArchive(models.Model):
    """A ZIP of the files of a contest's entries (their originals, or what the jury sees), built by a worker.

    ``filters`` are the dashboard's filters it was asked with, as shown to people; ``filters_key`` says the
    same in a fixed form, so that two requests for the same files make one ZIP. ``entry_ids`` are the
    entries the filters matched when it was asked for.
    """

    contest = models.ForeignKey("contest.Contest", on_delete=models.CASCADE, related_name="files_archives")
    kind = models.CharField(_("files"), max_length=20, choices=FilesArchiveKind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filters_key = models.CharField(max_length=500, blank=True)
    entry_ids = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=FilesArchiveState.choices, default=FilesArchiveState.QUEUED
    )
    #: Files put in the ZIP so far, of ``total``.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    #: When the worker last said how far it got: a ZIP silent for long has died.
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ZIP of files")
        verbose_name_plural = _("ZIPs of files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "kind", "filters_key"],
                condition=Q(state__in=["queued", "running"]),
                name="files_archive_one_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        """Queued or being built, and heard from lately (one whose worker died is not running)."""
        if self.state not in ARCHIVE_UNFINISHED:
            return False
        last = self.updated_at or self.created_at
        return (timezone.now() - last).total_seconds() < ARCHIVE_SILENT_SECONDS

    @property
    def is_ready(self) -> bool:
        return self.state == FilesArchiveState.READY and bool(self.file)
