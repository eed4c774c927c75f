"""Rankings of a round: every aggregation of SPEC §4 side by side, tie-breakers and shared places.

A review's total is ``T = 100 · Σ w·s/M / Σ w`` (0–100). Over an entry's submitted reviews in the
round Baige computes the mean, the median, the trimmed mean (one highest and one lowest dropped
when there are four reviews or more, else the mean) and the normalised value: every juror's totals
become ``z = (T − μ_j)/σ_j`` over that juror's submitted reviews in the round (population σ; ``z = 0``
when all of a juror's totals are equal), an entry's value is the mean of its ``z``, rescaled
linearly so that the entries with the lowest and highest mean ``z`` get the lowest and highest mean
``T`` of the round. When every entry has the same mean ``z`` (one entry, or jurors who agree on
nothing but the average) there is no scale to rescale: every entry gets the average of the entries'
mean ``T``, so the column stays on the 0–100 scale and ties on it are real ties.

Ranks follow standard competition ranking (1, 2, 2, 4) per nomination, higher first, for every
method. The place uses the round's method; entries tied on it are separated by the round's
tie-breakers in order, and those still tied share a place. Figures are compared after rounding to
nine decimals, so equal figures computed in different orders tie.

Everything is read in four queries and computed with NumPy, whatever the size of the round; sums run
over values sorted by (group, value), so the same reviews give the same figures to the last bit
whatever order the database returns them in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import numpy as np
import numpy.typing as npt
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.exceptions import BaigeError
from contest.models import Nomination
from judging.enums import RankingMethod, ReviewStatus, TieBreaker
from judging.models import Criterion, Round, RoundEntry, Score

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: Figures are compared (and hashed) after rounding to this many decimals.
DECIMALS = 9
METHODS: tuple[str, ...] = tuple(RankingMethod.values)


class RankingOptionUnknown(BaigeError):
    code = "unknown_ranking_option"


@dataclass(frozen=True)
class RankingRow:
    """One entry of a round's ranking; figures are ``None`` for an entry without submitted reviews."""

    entry_id: int
    code: str
    title: str
    nomination_id: int
    reviews: int
    mean: float | None
    median: float | None
    trimmed: float | None
    normalised: float | None
    #: The mean score of each criterion, in the order of :attr:`RoundRanking.criteria`.
    criterion_means: tuple[float | None, ...]
    #: The competition rank (1, 2, 2, 4) by each method in its nomination; empty without reviews.
    ranks: dict[str, int]
    place: int | None
    #: The tie-breaker that last split the group of entries this one tied with on the method.
    separated_by: str | None
    #: Another entry of the nomination has the same place.
    shared: bool

    def value(self, method: str) -> float | None:
        """The entry's figure by ``method`` (one of :class:`~judging.enums.RankingMethod`)."""
        figure: float | None = getattr(self, RankingMethod(method).value)
        return figure


@dataclass(frozen=True)
class NominationRanking:
    nomination: Nomination
    rows: list[RankingRow]


