"""Celery's word that a task failed for good, kept for the organisers' view of background processing."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import task_failure

from config.logging import request_id_get

logger = logging.getLogger(__name__)


@task_failure.connect
def task_failure_keep(
    *,
    sender: Task | None = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    kwargs: dict[str, Any] | None = None,
    einfo: Any = None,
    **_: Any,
) -> None:
    """Record the failure; a record that cannot be written is logged and never makes the worker fail."""
    from monitoring.services import task_failure_record

    if sender is None or exception is None:
        return
    delivery = getattr(sender.request, "delivery_info", None) or {}
    try:
        task_failure_record(
            task_name=sender.name or "",
            task_id=task_id or "",
            queue=str(delivery.get("routing_key") or ""),
            arguments=kwargs or {},
            exception=exception,
            traceback_text=str(getattr(einfo, "traceback", "") or ""),
            request_id=request_id_get() or "",
        )
    except Exception:  # the database may be what failed the task
        logger.exception("could not record the failure of task %s (%s)", sender.name, task_id)
