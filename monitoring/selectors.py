"""Reads for the view of background processing: the queues, the workers on them, a contest's files and failures.

The queues and workers are the site's (every contest's work shares them); the files and failed tasks are
the contest's own. Nothing here is cached: the page is looked at when something seems slow, and must say
how things stand now.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import ChannelError

from config.celery import app
from contest.enums import EntryStatus
from contest.models import Contest, Entry
from media_pipeline.enums import AssetStatus
from monitoring.models import TaskFailure

logger = logging.getLogger(__name__)

#: How long the broker may take to answer before the page says it could not be reached.
BROKER_TIMEOUT = 2
#: How many failed tasks the page lists (the count covers them all).
FAILURES_SHOWN = 50
#: How far back the failed tasks go.
FAILURES_PERIOD = timedelta(days=7)
#: How far back the dashboard's warning of failed tasks looks.
RECENT_FAILURES_PERIOD = timedelta(hours=24)


@dataclass(frozen=True)
class QueueState:
    """A queue: the tasks waiting in it and the workers taking them (``None`` when that could not be learnt)."""

    name: str
    waiting: int | None
    workers: tuple[str, ...] | None

    @property
    def unattended(self) -> bool:
        """Nobody answered for this queue: its work waits until a worker is started."""
        return self.workers is not None and not self.workers


@dataclass(frozen=True)
class Queues:
    """How the site's queues stand, or why it is not known."""

    #: Tasks run inside the process that queues them (``CELERY_TASK_ALWAYS_EAGER``): there are no queues.
    inline: bool
    #: What went wrong asking the broker; empty when it answered.
    broker_error: str
    states: tuple[QueueState, ...]


def queue_names() -> tuple[str, ...]:
    """The queues Baige's workers take work from, as the Celery app declares them."""
    return tuple(queue.name for queue in app.conf.task_queues or ())


def _waiting(names: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        # Kombu's types know its channels only as the base class, which does not declare queues.
        channel = cast(Any, connection.default_channel)
        for name in names:
            try:
                counts[name] = channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:
                # Redis keeps no empty queue: one that is not there holds nothing.
                counts[name] = 0
    return counts


def _workers(timeout: float) -> dict[str, tuple[str, ...]]:
    """Each queue's workers, from the answers of those that reply within ``timeout`` seconds."""
    replies = app.control.inspect(timeout=timeout).active_queues() or {}
    found: dict[str, list[str]] = {}
    for worker, queues in replies.items():
        for queue in queues or ():
            found.setdefault(str(queue.get("name", "")), []).append(worker)
    return {name: tuple(sorted(workers)) for name, workers in found.items()}


def queues_state(*, worker_timeout: float | None = None) -> Queues:
    """The waiting tasks of each queue and the workers that answer for it."""
    names = queue_names()
    if app.conf.task_always_eager:
        return Queues(inline=True, broker_error="", states=tuple(QueueState(name, None, None) for name in names))
    timeout = settings.MONITORING_WORKER_TIMEOUT if worker_timeout is None else worker_timeout
    try:
        waiting = _waiting(names)
        workers = _workers(timeout)
    except Exception as error:  # any broker failure is reported on the page, never raised to it
        logger.warning("the broker could not be asked about its queues: %s", error)
        return Queues(
            inline=False,
            broker_error=f"{type(error).__name__}: {error}"[:300],
            states=tuple(QueueState(name, None, None) for name in names),
        )
    return Queues(
        inline=False,
        broker_error="",
        states=tuple(QueueState(name, waiting.get(name, 0), workers.get(name, ())) for name in names),
    )


@dataclass(frozen=True)
class ContestFiles:
    """The current files of a contest's entries by processing state, and the oldest still waiting."""

    queued: int
    processing: int
    ready: int
    failed: int
    #: When the file that has waited longest was queued; ``None`` when none waits.
    oldest_queued_at: datetime | None

    @property
    def oldest_wait(self) -> timedelta | None:
        return timezone.now() - self.oldest_queued_at if self.oldest_queued_at else None


def contest_files(*, contest: Contest) -> ContestFiles:
    """One query: the contest's current files (drafts included, withdrawn entries not) by state."""
    current = Entry.objects.filter(contest=contest, media__isnull=False).exclude(status=EntryStatus.WITHDRAWN)
    waiting = [AssetStatus.UPLOADED, AssetStatus.QUEUED]
    totals = current.aggregate(
        queued=Count("pk", filter=Q(media__status__in=waiting)),
        processing=Count("pk", filter=Q(media__status=AssetStatus.PROCESSING)),
        ready=Count("pk", filter=Q(media__status=AssetStatus.READY)),
        failed=Count("pk", filter=Q(media__status=AssetStatus.FAILED)),
        oldest_queued_at=Min("media__queued_at", filter=Q(media__status__in=waiting)),
    )
    return ContestFiles(**totals)


def contest_failed_files(*, contest: Contest) -> QuerySet[Entry]:
    """The contest's entries whose current file failed processing, newest first."""
    return (
        Entry.objects.filter(contest=contest, media__status=AssetStatus.FAILED)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("media")
        .order_by("-media__updated_at")
    )


def contest_task_failures(*, contest: Contest, since: datetime, viewer: Any) -> QuerySet[TaskFailure]:
    """Failed tasks since ``since`` of this contest, and of the site (no contest) when ``viewer`` runs the site."""
    belongs = Q(contest=contest)
    if viewer.has_perm("monitoring.view_site_failures"):
        belongs |= Q(contest__isnull=True)
    return TaskFailure.objects.filter(belongs, failed_at__gte=since)


#: How many of an entry's failed tasks its organisers' page lists.
ENTRY_FAILURES_SHOWN = 20


def entry_task_failures(*, entry: Entry) -> list[TaskFailure]:
    """The latest tasks that failed after their retries while working for the entry, newest first; one query."""
    failures = TaskFailure.objects.filter(contest_id=entry.contest_id, entry_code=entry.code)
    return list(failures.order_by("-failed_at", "-pk")[:ENTRY_FAILURES_SHOWN])


@dataclass(frozen=True)
class ContestProcessing:
    """Everything organisers see of background processing for one contest."""

    queues: Queues
    files: ContestFiles
    #: The start of the period ``failures`` covers.
    failures_since: datetime
    failure_count: int
    #: The latest failed tasks, newest first, at most ``FAILURES_SHOWN``.
    failures: list[TaskFailure]
    #: Whether ``failures`` also holds the site's own (staff only).
    site_failures: bool = False


def contest_processing(*, contest: Contest, viewer: Any) -> ContestProcessing:
    """The site's queues, the contest's files and the failed tasks of ``FAILURES_PERIOD`` that ``viewer`` may see."""
    since = timezone.now() - FAILURES_PERIOD
    failures = contest_task_failures(contest=contest, since=since, viewer=viewer)
    queues = queues_state()
    if queues.broker_error and not viewer.has_perm("monitoring.view_site_failures"):
        # The broker's own words name its host and port: organisers learn that it failed and how, not where.
        queues = replace(queues, broker_error=queues.broker_error.split(":", 1)[0])
    return ContestProcessing(
        queues=queues,
        files=contest_files(contest=contest),
        failures_since=since,
        failure_count=failures.count(),
        failures=list(failures[:FAILURES_SHOWN]),
        site_failures=viewer.has_perm("monitoring.view_site_failures"),
    )
