"""Log records that can be followed across processes: a request id, and one JSON object per line.

Every web request gets an id (see ``config.middleware``); Celery tasks queued while it runs carry the
same id (see ``config.celery``), so one grep for it finds everything that happened because of one click.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime

#: An id sent by a client or a proxy is kept only if it looks like one: short and without spaces,
#: quotes or newlines, so that it can neither break a log line nor grow without limit.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")

#: The id of the request (or of the request that queued the task) being handled; None outside both.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

#: Where the request keeps its id: Django logs the status of a failed response ("Not Found: /...")
#: after the middleware has returned, with the request attached to the record but no id current.
REQUEST_ID_META_KEY = "BAIGE_REQUEST_ID"


def request_id_is_valid(value: str) -> bool:
    """Whether ``value`` may be used as a request id as it is."""
    return REQUEST_ID_PATTERN.fullmatch(value) is not None


def request_id_get() -> str | None:
    """The request id of the current context, if any."""
    return request_id_var.get()


def request_id_set(request_id: str | None) -> Token[str | None]:
    """Make ``request_id`` current; give the token to ``request_id_reset`` to restore the previous one."""
    return request_id_var.set(request_id)


def request_id_reset(token: Token[str | None]) -> None:
    """Restore the request id that was current before ``request_id_set`` returned ``token``."""
    request_id_var.reset(token)


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[None]:
    """Make ``request_id`` current for the ``with`` block."""
    token = request_id_set(request_id)
    try:
        yield
    finally:
        request_id_reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id (``record.request_id``); never drops a record.

    It sits on the handlers rather than on loggers because a logger's filters do not see the records
    that reach it from its children.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # A record already stamped (by a handler earlier in the chain) keeps its id.
        if not hasattr(record, "request_id"):
            record.request_id = request_id_get() or _request_id_of_record(record)
        return True


def _request_id_of_record(record: logging.LogRecord) -> str | None:
    """The id kept by the request that ``django.request`` records carry in ``record.request``."""
    meta = getattr(getattr(record, "request", None), "META", None)
    request_id = meta.get(REQUEST_ID_META_KEY) if isinstance(meta, dict) else None
    return request_id if isinstance(request_id, str) else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and exception when there is one.

    A traceback becomes one string inside the object, so a log collector never splits it into lines.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # Records that did not pass a RequestIdFilter still read the id of the current context.
            "request_id": getattr(record, "request_id", request_id_get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: a message argument that JSON cannot hold is already text in "message"; this only
        # guards against odd objects in the fields above.
        return json.dumps(entry, ensure_ascii=False, default=str)
