"""Reads for watching a round's judging: how far each juror and each entry has got, and who is behind.

Everything here is computed in a fixed number of queries, whatever the size of the round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import floor
from typing import Any

from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contest.models import Entry
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Juror, JurorReminder, Review, Round

#: A juror who has submitted nothing this long after getting their first entry is behind, whatever the round's length.
STALL_AFTER = timedelta(days=3)


def _count(queryset: QuerySet[Any], outer: str) -> Coalesce:
    """The number of rows of ``queryset`` per outer row, as a subquery (no join that multiplies rows)."""
    counted = queryset.order_by().values(outer).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class JurorProgress:
    """One juror's work in a round."""

    juror: Juror
    assigned: int
    submitted: int
    drafts: int
    #: The latest change to any of their reviews in the round.
    last_activity: datetime | None
    #: When they got their first entry of the round.
    first_assigned: datetime | None
    reminded_at: datetime | None
    #: How many reviews they should have submitted by now (``None`` when the round has no closing time).
    expected: int | None
    behind: bool

    @property
    def not_started(self) -> int:
        return max(self.assigned - self.submitted - self.drafts, 0)

    @property
    def unfinished(self) -> int:
        return max(self.assigned - self.submitted, 0)

    @property
    def percent(self) -> int:
        """Submitted reviews as a whole percent of the assigned entries, rounded down (100 with nothing assigned)."""
        # Rounded down, so that 100 % means every review is in.
        return 100 * self.submitted // self.assigned if self.assigned else 100


@dataclass(frozen=True)
class EntryProgress:
    """One entry's reviews in a round."""

    entry: Entry
    needed: int
    assigned: int
    submitted: int
    #: The jurors assigned to it whose review is not submitted yet.
    missing: list[Juror] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.submitted >= self.needed


@dataclass(frozen=True)
class RoundProgress:
    """A round's judging: per juror, per entry, and the totals."""

    round: Round
    jurors: list[JurorProgress]
    entries: list[EntryProgress]
    now: datetime

    @property
    def assigned(self) -> int:
        return sum(row.assigned for row in self.jurors)

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.jurors)

    @property
    def drafts(self) -> int:
        return sum(row.drafts for row in self.jurors)

    @property
    def not_started(self) -> int:
        return sum(row.not_started for row in self.jurors)

    @property
    def percent(self) -> int:
        assigned = self.assigned
        return 100 * self.submitted // assigned if assigned else 100

    @property
    def entries_short(self) -> int:
        """Entries with fewer jurors assigned than they need."""
        return sum(1 for row in self.entries if row.assigned < row.needed)

    @property
    def entries_complete(self) -> int:
        return sum(1 for row in self.entries if row.complete)

    @property
    def behind(self) -> list[JurorProgress]:
        return [row for row in self.jurors if row.behind]


def juror_expected(
    round: Round, *, assigned: int, first_assigned: datetime | None, now: datetime
) -> tuple[int | None, datetime | None]:
    """(reviews a juror should have submitted by ``now``, when their clock started) under :func:`juror_is_behind`."""
    if first_assigned is None:
        return None, None
    start = max(first_assigned, round.opens_at) if round.opens_at is not None else first_assigned
    if round.closes_at is None or round.closes_at <= start:
        return None, start
    share = (now - start) / (round.closes_at - start)
    return floor(assigned * min(max(share, 0.0), 1.0)), start


def juror_is_behind(
    round: Round, *, assigned: int, submitted: int, first_assigned: datetime | None, now: datetime
) -> tuple[int | None, bool]:
    """(expected submitted reviews, whether the juror is behind) in an open round.

    A juror's clock starts when the round opens or when they got their first entry of it, whichever
    is later. A juror with unfinished entries is behind when

    * the round has a closing time and they have submitted fewer reviews than the share of their
      entries that the share of their time already gone calls for (rounded down: with 10 entries
      and 45 % of the time gone, 4 reviews are expected), or
    * they have submitted nothing for :data:`STALL_AFTER` (3 days) since their clock started, which
      also catches jurors of rounds without a closing time.

    Nobody is behind in a round that is being prepared or closed.
    """
    expected, start = juror_expected(round, assigned=assigned, first_assigned=first_assigned, now=now)
    if round.status != RoundStatus.OPEN or submitted >= assigned or start is None:
        return expected, False
    late = expected is not None and submitted < expected
    stalled = submitted == 0 and now - start >= STALL_AFTER
    return expected, late or stalled