@dataclass(frozen=True)
class RoundRanking:
    """A round's entries per nomination (in the nominations' order), best place first."""

    round_id: int
    method: str
    tie_breakers: tuple[str, ...]
    criteria: list[Criterion]
    #: The criterion of the ``heaviest_criterion`` tie-breaker: the largest weight, the first in order among equals.
    heaviest_criterion: Criterion | None
    nominations: list[NominationRanking]

    def rows(self) -> Iterator[RankingRow]:
        for group in self.nominations:
            yield from group.rows

    def row(self, entry_id: int) -> RankingRow:
        return next(row for row in self.rows() if row.entry_id == entry_id)

    def content_hash(self) -> str:
        """SHA-256 of a canonical JSON of the method, the places and every figure: the same table, the same hash."""

        def figure(value: float | None) -> str | None:
            # Fixed decimals: equal figures computed in different orders give the same text.
            return None if value is None else f"{value:.{DECIMALS}f}"

        content = {
            "round": self.round_id,
            "method": self.method,
            "tie_breakers": list(self.tie_breakers),
            "criteria": [criterion.pk for criterion in self.criteria],
            "nominations": [
                {
                    "nomination": group.nomination.pk,
                    "rows": [
                        {
                            "entry": row.entry_id,
                            "code": row.code,
                            "reviews": row.reviews,
                            "place": row.place,
                            "shared": row.shared,
                            "separated_by": row.separated_by,
                            "ranks": row.ranks,
                            **{method: figure(row.value(method)) for method in METHODS},
                            "criterion_means": [figure(value) for value in row.criterion_means],
                        }
                        for row in group.rows
                    ],
                }
                for group in self.nominations
            ],
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


# --- Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingFigures:
    """Per entry index: its submitted reviews, each method's figure, each criterion's mean (NaN without reviews)."""

    reviews: Ints
    values: dict[str, Floats]
    criterion_means: Floats


def _grouped_sums(groups: Ints, values: Floats, size: int) -> Floats:
    """Sums per group, added in the order of (group, value) so that the row order never changes a bit."""
    order = np.lexsort((values, groups))
    return np.asarray(np.bincount(groups[order], weights=values[order], minlength=size), dtype=np.float64)


def ranking_figures(
    *,
    review: Ints,
    juror: Ints,
    entry: Ints,
    criterion: Ints,
    value: Ints,
    entries: int,
    weights: Floats,
    scales: Floats,
) -> RankingFigures:
    """Every figure of SPEC §4 from score rows (``entry`` and ``criterion`` as indices, the others as ids)."""
    criteria = len(weights)
    review_ids, review_index = np.unique(review, return_inverse=True)
    scores = np.full((len(review_ids), criteria), np.nan)
    scores[review_index, criterion] = value
    review_entry = np.zeros(len(review_ids), dtype=np.int64)
    review_entry[review_index] = entry
    review_juror = np.zeros(len(review_ids), dtype=np.int64)
    review_juror[review_index] = juror
    # A review without a score for every criterion has no total (as in judging.selectors.reviews.review_total).
    complete = ~np.isnan(scores).any(axis=1) if criteria else np.zeros(len(review_ids), dtype=bool)
    scores, review_entry, review_juror = scores[complete], review_entry[complete], review_juror[complete]
    total = 100 * ((scores / scales) @ weights) / weights.sum() if criteria else np.zeros(0)

    counts = np.bincount(review_entry, minlength=entries).astype(np.int64)
    has = counts > 0
    per = np.maximum(counts, 1)
    order = np.lexsort((total, review_entry))
    sorted_total = total[order]
    starts = np.cumsum(counts) - counts
    mean = np.where(has, _grouped_sums(review_entry, total, entries) / per, np.nan)
    median = np.full(entries, np.nan)
    low, high = starts[has] + (counts[has] - 1) // 2, starts[has] + counts[has] // 2
    median[has] = (sorted_total[low] + sorted_total[high]) / 2
    # Trimmed: the sorted totals without the first and last of each entry that has four or more.
    position = np.arange(len(sorted_total)) - starts[review_entry[order]]
    sorted_counts = counts[review_entry[order]]
    kept = (sorted_counts < 4) | ((position > 0) & (position < sorted_counts - 1))
    trimmed_sums = np.bincount(review_entry[order], weights=np.where(kept, sorted_total, 0.0), minlength=entries)
    trimmed = np.where(has, trimmed_sums / np.where(counts >= 4, counts - 2, per), np.nan)

    jurors, juror_index = np.unique(review_juror, return_inverse=True)
    juror_counts = np.bincount(juror_index, minlength=len(jurors))
    juror_mean = _grouped_sums(juror_index, total, len(jurors)) / np.maximum(juror_counts, 1)
    deviation = total - juror_mean[juror_index]
    sigma = np.sqrt(_grouped_sums(juror_index, deviation**2, len(jurors)) / np.maximum(juror_counts, 1))
    # All of a juror's totals equal: σ is zero, though the float sums may leave a trace of rounding.
    juror_order = np.lexsort((total, juror_index))
    juror_starts = np.cumsum(juror_counts) - juror_counts
    spread = np.zeros(len(jurors))
    if len(jurors):
        spread = total[juror_order][juror_starts + juror_counts - 1] - total[juror_order][juror_starts]
    flat = np.round(spread, DECIMALS) == 0
    safe_sigma = np.where(flat, 1.0, sigma)
    z = np.where(flat[juror_index], 0.0, deviation / safe_sigma[juror_index])
    mean_z = _grouped_sums(review_entry, z, entries) / per
    normalised = np.full(entries, np.nan)
    if has.any():
        z_low, z_high = mean_z[has].min(), mean_z[has].max()
        t_low, t_high = mean[has].min(), mean[has].max()
        if np.round(z_high - z_low, DECIMALS) == 0:
            normalised[has] = np.sort(mean[has]).mean()
        else:
            normalised[has] = t_low + (mean_z[has] - z_low) * ((t_high - t_low) / (z_high - z_low))

    criterion_means = np.full((entries, criteria), np.nan)
    for column in range(criteria):  # one pass per criterion of the rubric, not per score
        sums = np.bincount(review_entry, weights=scores[:, column], minlength=entries)
        criterion_means[has, column] = sums[has] / counts[has]
    return RankingFigures(
        reviews=counts,
        values={
            RankingMethod.MEAN: mean,
            RankingMethod.MEDIAN: median,
            RankingMethod.TRIMMED: trimmed,
            RankingMethod.NORMALISED: normalised,
        },
        criterion_means=criterion_means,
    )


# --- Places -------------------------------------------------------------------------------------


def _runs(group: Ints, keys: Sequence[Floats], order: npt.NDArray[np.intp]) -> Ints:
    """For rows in ``order``: the id of the run of equal (group, keys) each belongs to."""
    boundary = np.zeros(len(order), dtype=bool)
    if len(order):
        boundary[0] = True
        boundary[1:] |= group[order][1:] != group[order][:-1]
        for key in keys:
            boundary[1:] |= key[order][1:] != key[order][:-1]
    return np.cumsum(boundary) - 1


def _competition_ranks(group: Ints, keys: Sequence[Floats]) -> tuple[Ints, list[Ints]]:
    """Competition ranks (1, 2, 2, 4) within each group, higher keys first, and the run sizes per key prefix."""
    order = np.lexsort([-key for key in reversed(keys)] + [group])
    index = np.arange(len(order))
    run = _runs(group, keys, order)
    run_start = np.zeros(len(order), dtype=np.int64)
    group_start = np.zeros(len(order), dtype=np.int64)
    if len(order):
        first_of_run = np.r_[True, run[1:] != run[:-1]]
        first_of_group = np.r_[True, group[order][1:] != group[order][:-1]]
        run_start = np.maximum.accumulate(np.where(first_of_run, index, 0))
        group_start = np.maximum.accumulate(np.where(first_of_group, index, 0))
    ranks = np.zeros(len(order), dtype=np.int64)
    ranks[order] = run_start - group_start + 1
    sizes: list[Ints] = []
    for depth in range(1, len(keys) + 1):
        prefix = _runs(group, keys[:depth], order)
        size = np.zeros(len(order), dtype=np.int64)
        size[order] = np.bincount(prefix)[prefix] if len(order) else prefix
        sizes.append(size)
    return ranks, sizes


def _key(values: Floats) -> Floats:
    # Higher is better for every key; rounding makes figures computed in different orders tie.
    return np.round(values, DECIMALS)


def _check(method: str, tie_breakers: Sequence[str]) -> None:
    if method not in RankingMethod.values:
        raise RankingOptionUnknown(_("Unknown ranking method: %(name)s.") % {"name": method})
    unknown = [name for name in tie_breakers if name not in TieBreaker.values]
    if unknown:
        raise RankingOptionUnknown(_("Unknown tie-breaker: %(name)s.") % {"name": ", ".join(unknown)})


def round_ranking(
    round: Round, *, method: str | None = None, tie_breakers: Sequence[str] | None = None
) -> RoundRanking:
    """The round's ranking by ``method`` and ``tie_breakers`` (the round's own unless given), in four queries."""
    method = method or round.ranking_method
    breakers = tuple(round.tie_breakers if tie_breakers is None else tie_breakers)
    _check(method, breakers)
    criteria = list(Criterion.objects.filter(rubric__contest_id=round.contest_id).order_by("order", "id"))
    nominations = list(Nomination.objects.filter(contest_id=round.contest_id).order_by("order", "id"))
    links = list(
        RoundEntry.objects.filter(round=round)
        # A disqualified entry is left out, unless it was disqualified after the round's results were finalised:
        # those results, and the ranking they came from, stand.
        .filter(
            Q(entry__disqualified_at__isnull=True) | Q(round__results__finalised_at__lt=F("entry__disqualified_at"))
        )
        .order_by("entry_id")
        .values_list("entry_id", "entry__code", "entry__title", "entry__nomination_id", "entry__submitted_at")
    )
    # No ORDER BY: the figures do not depend on the rows' order, and sorting 100,000s of rows costs.
    rows = (
        Score.objects.filter(review__round=round, review__status=ReviewStatus.SUBMITTED)
        .order_by()
        .values_list("review_id", "review__juror_id", "review__entry_id", "criterion_id", "value")
    )
    table = np.fromiter(chain.from_iterable(rows), dtype=np.int64).reshape(-1, 5)

    entry_ids = np.array([link[0] for link in links], dtype=np.int64)
    criterion_ids = np.array([criterion.pk for criterion in criteria], dtype=np.int64)
    # Scores of entries taken out of the round, or of criteria no longer in the rubric, do not count.
    entry_index = np.searchsorted(entry_ids, table[:, 2])
    known_entry = entry_index < len(entry_ids)
    known_entry[known_entry] = entry_ids[entry_index[known_entry]] == table[known_entry, 2]
    criterion_sorted = np.argsort(criterion_ids)
    criterion_position = np.searchsorted(criterion_ids[criterion_sorted], table[:, 3])
    known_criterion = criterion_position < len(criterion_ids)
    known_criterion[known_criterion] = (
        criterion_ids[criterion_sorted][criterion_position[known_criterion]] == table[known_criterion, 3]
    )
    keep = known_entry & known_criterion
    figures = ranking_figures(
        review=table[keep, 0],
        juror=table[keep, 1],
        entry=entry_index[keep].astype(np.int64),
        criterion=criterion_sorted[criterion_position[keep]].astype(np.int64),
        value=table[keep, 4],
        entries=len(links),
        weights=np.array([float(criterion.weight) for criterion in criteria]),
        scales=np.array([float(criterion.max_score) for criterion in criteria]),
    )
    heaviest = _heaviest(criteria)
    return _ranking(round, method, breakers, criteria, heaviest, nominations, links, figures)


def _heaviest(criteria: list[Criterion]) -> Criterion | None:
    # The first of the largest weight: criteria are in the rubric's order.
    return max(criteria, key=lambda criterion: criterion.weight, default=None)


def _ranking(
    round: Round,
    method: str,
    breakers: tuple[str, ...],
    criteria: list[Criterion],
    heaviest: Criterion | None,
    nominations: list[Nomination],
    links: list[tuple[int, str, str, int, datetime | None]],
    figures: RankingFigures,
) -> RoundRanking:
    size = len(links)
    has = figures.reviews > 0
    nomination_position = {nomination.pk: position for position, nomination in enumerate(nominations)}
    group = np.array([nomination_position[link[3]] for link in links], dtype=np.int64)
    keys: dict[str, Floats] = {name: _key(values) for name, values in figures.values.items()}
    heaviest_column = criteria.index(heaviest) if heaviest is not None else None
    keys[TieBreaker.HEAVIEST_CRITERION] = (
        _key(figures.criterion_means[:, heaviest_column]) if heaviest_column is not None else np.zeros(size)
    )
    # Earlier is better: the negated time in microseconds (exact in a float64); no time at all comes last.
    keys[TieBreaker.EARLIER_SUBMISSION] = np.array(
        [-link[4].timestamp() * 1e6 if link[4] is not None else -np.inf for link in links], dtype=np.float64
    )

    ranked = np.flatnonzero(has)
    ranks: dict[str, Ints] = {}
    for name in METHODS:
        ranks[name] = np.zeros(size, dtype=np.int64)
        ranks[name][ranked] = _competition_ranks(group[ranked], [keys[name][ranked]])[0]
    place = np.zeros(size, dtype=np.int64)
    place_keys = [keys[name][ranked] for name in (method, *breakers)]
    place[ranked], sizes = _competition_ranks(group[ranked], place_keys)
    separated = np.full(size, -1, dtype=np.int64)
    shared = np.zeros(size, dtype=bool)
    shared[ranked] = sizes[-1] > 1
    for depth in range(1, len(sizes)):
        split = sizes[depth] < sizes[depth - 1]
        separated[ranked[split]] = depth - 1

    codes = np.array([link[1] for link in links], dtype=str)
    code_rank = np.empty(size, dtype=np.int64)
    code_rank[np.argsort(codes, kind="stable")] = np.arange(size)
    # Place first, the code last: the same reviews always give the same table.
    final = np.lexsort((code_rank, np.where(has, place, size + 1), group))

    values = {name: figures.values[name].tolist() for name in METHODS}
    means = figures.criterion_means.tolist()
    counts, places, separated_list, shared_list = (
        figures.reviews.tolist(),
        place.tolist(),
        separated.tolist(),
        shared.tolist(),
    )
    rank_lists = {name: ranks[name].tolist() for name in METHODS}
    grouped: list[list[RankingRow]] = [[] for _ in nominations]
    for index in final.tolist():
        entry_id, code, title, nomination_id, _submitted = links[index]
        reviewed = counts[index] > 0
        grouped[nomination_position[nomination_id]].append(
            RankingRow(
                entry_id=entry_id,
                code=code,
                title=title,
                nomination_id=nomination_id,
                reviews=counts[index],
                mean=values[RankingMethod.MEAN][index] if reviewed else None,
                median=values[RankingMethod.MEDIAN][index] if reviewed else None,
                trimmed=values[RankingMethod.TRIMMED][index] if reviewed else None,
                normalised=values[RankingMethod.NORMALISED][index] if reviewed else None,
                criterion_means=tuple(means[index]) if reviewed else (None,) * len(criteria),
                ranks={name: rank_lists[name][index] for name in METHODS} if reviewed else {},
                place=places[index] if reviewed else None,
                separated_by=breakers[separated_list[index]] if separated_list[index] >= 0 else None,
                shared=shared_list[index],
            )
        )
    return RoundRanking(
        round_id=round.pk,
        method=method,
        tie_breakers=breakers,
        criteria=criteria,
        heaviest_criterion=heaviest,
        nominations=[
            NominationRanking(nomination=nomination, rows=rows)
            for nomination, rows in zip(nominations, grouped, strict=True)
            if rows
        ],
    )
