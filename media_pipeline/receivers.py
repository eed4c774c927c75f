"""What the media pipeline does when the contest app changes entries."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from config.enqueue import enqueue_on_commit
from contest.models import Entry
from contest.signals import entry_deleting
from media_pipeline.enums import UploadStatus
from media_pipeline.models import MediaAsset, Rendition, UploadSession
from media_pipeline.upload_parts import UploadClosed, parts_of

logger = logging.getLogger(__name__)


@receiver(entry_deleting, dispatch_uid="media_pipeline.entry_files_remove_on_commit")
def entry_files_remove_on_commit(sender: Any, *, entry: Entry, **kwargs: Any) -> None:
    """Once a deleted entry's rows are gone, remove its stored originals and renditions, and unfinished uploads."""
    names = [
        *MediaAsset.objects.filter(entry=entry).exclude(original="").values_list("original", flat=True),
        *Rendition.objects.filter(asset__entry=entry).exclude(file="").values_list("file", flat=True),
    ]
    # Kept in memory: their rows go with the entry, their parts are thrown away after it.
    uploads = list(UploadSession.objects.filter(entry=entry, status=UploadStatus.OPEN))

    def discard_uploads() -> None:
        for upload in uploads:
            try:
                parts_of(upload).discard(upload)
            except (UploadClosed, OSError):
                logger.warning("Could not discard the parts of upload %s of a deleted entry", upload.pk)

    transaction.on_commit(discard_uploads)
    if names:
        # A presentation has a rendition per page: removing them is a worker's job, not the request's.
        enqueue_on_commit("media_pipeline.remove_files", names=names)
