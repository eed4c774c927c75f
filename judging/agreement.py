"""How consistent a round's jury is, per criterion and for the total, and which jurors run against the rest.

Only submitted reviews count. A statistic is computed on the matrix of jurors × entries that have
reviews:

- Kendall's coefficient of concordance ``W`` (corrected for tied ranks) when every juror scored every
  entry: 0 means the jurors' rankings are unrelated, 1 that they all rank the entries the same way;
- otherwise ``ICC(1)``, the one-way random-effects intraclass correlation of a single rating
  (Shrout & Fleiss ICC(1,1)), with the usual ``k0`` for entries with unequal numbers of reviews.

Each juror with at least :data:`CONSENSUS_MIN_ENTRIES` entries that others scored too is compared with
the consensus: Spearman's rank correlation between their totals and the other jurors' mean totals of
the same entries. A negative correlation flags the juror before results are final.

The figures keep full precision; ``rounded`` properties are for display only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray

from judging.enums import ReviewStatus
from judging.models import Criterion, Juror, Round, Score

#: The fewest entries a juror shares with the other jurors for a correlation to be worth showing.
CONSENSUS_MIN_ENTRIES = 3

#: A juror's rating of one entry, by ``(juror id, entry id)``. Exact, so that equal ratings make exact ties.
Ratings = Mapping[tuple[int, int], Fraction]


class AgreementStatistic(models.TextChoices):
    KENDALL_W = "kendall_w", _("Kendall's W")
    ICC1 = "icc1", _("ICC(1)")


class AgreementGap(models.TextChoices):
    """Why a figure could not be computed."""

    TOO_FEW_ENTRIES = "too_few_entries", _("Too few entries have been scored.")
    TOO_FEW_RATERS = "too_few_raters", _("Too few jurors have scored the same entries.")
    NO_VARIANCE = "no_variance", _("The scores do not vary.")


@dataclass(frozen=True)
class Agreement:
    """One agreement figure: which statistic, its value (``None`` with a ``gap`` when it cannot be computed)."""

    statistic: AgreementStatistic
    value: float | None
    #: Entries with at least one rating (n).
    entries: int
    #: Kendall's W: the number of jurors (m); ICC(1): ratings per entry (k, or k0 when entries have unequal numbers).
    raters: float
    gap: AgreementGap | None = None

    @property
    def rounded(self) -> float | None:
        return None if self.value is None else round(self.value, 2)

    @property
    def raters_rounded(self) -> float:
        return round(self.raters, 1)


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: Criterion
    agreement: Agreement


@dataclass(frozen=True)
class JurorConsensus:
    """How one juror's totals rank the entries against the other jurors' mean totals of the same entries."""

    juror: Juror
    #: Spearman's rank correlation; ``None`` with a ``gap`` when it cannot be computed.
    correlation: float | None
    #: The juror's entries that other jurors scored too: what the correlation is based on.
    entries: int
    gap: AgreementGap | None = None

    @property
    def against_consensus(self) -> bool:
        return self.correlation is not None and self.correlation < 0

    @property
    def rounded(self) -> float | None:
        return None if self.correlation is None else round(self.correlation, 2)


@dataclass(frozen=True)
class RoundAgreement:
    round: Round
    #: Agreement on the total ``T`` of the reviews.
    total: Agreement
    #: Agreement on each criterion, in the rubric's order.
    criteria: list[CriterionAgreement]
    #: Every juror with a submitted review, in the order of their ids.
    jurors: list[JurorConsensus]

    @property
    def flagged(self) -> list[JurorConsensus]:
        """The jurors whose totals run against the consensus."""
        return [juror for juror in self.jurors if juror.against_consensus]


def round_agreement(round: Round) -> RoundAgreement:
    """The jury's agreement in ``round`` from its submitted reviews, in three queries."""
    criteria = list(Criterion.objects.filter(rubric__contest_id=round.contest_id).order_by("order", "id"))
    # No ordering: the scores are grouped by hand, and Score's default ordering would join the rubric.
    # Only entries still in the round: a withdrawn entry's reviews are kept aside.
    submitted = Score.objects.filter(
        review__round=round, review__status=ReviewStatus.SUBMITTED, review__entry__round_links__round=round
    ).order_by()
    by_review: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for juror_id, entry_id, criterion_id, value in submitted.values_list(
        "review__juror_id", "review__entry_id", "criterion_id", "value"
    ):
        by_review[juror_id, entry_id][criterion_id] = value
    totals: dict[tuple[int, int], Fraction] = {}
    for key, scores in by_review.items():
        total = _total(scores, criteria)
        if total is not None:
            totals[key] = total
    per_criterion = [
        CriterionAgreement(
            criterion=criterion,
            agreement=agreement_of(
                {key: Fraction(scores[criterion.pk]) for key, scores in by_review.items() if criterion.pk in scores}
            ),
        )
        for criterion in criteria
    ]
    totals_by_entry: dict[int, dict[int, Fraction]] = defaultdict(dict)
    for (juror_id, entry_id), total in totals.items():
        totals_by_entry[entry_id][juror_id] = total
    jurors = Juror.objects.filter(pk__in={juror_id for juror_id, _entry_id in by_review}).select_related(
        "user__profile"
    )
    return RoundAgreement(
        round=round,
        total=agreement_of(totals),
        criteria=per_criterion,
        jurors=[juror_consensus(juror, totals_by_entry) for juror in sorted(jurors, key=lambda juror: juror.pk)],
    )


