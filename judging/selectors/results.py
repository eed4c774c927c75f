"""A round's results as the organisers read them: the finalised awards, the award being changed, the totals' spread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contest.models import Entry, Nomination
from judging.enums import ReviewStatus
from judging.models import Award, AwardChange, Criterion, Results, Round, Score
from judging.ranking import RoundRanking
from media_pipeline.enums import AssetStatus

#: The histogram of review totals: bins of this width over 0–100, the last one including 100.
BIN_WIDTH = 10


def round_results(round: Round) -> Results | None:
    """The round's finalised results with their awards (entries, nominations, history), or ``None``; three queries."""
    history = AwardChange.objects.select_related("changed_by__profile").order_by("changed_at", "id")
    awards = Award.objects.select_related("entry", "nomination").prefetch_related(Prefetch("history", history))
    return (
        Results.objects.filter(round=round)
        .select_related("finalised_by__profile")
        .prefetch_related(Prefetch("awards", awards.order_by("order", "id")))
        .first()
    )


@dataclass(frozen=True)
class HistogramBin:
    low: int
    high: int
    count: int


@dataclass(frozen=True)
class NominationHistogram:
    """How the totals ``T`` of the submitted reviews of a nomination's entries spread over 0–100."""

    nomination: Nomination
    bins: list[HistogramBin]
    reviews: int

    @property
    def tallest(self) -> int:
        return max((item.count for item in self.bins), default=0)


def _total(scores: Mapping[int, int], criteria: Sequence[Criterion]) -> Fraction | None:
    """``T = 100 · Σ w·s/M / Σ w``; ``None`` when a criterion has no score (as the ranking leaves it out)."""
    if not criteria or any(criterion.pk not in scores for criterion in criteria):
        return None
    weighted = sum((Fraction(c.weight) * Fraction(scores[c.pk], c.max_score) for c in criteria), Fraction(0))
    return 100 * weighted / sum((Fraction(c.weight) for c in criteria), Fraction(0))


def round_histograms(round: Round, ranking: RoundRanking) -> list[NominationHistogram]:
    """The totals of the round's submitted reviews in bins of 10 points, per nomination of ``ranking``; one query."""
    nomination_of = {row.entry_id: row.nomination_id for row in ranking.rows()}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    entry_of: dict[int, int] = {}
    rows = (
        Score.objects.filter(review__round=round, review__status=ReviewStatus.SUBMITTED)
        .order_by()
        .values_list("review_id", "review__entry_id", "criterion_id", "value")
    )
    for review_id, entry_id, criterion_id, value in rows:
        scores[review_id][criterion_id] = value
        entry_of[review_id] = entry_id
    edges = list(range(0, 100, BIN_WIDTH))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(edges))
    for review_id, by_criterion in scores.items():
        total = _total(by_criterion, ranking.criteria)
        nomination_id = nomination_of.get(entry_of[review_id])
        if total is None or nomination_id is None:
            continue
        counts[nomination_id][min(int(total // BIN_WIDTH), len(edges) - 1)] += 1
    return [
        NominationHistogram(
            nomination=group.nomination,
            bins=[
                HistogramBin(low=low, high=low + BIN_WIDTH, count=count)
                for low, count in zip(edges, counts[group.nomination.pk], strict=True)
            ],
            reviews=sum(counts[group.nomination.pk]),
        )
        for group in ranking.nominations
    ]


def results_of_round(round: Round) -> Results | None:
    """The round's results alone (without their awards), or ``None``; one query."""
    return Results.objects.filter(round=round).first()


def finalised_results_of(round: Round) -> Results | None:
    """The round's results if they are finalised, alone (without their awards), or ``None``."""
    return Results.objects.filter(round=round, finalised_at__isnull=False).first()


def get_award_for_organiser(round: Round, pk: int) -> Award:
    """An award of the round's results with its entry and nomination; 404 for an award of another round."""
    award = get_object_or_404(
        Award.objects.select_related("results", "entry", "nomination"), pk=pk, results__round=round
    )
    award.results.round = round
    return award


#: Why an entry's file is not ready to be published with its award.
FILE_MISSING = "missing"
FILE_PROCESSING = "processing"
FILE_FAILED = "failed"


@dataclass(frozen=True)
class AwardWithoutFile:
    """An award (to be) given to an entry whose file is not ready: its post would show no video or slides."""

    entry: Entry
    #: The place in ``nomination``, or ``None`` for a special award named ``name``.
    place: int | None
    nomination: Nomination | None
    name: str
    #: :data:`FILE_MISSING`, :data:`FILE_PROCESSING` or :data:`FILE_FAILED`.
    file: str

    @property
    def problem(self) -> str:
        """What is wrong with the entry's file, in the active language."""
        if self.file == FILE_MISSING:
            return _("no file")
        if self.file == FILE_FAILED:
            return _("its file could not be processed")
        return _("its file is still being processed")


def _file_state(entry: Entry) -> str | None:
    """Why the entry's current file is not ready, or ``None`` when it is."""
    if entry.media is None:
        return FILE_MISSING
    if entry.media.status == AssetStatus.READY:
        return None
    return FILE_FAILED if entry.media.status == AssetStatus.FAILED else FILE_PROCESSING


def awards_without_ready_file(
    round: Round, ranking: RoundRanking, *, places: int, special: Mapping[str, str] | None = None
) -> list[AwardWithoutFile]:
    """The awards finalising would give to entries without a ready file: places 1 to ``places`` by ``ranking``,
    then the special awards ``special`` (entry code → award name); one query.
    """
    nominations = {group.nomination.pk: group.nomination for group in ranking.nominations}
    placed = [row for row in ranking.rows() if row.place is not None and row.place <= places]
    codes = {code.strip().upper(): name for code, name in (special or {}).items()}
    if not placed and not codes:
        return []
    wanted = Q(pk__in={row.entry_id for row in placed}) | Q(code__in=list(codes), judging_rounds=round)
    # An entry in several rounds may come twice through the join: the dictionary keeps it once.
    entries = {entry.pk: entry for entry in Entry.objects.filter(wanted).select_related("media")}
    found = []
    for row in placed:
        entry = entries[row.entry_id]
        state = _file_state(entry)
        if state is not None:
            found.append(
                AwardWithoutFile(
                    entry=entry, place=row.place, nomination=nominations.get(row.nomination_id), name="", file=state
                )
            )
    by_code = {entry.code: entry for entry in entries.values()}
    for code, name in codes.items():
        special_entry = by_code.get(code)
        state = _file_state(special_entry) if special_entry is not None else None
        if special_entry is not None and state is not None:
            found.append(AwardWithoutFile(entry=special_entry, place=None, nomination=None, name=name, file=state))
    return found