def jurors_progress(round: Round, *, now: datetime | None = None, juror: Juror | None = None) -> list[JurorProgress]:
    """Every juror of the round (or just ``juror``): counts, last activity and reminder, behind or not (1 query)."""
    now = now or timezone.now()
    # Only entries still in the round: a withdrawn entry's reviews are kept aside, out of the counts.
    reviews = Review.objects.filter(round=round, juror=OuterRef("pk"), entry__round_links__round=round)
    reminders = JurorReminder.objects.filter(round=round, juror=OuterRef("pk"))
    jurors = (
        Juror.objects.filter(round_links__round=round)
        .select_related("user__profile", "university")
        .annotate(
            assigned=_count(Assignment.objects.filter(round=round, juror=OuterRef("pk")), "juror"),
            submitted=_count(reviews.filter(status=ReviewStatus.SUBMITTED), "juror"),
            drafts=_count(reviews.filter(status=ReviewStatus.DRAFT), "juror"),
            last_activity=Subquery(reviews.order_by().values("juror").annotate(at=Max("updated_at")).values("at")[:1]),
            first_assigned=Subquery(
                Assignment.objects.filter(round=round, juror=OuterRef("pk"))
                .order_by()
                .values("juror")
                .annotate(at=Min("created_at"))
                .values("at")[:1]
            ),
            reminded_at=Subquery(reminders.values("sent_at")[:1]),
        )
        .order_by("user__profile__full_name", "pk")
    )
    if juror is not None:
        jurors = jurors.filter(pk=juror.pk)
    rows = []
    for seat in jurors:
        expected, behind = juror_is_behind(
            round, assigned=seat.assigned, submitted=seat.submitted, first_assigned=seat.first_assigned, now=now
        )
        rows.append(
            JurorProgress(
                juror=seat,
                assigned=seat.assigned,
                submitted=seat.submitted,
                drafts=seat.drafts,
                last_activity=seat.last_activity,
                first_assigned=seat.first_assigned,
                reminded_at=seat.reminded_at,
                expected=expected,
                behind=behind,
            )
        )
    return rows


def entries_progress(round: Round, jurors: list[JurorProgress]) -> list[EntryProgress]:
    """Every entry of the round by code: reviews needed, assigned, submitted, and whose are missing (2 queries)."""
    submitted = Review.objects.filter(round=round, entry=OuterRef("pk"), status=ReviewStatus.SUBMITTED)
    entries = (
        Entry.objects.filter(round_links__round=round)
        .annotate(
            assigned=_count(Assignment.objects.filter(round=round, entry=OuterRef("pk")), "entry"),
            submitted=_count(submitted, "entry"),
        )
        .order_by("code")
    )
    done = Review.objects.filter(
        round=round, juror=OuterRef("juror"), entry=OuterRef("entry"), status=ReviewStatus.SUBMITTED
    )
    pending = (
        Assignment.objects.filter(round=round)
        .exclude(Exists(done))
        .order_by("entry_id", "juror_id")
        .values_list("entry_id", "juror_id")
    )
    by_id = {row.juror.pk: row.juror for row in jurors}
    missing: dict[int, list[Juror]] = {}
    for entry_id, juror_id in pending:
        if juror_id in by_id:
            missing.setdefault(entry_id, []).append(by_id[juror_id])
    needed = round.reviews_per_entry if round.reviews_per_entry is not None else len(jurors)
    return [
        EntryProgress(
            entry=entry,
            needed=needed,
            assigned=entry.assigned,
            submitted=entry.submitted,
            missing=missing.get(entry.pk, []),
        )
        for entry in entries
    ]


def round_progress(round: Round, *, now: datetime | None = None) -> RoundProgress:
    """The whole progress page of a round in three queries."""
    now = now or timezone.now()
    jurors = jurors_progress(round, now=now)
    return RoundProgress(round=round, jurors=jurors, entries=entries_progress(round, jurors), now=now)


def juror_progress_of(round: Round, juror: Juror, *, now: datetime | None = None) -> JurorProgress | None:
    """One juror's progress in the round, or ``None`` if they are not one of its jurors."""
    return next(iter(jurors_progress(round, now=now, juror=juror)), None)


def unfinished_jurors(round: Round) -> QuerySet[Juror]:
    """The jurors of the round with at least one assigned entry whose review they have not submitted."""
    done = Review.objects.filter(
        round=round, juror=OuterRef("juror"), entry=OuterRef("entry"), status=ReviewStatus.SUBMITTED
    )
    open_pairs = Assignment.objects.filter(round=round).exclude(Exists(done))
    return Juror.objects.filter(round_links__round=round, pk__in=open_pairs.values("juror_id")).order_by("pk")
