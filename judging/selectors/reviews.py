"""Reviews as they are read: a review's total, and a juror's own review of an assigned entry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import Prefetch

from judging.enums import ReviewStatus
from judging.models import Assignment, Criterion, Juror, Review, Round, Score


def review_total(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> Decimal | None:
    """A review's total ``T = 100 · Σ w·s/M / Σ w`` (0–100) from scores by criterion id; ``None`` if one is missing."""
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        if criterion.pk not in scores:
            return None
        weighted += criterion.weight * Decimal(scores[criterion.pk]) / Decimal(criterion.max_score)
        weights += criterion.weight
    if weights == 0:
        return None
    return 100 * weighted / weights


def own_review(assignment: Assignment) -> Review | None:
    """The juror's own review of the assigned entry, with its scores; another juror's is never read."""
    return (
        Review.objects.filter(round_id=assignment.round_id, juror_id=assignment.juror_id, entry_id=assignment.entry_id)
        .prefetch_related("scores")
        .order_by("pk")  # at most one row: the reviews' own ordering would only add joins
        .first()
    )


def submitted_reviews_of_juror(round: Round, juror: Juror) -> dict[int, Review]:
    """For the organisers: the juror's submitted (or set aside) reviews in the round by entry id, with their scores.

    Each score comes with its criterion, in the rubric's order; drafts stay the juror's own until submitted.
    """
    scores = Score.objects.select_related("criterion").order_by("criterion__order", "criterion_id")
    reviews = (
        Review.objects.filter(round=round, juror=juror, status__in=[ReviewStatus.SUBMITTED, ReviewStatus.SET_ASIDE])
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by()
    )
    return {review.entry_id: review for review in reviews}