def _total(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> Fraction | None:
    """A review's total ``T = 100 · Σ w·s/M / Σ w``, ``None`` if a criterion is not scored.

    Computed exactly (not as :func:`judging.selectors.reviews.review_total`'s Decimal) so that equal totals
    reached from different scores are equal: ranks depend on ties being exact.
    """
    weighted = Fraction(0)
    weights = Fraction(0)
    for criterion in criteria:
        if criterion.pk not in scores:
            return None
        weight = Fraction(criterion.weight)
        weighted += weight * Fraction(scores[criterion.pk], criterion.max_score)
        weights += weight
    if weights == 0:
        return None
    return 100 * weighted / weights


def agreement_of(ratings: Ratings) -> Agreement:
    """Kendall's W when every juror rated every entry, ICC(1) otherwise."""
    jurors = sorted({juror for juror, _entry in ratings})
    entries = sorted({entry for _juror, entry in ratings})
    if len(ratings) == len(jurors) * len(entries):
        matrix = np.array([[float(ratings[juror, entry]) for entry in entries] for juror in jurors], dtype=np.float64)
        return kendall_w(matrix)
    groups: dict[int, list[float]] = defaultdict(list)
    for (_juror, entry), value in ratings.items():
        groups[entry].append(float(value))
    return icc1([groups[entry] for entry in entries])


def kendall_w(matrix: NDArray[np.float64]) -> Agreement:
    """Kendall's W of a complete matrix, one row per juror and one column per entry, corrected for ties."""
    m, n = matrix.shape if matrix.ndim == 2 else (0, 0)
    if n < 2:
        return Agreement(AgreementStatistic.KENDALL_W, None, n, m, AgreementGap.TOO_FEW_ENTRIES)
    if m < 2:
        return Agreement(AgreementStatistic.KENDALL_W, None, n, m, AgreementGap.TOO_FEW_RATERS)
    ranked = [_average_ranks(row) for row in matrix]
    rank_sums = np.sum([ranks for ranks, _ties in ranked], axis=0)
    ties = sum(tied for _ranks, tied in ranked)
    spread = float(np.sum((rank_sums - rank_sums.mean()) ** 2))
    # W = 12 S / (m²(n³ − n) − m Σ T), T = Σ (t³ − t) over each juror's groups of t tied entries.
    denominator = m * m * (n**3 - n) - m * ties
    if denominator <= 0:
        return Agreement(AgreementStatistic.KENDALL_W, None, n, m, AgreementGap.NO_VARIANCE)
    return Agreement(AgreementStatistic.KENDALL_W, 12 * spread / denominator, n, m)


def icc1(groups: Sequence[Sequence[float]]) -> Agreement:
    """ICC(1) from the ratings of each entry (one-way random effects, single rating)."""
    groups = [group for group in groups if group]
    n = len(groups)
    sizes = np.array([len(group) for group in groups], dtype=np.float64)
    total = float(sizes.sum())
    # k0 = (N − Σ nᵢ²/N) / (n − 1): the number of ratings per entry, adjusted when entries have unequal numbers.
    k0 = float((total - np.sum(sizes**2) / total) / (n - 1)) if n >= 2 else total
    if n < 2:
        return Agreement(AgreementStatistic.ICC1, None, n, k0, AgreementGap.TOO_FEW_ENTRIES)
    if total - n < 1:
        # Every entry has a single rating: nothing to tell jurors apart from entries.
        return Agreement(AgreementStatistic.ICC1, None, n, k0, AgreementGap.TOO_FEW_RATERS)
    values = [np.array(group, dtype=np.float64) for group in groups]
    # Checked on the ratings themselves: equal totals are equal floats, while their means and squared
    # deviations may come out a rounding error away from 0 and give a meaningless figure.
    if np.ptp(np.concatenate(values)) == 0:
        return Agreement(AgreementStatistic.ICC1, None, n, k0, AgreementGap.NO_VARIANCE)
    grand = float(np.concatenate(values).mean())
    between = sum(len(group) * (float(group.mean()) - grand) ** 2 for group in values) / (n - 1)
    within = sum(float(np.sum((group - group.mean()) ** 2)) for group in values) / (total - n)
    # ICC(1) = (MSB − MSW) / (MSB + (k0 − 1) MSW)
    denominator = between + (k0 - 1) * within
    if denominator <= 0:
        return Agreement(AgreementStatistic.ICC1, None, n, k0, AgreementGap.NO_VARIANCE)
    return Agreement(AgreementStatistic.ICC1, (between - within) / denominator, n, k0)


def juror_consensus(juror: Juror, totals_by_entry: Mapping[int, Mapping[int, Fraction]]) -> JurorConsensus:
    """Spearman's correlation between the juror's totals and the other jurors' mean totals of the same entries.

    ``totals_by_entry`` holds each entry's totals by juror id.
    """
    own: list[float] = []
    # Means of exact totals, so that entries the others rate alike tie exactly.
    consensus: list[float] = []
    for _entry_id, by_juror in sorted(totals_by_entry.items()):
        if juror.pk in by_juror and len(by_juror) > 1:
            own.append(float(by_juror[juror.pk]))
            others = [total for juror_id, total in by_juror.items() if juror_id != juror.pk]
            consensus.append(float(sum(others, Fraction(0)) / len(others)))
    if len(own) < CONSENSUS_MIN_ENTRIES:
        return JurorConsensus(juror, None, len(own), AgreementGap.TOO_FEW_ENTRIES)
    correlation = spearman(np.array(own, dtype=np.float64), np.array(consensus, dtype=np.float64))
    if correlation is None:
        return JurorConsensus(juror, None, len(own), AgreementGap.NO_VARIANCE)
    return JurorConsensus(juror, correlation, len(own))


def spearman(first: NDArray[np.float64], second: NDArray[np.float64]) -> float | None:
    """Spearman's rank correlation (Pearson's on average ranks, so ties count right); ``None`` if one is constant."""
    x, _x_ties = _average_ranks(first)
    y, _y_ties = _average_ranks(second)
    x = x - x.mean()
    y = y - y.mean()
    spread = float(np.sqrt(np.sum(x**2) * np.sum(y**2)))
    if spread == 0:
        return None
    # Rounding can push a perfect correlation a hair past ±1.
    return max(-1.0, min(1.0, float(np.sum(x * y)) / spread))


def _average_ranks(values: NDArray[np.float64]) -> tuple[NDArray[np.float64], int]:
    """Ranks 1..n with tied values sharing their average rank, and Σ (t³ − t) over the groups of t tied values."""
    _unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    first_rank = np.cumsum(counts) - counts + 1
    shared_rank = first_rank + (counts - 1) / 2
    return shared_rank[inverse].astype(np.float64), int(np.sum(counts**3 - counts))
