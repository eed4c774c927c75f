"""Queue background work by the task's name once the transaction commits, so services never import task modules."""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def task_send(name: str, /, **kwargs: Any) -> None:
    """Queue the task called ``name`` with ``kwargs`` now (run in place when tasks run eagerly)."""
    app = current_app
    if name not in app.tasks:
        # A web process imports the apps' task modules only when asked to: Celery's autodiscovery runs
        # when the worker starts, or here, once, before the first task is queued.
        app.loader.import_default_modules()
    app.tasks[name].apply_async(kwargs=kwargs)


def enqueue_on_commit(name: str, /, **kwargs: Any) -> None:
    """Queue the task called ``name`` with ``kwargs`` (ids) once the current transaction commits, never before.

    A worker must not look for rows that are not committed yet, nor act on work that is rolled back.
    """
    transaction.on_commit(lambda: task_send(name, **kwargs))
