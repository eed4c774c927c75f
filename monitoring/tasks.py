"""Background work of the monitoring records."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from monitoring.services import task_failures_prune


@shared_task(name="monitoring.prune_task_failures")
def prune_task_failures() -> int:
    """Forget failed tasks older than ``TASK_FAILURE_RETENTION_DAYS``."""
    return task_failures_prune(older_than=timedelta(days=settings.TASK_FAILURE_RETENTION_DAYS))
