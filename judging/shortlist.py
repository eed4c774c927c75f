"""Standings of a round by the mean of its reviews' totals, and the top entries of each nomination.

A review's total is ``T = 100 · Σ w·s/M / Σ w`` (:func:`judging.selectors.review_total`); an entry's
standing is the mean ``T`` of its submitted reviews in the round. Everything is computed from three
queries, however many entries, jurors and reviews the round has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from contest.models import Entry, Nomination
from judging.enums import ReviewStatus
from judging.models import Criterion, Round, RoundEntry, Score
from judging.selectors import review_total


@dataclass(frozen=True)
class Standing:
    """An entry of a round: the mean total of its submitted reviews (``None`` without any) and how many."""

    entry: Entry
    mean: Decimal | None
    reviews: int
    shortlisted: bool


@dataclass(frozen=True)
class NominationStandings:
    nomination: Nomination
    standings: list[Standing]


def _rank_key(standing: Standing) -> tuple[bool, Decimal, str]:
    # Highest mean first, entries without a review last; equal means in the order of their codes,
    # so that the same reviews always give the same shortlist.
    return (standing.mean is None, -(standing.mean or Decimal(0)), standing.entry.code)


def round_standings(round: Round) -> list[NominationStandings]:
    """The round's entries per nomination (in the nominations' order), best mean total first."""
    criteria = list(Criterion.objects.filter(rubric__contest_id=round.contest_id).order_by("order", "id"))
    links = RoundEntry.objects.filter(round=round).select_related("entry__nomination")
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    entry_of_review: dict[int, int] = {}
    submitted = Score.objects.filter(review__round=round, review__status=ReviewStatus.SUBMITTED)
    for review_id, entry_id, criterion_id, value in submitted.values_list(
        "review_id", "review__entry_id", "criterion_id", "value"
    ):
        scores[review_id][criterion_id] = value
        entry_of_review[review_id] = entry_id
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for review_id, by_criterion in scores.items():
        total = review_total(by_criterion, criteria)
        if total is not None:
            totals[entry_of_review[review_id]].append(total)
    groups: dict[int, list[Standing]] = defaultdict(list)
    nominations: dict[int, Nomination] = {}
    for link in links:
        entry = link.entry
        found = totals.get(entry.pk, [])
        mean = sum(found, Decimal(0)) / len(found) if found else None
        groups[entry.nomination_id].append(
            Standing(entry=entry, mean=mean, reviews=len(found), shortlisted=link.shortlisted)
        )
        nominations[entry.nomination_id] = entry.nomination
    ordered = sorted(nominations.values(), key=lambda nomination: (nomination.order, nomination.pk))
    return [
        NominationStandings(nomination=nomination, standings=sorted(groups[nomination.pk], key=_rank_key))
        for nomination in ordered
    ]


def shortlist_top(standings: Iterable[NominationStandings], *, per_nomination: int) -> list[Entry]:
    """The first ``per_nomination`` entries with at least one review in each nomination."""
    chosen: list[Entry] = []
    for group in standings:
        ranked: Sequence[Standing] = [standing for standing in group.standings if standing.mean is not None]
        chosen.extend(standing.entry for standing in ranked[:per_nomination])
    return chosen
