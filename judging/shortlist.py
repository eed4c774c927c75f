"""Standings of a round by its ranking, and the top entries of each nomination.

An entry's standing is its place by the round's ranking method and tie-breakers
(:func:`judging.ranking.round_ranking`); its mean total ``T`` is shown beside it. Everything is read
in five queries, however many entries, jurors and reviews the round has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contest.models import Entry, Nomination
from judging.models import Round, RoundEntry
from judging.ranking import round_ranking


@dataclass(frozen=True)
class Standing:
    """An entry of a round: its place (``None`` without a submitted review), mean total ``T`` and reviews."""

    entry: Entry
    place: int | None
    mean: float | None
    reviews: int
    shortlisted: bool
    #: Another entry of the nomination has the same place: no tie-breaker separated them.
    shared: bool = False


@dataclass(frozen=True)
class NominationStandings:
    nomination: Nomination
    standings: list[Standing]


def round_standings(round: Round) -> list[NominationStandings]:
    """The round's entries per nomination (in the nominations' order), best place first, as the ranking has them."""
    ranking = round_ranking(round)
    links = {link.entry_id: link for link in RoundEntry.objects.filter(round=round).select_related("entry")}
    return [
        NominationStandings(
            nomination=group.nomination,
            standings=[
                Standing(
                    entry=links[row.entry_id].entry,
                    place=row.place,
                    mean=row.mean,
                    reviews=row.reviews,
                    shortlisted=links[row.entry_id].shortlisted,
                    shared=row.shared,
                )
                for row in group.rows
                # An entry added to the round between the two reads waits for the next look.
                if row.entry_id in links
            ],
        )
        for group in ranking.nominations
    ]


def shortlist_top(standings: Iterable[NominationStandings], *, per_nomination: int) -> list[Entry]:
    """The entries placed 1 to ``per_nomination`` in each nomination; a place shared at the cut takes them all."""
    return [
        standing.entry
        for group in standings
        for standing in group.standings
        if standing.place is not None and standing.place <= per_nomination
    ]
