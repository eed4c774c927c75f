"""The Celery application: one app, three queues (default, media, office)."""

from __future__ import annotations

import logging
import os
from contextvars import Token
from typing import Any

from celery import Celery, Task
from celery.signals import after_setup_logger, after_setup_task_logger, before_task_publish, task_postrun, task_prerun
from kombu import Queue

from config.logging import JsonFormatter, RequestIdFilter, request_id_get, request_id_reset, request_id_set

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("baige")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("media"), Queue("office"))
app.conf.task_default_queue = "default"
# Long work goes to its own queue: transcodes and ZIPs of files to "media",
# LibreOffice and certificates' PDFs to "office".
app.conf.task_routes = {
    "media_pipeline.office.*": {"queue": "office"},
    "certificates.*": {"queue": "office"},
    "media_pipeline.media.*": {"queue": "media"},
    # ZIPs of entries' files copy gigabytes: they wait behind transcodes rather than hold up e-mail.
    "exchange.files.*": {"queue": "media"},
}
app.autodiscover_tasks()

#: The message header that carries the request id from the process that queued a task to the worker.
REQUEST_ID_TASK_HEADER = "request_id"

# The request id each running task made current, by task id, to restore the previous one when it ends.
_request_id_tokens: dict[str, Token[str | None]] = {}


@before_task_publish.connect
def request_id_publish(*, headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Send the current request id along with a task queued during a request (or during another task)."""
    request_id = request_id_get()
    if headers is not None and request_id is not None:
        headers.setdefault(REQUEST_ID_TASK_HEADER, request_id)


@task_prerun.connect
def request_id_task_start(*, task_id: str, task: Task, **_: Any) -> None:
    """Make the id that came with the task current while it runs, so that its log lines carry it."""
    # Custom message headers become attributes of the task's request. A task run eagerly was never
    # published, so it has no header and keeps the id of the request that ran it.
    request_id = getattr(task.request, REQUEST_ID_TASK_HEADER, None) or request_id_get()
    _request_id_tokens[task_id] = request_id_set(request_id)


@task_postrun.connect
def request_id_task_end(*, task_id: str, **_: Any) -> None:
    """Restore the id that was current before the task, so that the worker's next task does not inherit it."""
    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        request_id_reset(token)


@after_setup_logger.connect
@after_setup_task_logger.connect
def logging_format_worker(*, logger: logging.Logger, **_: Any) -> None:
    """With LOG_FORMAT=json, the worker writes JSON lines like the web processes.

    Celery replaces the handlers of the root and task loggers with its own; their formatters are swapped
    here rather than Celery's logging set-up turned off, so that plain text stays exactly Celery's.
    """
    from django.conf import settings

    if settings.LOG_FORMAT != "json":
        return
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
