"""The one exception type for broken domain rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise


class BaigeError(Exception):
    """A domain rule was broken; ``message`` is meant for the person who tried."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)


class DeadlinePassed(BaigeError):
    """Submissions for the contest are closed (or not open yet)."""

    status_code = 409
    code = "submissions_closed"


class FileRefused(BaigeError):
    """An uploaded file breaks a contest limit or is not a video or presentation."""

    code = "file_refused"


class NotAllowed(BaigeError):
    """The person may not do this to this object."""

    status_code = 403
    code = "not_allowed"


def full_clean_or_refuse(obj: Any, **options: Any) -> None:
    """Run a model's own checks (``full_clean(**options)``); what they refuse becomes one :class:`BaigeError`."""
    try:
        obj.full_clean(**options)
    except ValidationError as invalid:
        raise BaigeError(" ".join(invalid.messages)) from invalid
