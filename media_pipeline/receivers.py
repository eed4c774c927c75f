"""What the media pipeline does when the contest app changes entries."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import receiver

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

    def remove() -> None:
        for upload in uploads:
            try:
                parts_of(upload).discard(upload)
            except (UploadClosed, OSError):
                logger.warning("Could not discard the parts of upload %s of a deleted entry", upload.pk)
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # A file that cannot be removed now is left behind; the entry itself is gone either way.
                logger.warning("Could not remove %s of a deleted entry", name)

    transaction.on_commit(remove)
