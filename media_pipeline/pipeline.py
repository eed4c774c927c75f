"""The processing pipeline around ``processing.py``: states, storage, retries and the entry's current file.

An asset moves uploaded → queued → processing (percent) → ready, or failed with a
reason code. Every step is safe to run again: a worker claims an asset with a
lease it keeps alive (the heartbeat), outputs already stored are skipped, and a
reaper re-queues assets whose worker died.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.enqueue import enqueue_on_commit
from contest.models import Entry
from media_pipeline import files
from media_pipeline.detect import HEAD_BYTES, head_is_document
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset, Rendition
from media_pipeline.processing import Limits, Output, ProcessingFailed, inspect_file, process_file

logger = logging.getLogger(__name__)

#: How often a worker tells that it is still on an asset.
HEARTBEAT_SECONDS = 15


def stale_after() -> timedelta:
    """How long a processing asset's worker may stay silent before the reaper takes the asset back."""
    return timedelta(seconds=settings.MEDIA_STALE_AFTER_SECONDS)


#: A queued asset nobody picked up in this long is queued again (its message was lost).
QUEUED_STALE_AFTER = timedelta(hours=1)
#: Attempts before an asset fails for good.
MAX_ATTEMPTS = 3
#: The task that processes an asset on each queue: transcodes on ``media``, LibreOffice on ``office``.
PROCESS_TASKS = {"media": "media_pipeline.media.process", "office": "media_pipeline.office.process"}


def asset_enqueue(asset: MediaAsset) -> None:
    """Queue an asset for checking and processing, on the queue its type needs, once the transaction commits."""
    task = asset_process_task(asset)
    now = timezone.now()
    MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.QUEUED, queued_at=now, progress=0)
    asset.status = AssetStatus.QUEUED
    enqueue_on_commit(task, asset_id=asset.pk)


def asset_queue_name(asset: MediaAsset) -> str:
    """``office`` for documents (PDF, zip or OLE2 containers), ``media`` for anything ffprobe must judge.

    The type detected when the file was received decides; a file received in parts and not looked at yet
    is told by its first bytes.
    """
    if asset.kind == MediaKind.VIDEO:
        return "media"
    if asset.kind in (MediaKind.PRESENTATION, MediaKind.PDF):
        return "office"
    return "office" if head_is_document(files.read_head(files.name_of(asset.original), HEAD_BYTES)) else "media"


def asset_process_task(asset: MediaAsset) -> str:
    """The name of the task that processes ``asset`` on the queue that fits it."""
    return PROCESS_TASKS[asset_queue_name(asset)]


def asset_claim(asset_id: int, *, now: datetime | None = None) -> MediaAsset | None:
    """Take an asset for processing, unless it is finished or another live worker has it."""
    now = now or timezone.now()
    with transaction.atomic():
        asset = MediaAsset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.status in (AssetStatus.READY, AssetStatus.FAILED):
            return None
        heartbeat = asset.heartbeat_at
        if asset.status == AssetStatus.PROCESSING and heartbeat and heartbeat > now - stale_after():
            return None
        asset.status = AssetStatus.PROCESSING
        asset.attempts += 1
        asset.processing_started_at = now
        asset.heartbeat_at = now
        asset.save(update_fields=["status", "attempts", "processing_started_at", "heartbeat_at", "updated_at"])
    return MediaAsset.objects.select_related("entry__contest").get(pk=asset_id)


