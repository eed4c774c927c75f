"""Celery tasks of the media pipeline: the heavy work per queue, the reaper, e-mails.

Each task loads its row and calls a service; services queue these tasks by name, never importing this module.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from config.enqueue import task_send
from contest.mail import mail_task
from media_pipeline import files
from media_pipeline.models import MediaAsset
from media_pipeline.pipeline import asset_process, asset_process_task, assets_reap
from media_pipeline.processing import ProcessingFailed
from media_pipeline.services import asset_failure_mail
from media_pipeline.uploads import uploads_discard_stale

logger = logging.getLogger(__name__)

#: Hard limits per queue, in seconds; the broker's visibility timeout is set above the longest.
MEDIA_TIME_LIMIT = 2 * 3600
OFFICE_TIME_LIMIT = 20 * 60


@shared_task(name="media_pipeline.process_asset")
def process_asset(*, asset_id: int) -> None:
    """Send an asset to the task of the queue that fits it; uploads now queue that task themselves.

    Kept for messages queued before that, which a broker may still hold.
    """
    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        logger.info("asset %s is gone", asset_id)
        return
    task_send(asset_process_task(asset), asset_id=asset_id)


def _run(task: Task, asset_id: int) -> None:
    try:
        asset_process(asset_id=asset_id)
    except ProcessingFailed as failed:  # transient: try again later
        raise task.retry(exc=failed, countdown=30 * 2**task.request.retries) from failed


@shared_task(
    name="media_pipeline.media.process",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    time_limit=MEDIA_TIME_LIMIT,
    soft_time_limit=MEDIA_TIME_LIMIT - 60,
)
def process_media(self: Task, *, asset_id: int) -> None:
    """Transcode a video (queue ``media``)."""
    _run(self, asset_id)


@shared_task(
    name="media_pipeline.office.process",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    time_limit=OFFICE_TIME_LIMIT,
    soft_time_limit=OFFICE_TIME_LIMIT - 60,
)
def process_office(self: Task, *, asset_id: int) -> None:
    """Convert a presentation and render its pages (queue ``office``)."""
    _run(self, asset_id)


@shared_task(name="media_pipeline.reap_stuck_assets")
def reap_stuck_assets() -> list[int]:
    """Queue again the assets stuck after a worker crash (run by Celery beat)."""
    return assets_reap()


@shared_task(name="media_pipeline.discard_stale_uploads")
def discard_stale_uploads() -> int:
    """Throw away the parts of uploads left unfinished for days (run by Celery beat)."""
    return uploads_discard_stale()


@mail_task("media_pipeline.send_asset_failed_email")
def send_asset_failed_email(*, asset_id: int) -> None:
    """Tell the author, in their language, that their file could not be processed and why."""
    asset = MediaAsset.objects.select_related("entry__contest", "entry__author__profile").filter(pk=asset_id).first()
    if asset is None:
        logger.info("asset %s is gone", asset_id)
        return
    asset_failure_mail(asset=asset)


@shared_task(name="media_pipeline.remove_files")
def remove_files(*, names: list[str]) -> int:
    """Remove stored files whose rows are gone (a deleted entry's originals and renditions); how many went."""
    return files.remove(names)
