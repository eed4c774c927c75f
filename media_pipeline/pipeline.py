"""The processing pipeline around ``processing.py``: states, storage and the entry's current file."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset


def asset_enqueue(asset: MediaAsset) -> None:
    """Queue an uploaded asset for verification and processing once the transaction commits."""
    from media_pipeline.tasks import process_asset

    MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.QUEUED, queued_at=timezone.now())
    asset.status = AssetStatus.QUEUED
    transaction.on_commit(lambda: process_asset.delay(asset_id=asset.pk))