@contextmanager
def _heartbeat(asset_id: int) -> Iterator[None]:
    """Keep the asset's lease alive from a thread while a long step runs."""
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                MediaAsset.objects.filter(pk=asset_id, status=AssetStatus.PROCESSING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{asset_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


class ProgressWriter:
    """Writes an asset's percent done to the database at most once a second."""

    def __init__(self, asset_id: int) -> None:
        self.asset_id = asset_id
        self.last_write = 0.0
        self.last_value = -1

    def __call__(self, percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        now = time.monotonic()
        if percent == self.last_value or now - self.last_write < 1.0:
            return
        self.last_write, self.last_value = now, percent
        MediaAsset.objects.filter(pk=self.asset_id).update(progress=percent, heartbeat_at=timezone.now())


def _output_name(asset: MediaAsset, output: Output) -> str:
    folder = files.name_of(asset.original).rsplit("/", 1)[0]
    return f"{folder}/{output.name}{output.path.suffix.lower()}"


def _store_output(asset: MediaAsset, output: Output) -> None:
    """Store one output under a fixed name and record it; running twice leaves one of each."""
    stored = files.upload(output.path, _output_name(asset, output))
    Rendition.objects.update_or_create(
        asset=asset,
        name=output.name,
        defaults={
            "kind": output.kind,
            "file": stored,
            "size": output.path.stat().st_size,
            "width": output.width,
            "height": output.height,
            "duration": output.duration,
            "page": output.page,
        },
    )


def asset_make_current(asset: MediaAsset, *, locked: Entry | None = None) -> None:
    """A verified file becomes the entry's file, unless a newer one already did: the one writer of ``Entry.media``.

    An upload checked as it arrives is verified at once; a resumable upload once its worker has checked it.
    ``locked`` is the entry when the caller already holds its row lock.
    """
    with transaction.atomic():
        entry = locked or Entry.objects.select_for_update().get(pk=asset.entry_id)
        current = entry.media
        if current is None or current.pk == asset.pk or current.created_at <= asset.created_at:
            entry.media = asset
            entry.save(update_fields=["media", "updated_at"])


def asset_process(*, asset_id: int) -> MediaAsset | None:
    """Verify and process one asset; finished steps are skipped. Raises ``ProcessingFailed`` for transient faults."""
    asset = asset_claim(asset_id)
    if asset is None:
        logger.info("asset %s is finished or taken; nothing to do", asset_id)
        return None
    try:
        with _heartbeat(asset.pk):
            _process(asset)
    except ProcessingFailed as failed:
        if failed.transient and asset.attempts < MAX_ATTEMPTS:
            MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.QUEUED, queued_at=timezone.now())
            raise
        asset_fail(asset, code=failed.code, params=failed.params, detail=failed.detail)
    except Exception as error:  # noqa: BLE001 - one bad file must end failed, never stuck
        logger.exception("asset %s failed", asset.pk)
        asset_fail(asset, code="internal", detail=f"{type(error).__name__}: {error}"[:2000])
    asset.refresh_from_db()
    return asset


def _process(asset: MediaAsset) -> None:
    limits = Limits.of_contest(asset.entry.contest)
    work_root = Path(settings.MEDIA_WORK_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory(prefix=f"asset-{asset.pk}-", dir=work_root) as tmp:
        source = Path(tmp) / "original"
        checksum = files.download(files.name_of(asset.original), source)
        if asset.sha256 and asset.sha256 != checksum:
            raise ProcessingFailed("corrupted_upload", detail=f"sha256 {checksum} != {asset.sha256}")
        inspection = inspect_file(source, limits=limits)
        asset.kind = inspection.kind
        asset.extension = inspection.extension
        asset.size = inspection.size
        asset.sha256 = checksum
        asset.duration = inspection.duration
        asset.width, asset.height = inspection.width, inspection.height
        asset.pages = inspection.pages
        asset.save(
            update_fields=["kind", "extension", "size", "sha256", "duration", "width", "height", "pages", "updated_at"]
        )
        asset_make_current(asset)

        workdir = Path(tmp) / "out"
        workdir.mkdir()
        stored = {r.name: r for r in asset.renditions.all()}
        # The lower rendition, poster and strip are made from video-720, pages from the PDF:
        # when a retry skips those, it needs them back on disk.
        for needed, local_name in (("video-720", "video-720.mp4"), ("pdf", "pdf.pdf")):
            if needed in stored:
                files.download(files.name_of(stored[needed].file), workdir / local_name)
        result = process_file(
            source,
            inspection,
            workdir,
            limits=limits,
            skip=stored,
            on_progress=ProgressWriter(asset.pk),
            on_output=lambda output: _store_output(asset, output),
        )
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=AssetStatus.READY,
        progress=100,
        pages=result.pages if result.pages is not None else asset.pages,
        reason_code="",
        reason="",
        ready_at=timezone.now(),
        heartbeat_at=None,
    )


def asset_fail(asset: MediaAsset, *, code: str, params: dict[str, Any] | None = None, detail: str = "") -> None:
    """Mark an asset failed for good and tell its author by e-mail."""
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=AssetStatus.FAILED,
        reason_code=code,
        reason_params=params or {},
        reason=detail[-4000:],
        heartbeat_at=None,
    )
    enqueue_on_commit("media_pipeline.send_asset_failed_email", asset_id=asset.pk)


def assets_reap(*, now: datetime | None = None) -> list[int]:
    """Queue again the assets whose worker died or whose message was lost; fail those out of attempts."""
    now = now or timezone.now()
    stuck = MediaAsset.objects.filter(
        Q(status=AssetStatus.PROCESSING, heartbeat_at__lt=now - stale_after())
        | Q(status=AssetStatus.PROCESSING, heartbeat_at__isnull=True)
        | Q(status=AssetStatus.QUEUED, queued_at__lt=now - QUEUED_STALE_AFTER)
    )
    requeued = []
    for asset in stuck.select_related("entry"):
        if asset.attempts >= MAX_ATTEMPTS:
            asset_fail(asset, code="stuck", detail=f"gave up after {asset.attempts} attempts")
            continue
        logger.warning("asset %s was stuck in %s; queued again", asset.pk, asset.status)
        asset_enqueue(asset)
        requeued.append(asset.pk)
    return requeued
