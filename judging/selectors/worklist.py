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


#: The orders a juror's list can be read in: by entry code, unscored first, most recently updated first.
ORDER_CODE = "code"
ORDER_STATUS = "status"
ORDER_UPDATED = "updated"
ORDERS = (ORDER_CODE, ORDER_STATUS, ORDER_UPDATED)
#: How far along a review is, for "unscored first": not started, draft, submitted.
_STAGE = {None: 0, ReviewStatus.DRAFT: 1, ReviewStatus.SUBMITTED: 2}


def _review_updated() -> Subquery:
    """When the juror's own review of an assignment's entry last changed, ``None`` before they start it."""
    own = Review.objects.filter(
        round_id=OuterRef("round_id"), juror_id=OuterRef("juror_id"), entry_id=OuterRef("entry_id")
    )
    return Subquery(own.order_by().values("updated_at")[:1])


def _in_order(
    rows: list[Any],
    order: str,
    *,
    code: Callable[[Any], str],
    status: Callable[[Any], Any],
    updated: Callable[[Any], Any],
) -> list[Any]:
    """The rows (already by entry code) in the list's order; ties keep the entry code's order."""
    if order == ORDER_STATUS:
        return sorted(rows, key=lambda row: _STAGE.get(status(row), 0))
    if order == ORDER_UPDATED:
        # Most recently changed first; entries never started come last, by code.
        started = sorted((row for row in rows if updated(row) is not None), key=updated, reverse=True)
        return started + [row for row in rows if updated(row) is None]
    return rows


@dataclass(frozen=True)
class Worklist:
    """A juror's entries of a round as their list shows them, and "x of y scored" over all their entries."""

    assignments: list[Assignment]
    scored: int
    total: int


def juror_worklist(user: Any, round: Round, *, narrow: Narrowing | None = None, order: str = ORDER_CODE) -> Worklist:
    """The assignments of :func:`worklist_of_juror` that ``narrow`` keeps, in ``order``, and the counts over them all.

    One query for the whole list, whatever the filters; the entries' platforms are for the caller to
    fetch for the rows it shows (``prefetch_related_objects``), so a page of the list costs one more.
    """
    rows = list(
        assignments_of_juror(user, round)
        .prefetch_related(None)
        .annotate(review_status=_review_status(), review_updated=_review_updated(), shown=_shown(user, round, narrow))
    )
    shown = _in_order(
        [row for row in rows if row.shown],
        order,
        code=lambda row: row.entry.code,
        status=lambda row: row.review_status,
        updated=lambda row: row.review_updated,
    )
    return Worklist(
        assignments=shown,
        scored=sum(1 for row in rows if row.review_status == ReviewStatus.SUBMITTED),
        total=len(rows),
    )


@dataclass(frozen=True)
class WorklistPlace:
    """Where an entry stands in the juror's list: the entries before and after it, the next one to score,
    and "x of y scored"."""

    previous: str | None
    following: str | None
    scored: int
    total: int
    #: The first entry after this one in the list's order (then from the top) whose review is not submitted.
    next_unscored: str | None = None


def worklist_place(
    user: Any, round: Round, *, code: str, narrow: Narrowing | None = None, order: str = ORDER_CODE
) -> WorklistPlace:
    """In one query: the entries next to ``code`` among the assignments ``narrow`` keeps, and the counts over all.

    ``code`` need not be in the list any more (an entry just withdrawn): its neighbours are then where it stood.
    """
    rows = list(
        assignments_of_juror(user, round)
        .select_related(None)
        .prefetch_related(None)
        .annotate(review_status=_review_status(), review_updated=_review_updated(), shown=_shown(user, round, narrow))
        .values_list("entry__code", "review_status", "review_updated", "shown")
    )
    listed = _in_order(
        [row for row in rows if row[3]],
        order,
        code=lambda row: row[0],
        status=lambda row: row[1],
        updated=lambda row: row[2],
    )
    codes = [row[0] for row in listed]
    if code in codes:
        at = codes.index(code)
        before, after = listed[:at], listed[at + 1 :]
    else:
        before = [row for row in listed if row[0] < code]
        after = [row for row in listed if row[0] > code]
    unscored = [row[0] for row in after + before if row[1] != ReviewStatus.SUBMITTED]
    return WorklistPlace(
        previous=before[-1][0] if before else None,
        following=after[0][0] if after else None,
        scored=sum(1 for row in rows if row[1] == ReviewStatus.SUBMITTED),
        total=len(rows),
        next_unscored=unscored[0] if unscored else None,
    )
