"""A juror's worklist in a round: their assignments with the state of their own reviews, and "x of y scored"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value

from judging.enums import ReviewStatus
from judging.models import Assignment, Review, Round


def assignments_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round with their entries and review status, in a fixed number of queries."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(round=round, juror__user=user)
        .select_related("entry__media", "entry__nomination")
        .prefetch_related("entry__platforms")
        .order_by("entry__code")
    )


def juror_progress(user: Any, round: Round) -> tuple[int, int]:
    """(submitted reviews, assigned entries) of a juror in a round: "x of y scored", as the panel counts it."""
    worklist = juror_worklist(user, round)
    return worklist.scored, worklist.total


def _review_status() -> Subquery:
    """The status of the juror's own review of an assignment's entry, ``None`` before they start it."""
    own = Review.objects.filter(
        round_id=OuterRef("round_id"), juror_id=OuterRef("juror_id"), entry_id=OuterRef("entry_id")
    )
    # A juror has at most one review of an entry in a round: the reviews' own ordering would only add joins.
    return Subquery(own.order_by().values("status")[:1])


def worklist_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round annotated with ``review_status`` (``None``: not started), by entry code."""
    return assignments_of_juror(user, round).annotate(review_status=_review_status())


#: Narrows a juror's worklist to the assignments their list shows (the list's filters).
Narrowing = Callable[[QuerySet[Assignment]], QuerySet[Assignment]]


def _shown(user: Any, round: Round, narrow: Narrowing | None) -> Value | ExpressionWrapper:
    """Whether an assignment is one that ``narrow`` keeps of the juror's worklist; every one without it."""
    if narrow is None:
        return Value(True, output_field=BooleanField())
    kept = narrow(worklist_of_juror(user, round)).values("pk")
    return ExpressionWrapper(Q(pk__in=kept), output_field=BooleanField())


@dataclass(frozen=True)
class Worklist:
    """A juror's entries of a round as their list shows them, and "x of y scored" over all their entries."""

    assignments: list[Assignment]
    scored: int
    total: int


def juror_worklist(user: Any, round: Round, *, narrow: Narrowing | None = None) -> Worklist:
    """The assignments of :func:`worklist_of_juror` that ``narrow`` keeps, and the counts over them all.

    One query for the whole list (and one for the entries' platforms), whatever the filters.
    """
    rows = list(
        assignments_of_juror(user, round).annotate(review_status=_review_status(), shown=_shown(user, round, narrow))
    )
    return Worklist(
        assignments=[row for row in rows if row.shown],
        scored=sum(1 for row in rows if row.review_status == ReviewStatus.SUBMITTED),
        total=len(rows),
    )


@dataclass(frozen=True)
class WorklistPlace:
    """Where an entry stands in the juror's list: the entries before and after it, and "x of y scored"."""

    previous: str | None
    following: str | None
    scored: int
    total: int


def worklist_place(user: Any, round: Round, *, code: str, narrow: Narrowing | None = None) -> WorklistPlace:
    """In one query: the entries next to ``code`` among the assignments ``narrow`` keeps, and the counts over all."""
    rows = list(
        assignments_of_juror(user, round)
        .select_related(None)
        .prefetch_related(None)
        .annotate(review_status=_review_status(), shown=_shown(user, round, narrow))
        .values_list("entry__code", "review_status", "shown")
    )
    before = [other for other, _status, shown in rows if shown and other < code]
    after = [other for other, _status, shown in rows if shown and other > code]
    return WorklistPlace(
        previous=before[-1] if before else None,
        following=after[0] if after else None,
        scored=sum(1 for _code, status, _shown in rows if status == ReviewStatus.SUBMITTED),
        total=len(rows),
    )
