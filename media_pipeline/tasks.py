"""Celery tasks of the media pipeline."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="media_pipeline.process_asset")
def process_asset(*, asset_id: int) -> None:
    """Verify an uploaded file and dispatch its processing to the right queue."""
    logger.info("asset %s queued", asset_id)
