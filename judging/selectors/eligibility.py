"""What disqualifying an entry does to judging, read before the organiser confirms it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from contest.models import Entry
from judging.enums import RoundStatus
from judging.models import Assignment, Award, Review, Round


@dataclass(frozen=True)
class RoundEffect:
    """A round the entry would leave: how many assignments are withdrawn, how many reviews are kept aside."""

    round: Round
    assignments: int
    reviews: int


def _count_per_round(queryset: QuerySet[Any]) -> Coalesce:
    """The number of rows of ``queryset`` in the outer round, as a subquery (no join that multiplies rows)."""
    counted = queryset.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def disqualification_effects(entry: Entry) -> list[RoundEffect]:
    """The rounds not closed that judge ``entry``, by number, with what leaving them withdraws; one query."""
    assignments = _count_per_round(Assignment.objects.filter(entry=entry))
    reviews = _count_per_round(Review.objects.filter(entry=entry))
    rounds = (
        Round.objects.filter(round_entries__entry=entry)
        .exclude(status=RoundStatus.CLOSED)
        .annotate(assignment_count=assignments, review_count=reviews)
        .order_by("number")
    )
    return [
        RoundEffect(round=round, assignments=round.assignment_count, reviews=round.review_count) for round in rounds
    ]


def entry_awards(entry: Entry) -> list[Award]:
    """The finalised awards ``entry`` holds, by round."""
    return list(
        Award.objects.filter(entry=entry)
        .select_related("results__round", "nomination")
        .order_by("results__round__number", "order", "pk")
    )


def awards_ensure_none(entry: Entry) -> None:
    """Refuse, naming the rounds, when ``entry`` holds an award: finalised results are changed by hand first."""
    rounds = sorted({str(award.results.round) for award in entry_awards(entry)})
    if rounds:
        raise BaigeError(
            _(
                "This entry holds an award in round “%(rounds)s”: give the award to another entry on the round's "
                "results page first, then disqualify it."
            )
            % {"rounds": ", ".join(rounds)},
            code="holds_award",
        )
