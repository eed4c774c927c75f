"""Writes of the background-processing records: a task's final failure, and forgetting old ones."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from monitoring.models import TaskFailure

logger = logging.getLogger(__name__)

#: The longest error message kept; the traceback keeps its end, where the error is.
MESSAGE_LENGTH = 2000
TRACEBACK_LENGTH = 20000


def _subject(arguments: Mapping[str, Any]) -> tuple[int | None, str]:
    """The contest and entry code a task worked for, read from the ids its keyword arguments name."""
    from certificates.models import IssueRun
    from contest.models import Entry
    from judging.models import Juror, Results, Round
    from media_pipeline.models import MediaAsset

    def given(name: str) -> int | None:
        value = arguments.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    row: tuple[int, str] | None = None
    if (asset_id := given("asset_id")) is not None:
        row = MediaAsset.objects.filter(pk=asset_id).values_list("entry__contest_id", "entry__code").first()
    elif (entry_id := given("entry_id")) is not None:
        row = Entry.objects.filter(pk=entry_id).values_list("contest_id", "code").first()
    elif (results_id := given("results_id")) is not None:
        contest_id = Results.objects.filter(pk=results_id).values_list("round__contest_id", flat=True).first()
        row = (contest_id, "") if contest_id is not None else None
    elif (juror_id := given("juror_id")) is not None:
        contest_id = Juror.objects.filter(pk=juror_id).values_list("contest_id", flat=True).first()
        row = (contest_id, "") if contest_id is not None else None
    elif (round_id := given("round_id")) is not None:
        contest_id = Round.objects.filter(pk=round_id).values_list("contest_id", flat=True).first()
        row = (contest_id, "") if contest_id is not None else None
    elif (issue_run_id := given("issue_run_id")) is not None:
        contest_id = IssueRun.objects.filter(pk=issue_run_id).values_list("contest_id", flat=True).first()
        row = (contest_id, "") if contest_id is not None else None
    return row if row is not None else (None, "")


def _json_safe(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Ids and other plain values as they are; anything else as its short text."""
    plain = (str, int, float, bool, type(None))
    return {str(key): value if isinstance(value, plain) else repr(value)[:200] for key, value in arguments.items()}


def task_failure_record(
    *,
    task_name: str,
    task_id: str,
    queue: str,
    arguments: Mapping[str, Any],
    exception: BaseException,
    traceback_text: str,
    request_id: str,
) -> TaskFailure:
    """Keep a task's final failure for the organisers' page, with the contest and entry its arguments lead to."""
    contest_id, entry_code = _subject(arguments)
    return TaskFailure.objects.create(
        task_name=task_name[:200],
        task_id=task_id[:64],
        queue=queue[:100],
        contest_id=contest_id,
        entry_code=entry_code[:32],
        exception=type(exception).__qualname__[:200],
        message=str(exception)[:MESSAGE_LENGTH],
        traceback=traceback_text[-TRACEBACK_LENGTH:],
        arguments=_json_safe(arguments),
        request_id=request_id[:64],
        failed_at=timezone.now(),
    )


def task_failures_prune(*, older_than: timedelta) -> int:
    """Forget failures older than ``older_than``; returns how many were deleted."""
    deleted, _per_model = TaskFailure.objects.filter(failed_at__lt=timezone.now() - older_than).delete()
    return deleted
