"""What disqualifying an entry does to judging, read before the organiser confirms it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
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


def _count(queryset: object) -> Coalesce:
    return Coalesce(Subquery(queryset), 0)  # type: ignore[arg-type]


def disqualification_effects(entry: Entry) -> list[RoundEffect]:
    """The rounds not closed that judge ``entry``, by number, with what leaving them withdraws; one query."""
    assignments = (
        Assignment.objects.filter(round=OuterRef("pk"), entry=entry)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reviews = (
        Review.objects.filter(round=OuterRef("pk"), entry=entry).order_by().values("round").annotate(n=Count("pk"))
    ).values("n")
    rounds = (
        Round.objects.filter(round_entries__entry=entry)
        .exclude(status=RoundStatus.CLOSED)
        .annotate(assignment_count=_count(assignments), review_count=_count(reviews))
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
