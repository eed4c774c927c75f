"""Background work of exchange: ZIPs of the entries' files, queued by ``files_archive_start``."""

from __future__ import annotations

import logging

from celery import shared_task

from exchange.entry_files import files_archive_build, files_archives_prune

logger = logging.getLogger(__name__)

#: Hard limit of one ZIP, in seconds (it copies every file of a contest); below the broker's visibility timeout.
ARCHIVE_TIME_LIMIT = 3 * 3600


@shared_task(
    name="exchange.files.build_archive",
    acks_late=True,
    time_limit=ARCHIVE_TIME_LIMIT,
    soft_time_limit=ARCHIVE_TIME_LIMIT - 60,
)
def build_files_archive(*, archive_id: int) -> None:
    """Build a queued ZIP of entries' files (queue ``media``)."""
    if files_archive_build(archive_id=archive_id) is None:
        logger.info("ZIP of files %s is gone: nothing to build", archive_id)


@shared_task(name="exchange.prune_files_archives")
def prune_files_archives() -> int:
    """Delete the ZIPs of files kept long enough (run by Celery beat); how many went."""
    return files_archives_prune()
