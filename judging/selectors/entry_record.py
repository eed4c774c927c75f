"""An entry's whole judging for its organisers: each round it is in, its jurors, their reviews and their history."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q

from contest.models import Entry
from judging.models import Assignment, Award, Criterion, Review, ReviewChange, Round, RoundEntry, Score
from judging.selectors.reviews import review_total
from judging.selectors.rubric import criteria_of


@dataclass(frozen=True)
class ScoreChange:
    """One criterion's score before and after a change of a review (``None``: not scored)."""

    criterion: str
    old: int | None
    new: int | None


@dataclass
class ReviewEvent:
    """One recorded change of a review: its first submission or a revision, with what it changed."""

    change: ReviewChange
    total_before: Decimal | None
    total_after: Decimal | None
    scores: list[ScoreChange]
    comment_changed: bool
    feedback_changed: bool


@dataclass
class ReviewRecord:
    """A juror's review of the entry with its scores in the rubric's order, its total and its history."""

    review: Review
    scores: list[Score]
    total: Decimal | None
    history: list[ReviewEvent]


@dataclass
class RoundRecord:
    """The entry in one round: whether it is (still) in it, shortlisted, its jurors, reviews and awards."""

    round: Round
    in_round: bool
    shortlisted: bool
    assignments: list[Assignment] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)


def _scores_of(snapshot: Any) -> dict[int, int]:
    if not isinstance(snapshot, dict):
        return {}
    return {int(pk): int(value) for pk, value in (snapshot.get("scores") or {}).items()}


def _text_of(snapshot: Any, name: str) -> str:
    return str(snapshot.get(name) or "") if isinstance(snapshot, dict) else ""


def review_event(change: ReviewChange, criteria: list[Criterion]) -> ReviewEvent:
    """What a recorded change did: the totals before and after and each criterion whose score it changed."""
    old, new = _scores_of(change.old), _scores_of(change.new)
    return ReviewEvent(
        change=change,
        total_before=review_total(old, criteria) if change.old else None,
        total_after=review_total(new, criteria),
        scores=[
            ScoreChange(criterion=criterion.name, old=old.get(criterion.pk), new=new.get(criterion.pk))
            for criterion in criteria
            if old.get(criterion.pk) != new.get(criterion.pk)
        ],
        comment_changed=bool(change.old) and _text_of(change.old, "comment") != _text_of(change.new, "comment"),
        feedback_changed=bool(change.old) and _text_of(change.old, "feedback") != _text_of(change.new, "feedback"),
    )


def entry_judging(entry: Entry) -> list[RoundRecord]:
    """Every round the entry is in or was reviewed in, in order, with all it holds of the entry; six queries.

    For the contest's organisers only: drafts, the notes for the organisers and the jurors' names included.
    """
    touched = Q(round_entries__entry=entry) | Q(assignments__entry=entry) | Q(reviews__entry=entry)
    shortlisted = RoundEntry.objects.filter(round=OuterRef("pk"), entry=entry, shortlisted=True)
    in_round = RoundEntry.objects.filter(round=OuterRef("pk"), entry=entry)
    rounds = (
        Round.objects.filter(pk__in=Round.objects.filter(touched, contest_id=entry.contest_id).values("pk"))
        .annotate(is_in=Exists(in_round), is_shortlisted=Exists(shortlisted))
        .order_by("number", "pk")
    )
    records = {
        round.pk: RoundRecord(round=round, in_round=round.is_in, shortlisted=round.is_shortlisted) for round in rounds
    }
    if not records:
        return []
    criteria = list(criteria_of(entry.contest))
    for assignment in (
        Assignment.objects.filter(entry=entry).select_related("juror__user__profile").order_by("round_id", "pk")
    ):
        records[assignment.round_id].assignments.append(assignment)
    reviews = (
        Review.objects.filter(entry=entry)
        .select_related("juror__user__profile", "set_aside_by__profile")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("criterion__order", "pk")),
            Prefetch(
                "history",
                queryset=ReviewChange.objects.select_related("changed_by__profile").order_by("changed_at", "pk"),
            ),
        )
        .order_by("round_id", "juror_id")
    )
    for review in reviews:
        scores = list(review.scores.all())
        records[review.round_id].reviews.append(
            ReviewRecord(
                review=review,
                scores=scores,
                total=review_total({score.criterion_id: score.value for score in scores}, criteria),
                history=[review_event(change, criteria) for change in review.history.all()],
            )
        )
    for award in Award.objects.filter(entry=entry).select_related("results", "nomination").order_by("order", "pk"):
        if award.results.round_id in records:
            records[award.results.round_id].awards.append(award)
    return list(records.values())
