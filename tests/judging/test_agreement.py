"""Jury agreement per round: Kendall's W, ICC(1) and jurors against the consensus, checked against hand arithmetic.

Unless a test says otherwise the rubric has one criterion on a 0..10 scale, so a review's total is
``T = 100 · s/10 = 10·s`` and every statistic (all of them blind to a common scale) reads the same on
the scores as on the totals.
"""

from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.utils import timezone

from contest.models import Contest, Entry
from judging.agreement import (
    Agreement,
    AgreementGap,
    AgreementStatistic,
    JurorConsensus,
    RoundAgreement,
    round_agreement,
)
from judging.enums import ReviewStatus
from judging.models import Assignment, Criterion, Juror, Review, Round, Score
from judging.services.reviews import review_save_draft, review_submit
from tests.judging import criteria_for, entry_from, juror_in, round_of

W = AgreementStatistic.KENDALL_W
ICC = AgreementStatistic.ICC1

#: A cell of a table: one score per criterion, a bare score for a one-criterion rubric, or no review.
Cell = int | tuple[int, ...] | None


def review(round: Round, juror: Juror, entry: Entry, values: Sequence[int], *, submitted: bool = True) -> Review:
    """A review of ``entry`` with one value per criterion, in the rubric's order."""
    made = Review.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    criteria = Criterion.objects.filter(rubric__contest=round.contest).order_by("order", "id")
    Score.objects.bulk_create(
        Score(review=made, criterion=criterion, value=value, max_score=criterion.max_score)
        for criterion, value in zip(criteria, values, strict=True)
    )
    return made


def jury(contest: Contest, table: Sequence[Sequence[Cell]], *, scales: Sequence[int] = (10,)) -> Round:
    """A round whose jurors (one row each) scored its entries (one column each) as the table says."""
    criteria_for(contest, *scales)
    entries = [entry_from(contest, None) for _ in table[0]] if table else []
    jurors = [juror_in(contest, name=f"Juror {number}") for number in range(1, len(table) + 1)]
    round = round_of(contest, entries, jurors, k=None)
    for juror, row in zip(jurors, table, strict=True):
        for entry, cell in zip(entries, row, strict=True):
            if cell is not None:
                review(round, juror, entry, (cell,) if isinstance(cell, int) else cell)
    return round


def consensus(agreement: RoundAgreement) -> list[tuple[str, float | None, int, AgreementGap | None, bool]]:
    return [
        (str(juror.juror), juror.correlation, juror.entries, juror.gap, juror.against_consensus)
        for juror in agreement.jurors
    ]


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def test_round_agreement_is_one_when_every_juror_ranks_the_entries_alike(contest):
    # Ranks 1, 2, 3, 4 for all three jurors: rank sums R = 3, 6, 9, 12, mean 7.5,
    # S = 4.5² + 1.5² + 1.5² + 4.5² = 45, W = 12·45 / (3²·(4³ − 4)) = 540 / 540 = 1.
    round = jury(contest, [[1, 2, 3, 4], [2, 4, 6, 8], [3, 5, 7, 10]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, 1.0, entries=4, raters=3)
    assert [(row.criterion.slug, row.agreement) for row in agreement.criteria] == [
        ("c1", Agreement(W, 1.0, entries=4, raters=3))
    ]
    assert agreement.total.rounded == 1.0
    assert agreement.flagged == []


def test_round_agreement_is_zero_and_flags_both_when_two_jurors_rank_in_reverse(contest):
    # Ranks 1, 2, 3, 4 and 4, 3, 2, 1: every rank sum is 5, the mean rank sum, so S = 0 and W = 0.
    # Each juror's only "other" is the other one, ranked in reverse: Spearman's ρ = −1.
    round = jury(contest, [[1, 2, 3, 4], [4, 3, 2, 1]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, 0.0, entries=4, raters=2)
    assert consensus(agreement) == [
        ("Juror 1", approx(-1.0), 4, None, True),
        ("Juror 2", approx(-1.0), 4, None, True),
    ]
    assert [str(juror.juror) for juror in agreement.flagged] == ["Juror 1", "Juror 2"]


def test_round_agreement_corrects_kendall_w_for_tied_ranks(contest):
    # Scores (0..4 scale is enough, 10 keeps the rubric the same) and their ranks:
    #   juror 1: 1 2 3 4 -> 1   2   3   4
    #   juror 2: 0 2 2 4 -> 1   2.5 2.5 4   (one pair tied: t³ − t = 8 − 2 = 6)
    #   juror 3: 2 1 3 4 -> 2   1   3   4
    # R = 4, 5.5, 8.5, 12; mean m(n + 1)/2 = 3·5/2 = 7.5; S = 3.5² + 2² + 1² + 4.5² = 37.5
    # W = 12 S / (m²(n³ − n) − m ΣT) = 450 / (9·60 − 3·6) = 450 / 522 = 25/29 ≈ 0.8621
    # (without the correction it would be 450 / 540 ≈ 0.8333).
    round = jury(contest, [[1, 2, 3, 4], [0, 2, 2, 4], [2, 1, 3, 4]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, approx(25 / 29), entries=4, raters=3)
    assert agreement.total.rounded == 0.86


def test_round_agreement_gives_each_criterion_and_the_total_its_own_figure(contest):
    # Two criteria 0..4 of weight 1: T = 100·(s1/4 + s2/4)/2 = 12.5·(s1 + s2).
    #   juror 1: c1 1 2 3, c2 0 1 2 -> T 12.5, 37.5, 62.5 -> ranks 1 2 3
    #   juror 2: c1 1 2 3, c2 2 1 0 -> T 37.5, 37.5, 37.5 -> ranks 2 2 2 (three tied: 27 − 3 = 24)
    # c1: both rank 1 2 3: W = 1.  c2: ranks 1 2 3 and 3 2 1: rank sums all 4, W = 0.
    # T: R = 3, 4, 5, mean 4, S = 2; W = 12·2 / (4·24 − 2·24) = 24 / 48 = 0.5.
    round = jury(contest, [[(1, 0), (2, 1), (3, 2)], [(1, 2), (2, 1), (3, 0)]], scales=(4, 4))

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, 0.5, entries=3, raters=2)
    assert [(row.criterion.slug, row.agreement) for row in agreement.criteria] == [
        ("c1", Agreement(W, 1.0, entries=3, raters=2)),
        ("c2", Agreement(W, 0.0, entries=3, raters=2)),
    ]


def test_round_agreement_weighs_criteria_into_the_total(contest):
    # c1 0..4 weight 1, c2 0..2 weight 3: T = 100·(s1/4 + 3·s2/2)/4.
    #   juror 1: (4, 0) -> 25, (0, 1) -> 37.5, (0, 2) -> 75   -> ranks 1 2 3
    #   juror 2: (0, 1) -> 37.5, (4, 0) -> 25, (4, 2) -> 100 -> ranks 2 1 3
    # Unweighted sums s1 + s2 would rank juror 1's entries 3 1 2 instead.
    # R = 3, 3, 6, mean 4, S = 1 + 1 + 4 = 6, W = 12·6 / (4·24) = 0.75.
    round = jury(contest, [[(4, 0), (0, 1), (0, 2)], [(0, 1), (4, 0), (4, 2)]], scales=(4, 2))
    Criterion.objects.filter(slug="c2").update(weight=Decimal(3))

    assert round_agreement(round).total == Agreement(W, 0.75, entries=3, raters=2)


def test_round_agreement_uses_icc1_when_jurors_share_only_some_entries(contest):
    # Three entries, two reviews each by different pairs of jurors (so no complete matrix):
    #   entry 1: 9, 7 (mean 8); entry 2: 5, 3 (mean 4); entry 3: 2, 4 (mean 3); grand mean 5.
    # MSB = 2·((8−5)² + (4−5)² + (3−5)²) / (3 − 1) = 2·14/2 = 14
    # MSW = (1 + 1 + 1 + 1 + 1 + 1) / (6 − 3) = 2
    # ICC(1) = (MSB − MSW) / (MSB + (k − 1)·MSW) = 12 / (14 + 2) = 0.75, with k = 2.
    round = jury(contest, [[9, None, 2], [7, 5, None], [None, 3, 4]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(ICC, approx(0.75), entries=3, raters=2.0)
    assert agreement.criteria[0].agreement == Agreement(ICC, approx(0.75), entries=3, raters=2.0)
    assert (agreement.total.rounded, agreement.total.raters_rounded) == (0.75, 2.0)


def test_round_agreement_adjusts_icc1_when_entries_have_unequal_reviews(contest):
    # entry 1: 9, 7, 8 (mean 8); entry 2: 5, 3 (mean 4); entry 3: 2, 4 (mean 3). N = 7, n = 3.
    # grand mean = 38/7; SSB = 3·(18/7)² + 2·(10/7)² + 2·(17/7)² = 1750/49 = 250/7; MSB = 125/7
    # SSW = 2 + 2 + 2 = 6; MSW = 6 / (7 − 3) = 3/2
    # k0 = (N − Σ nᵢ²/N) / (n − 1) = (7 − 17/7) / 2 = 16/7
    # ICC(1) = (125/7 − 3/2) / (125/7 + (9/7)·(3/2)) = (229/14) / (277/14) = 229/277 ≈ 0.8267
    round = jury(contest, [[9, None, 2], [7, 5, None], [8, 3, 4]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(ICC, approx(229 / 277), entries=3, raters=approx(16 / 7))
    assert (agreement.total.rounded, agreement.total.raters_rounded) == (0.83, 2.3)


def test_round_agreement_flags_the_juror_who_scores_in_reverse_and_not_the_consistent_ones(contest):
    # Totals are 10·score; the others' mean totals of the same entries (as scores):
    #   juror 1 (2 4 6 8):  others 4, 5, 5.5, 6      (1, 6, 5 / 5, 5, 5 / 7, 4 / 9, 3)  -> ρ = 1
    #   juror 2 (1 5 7 9):  others 13/3, 14/3, 5, 5.5                                  -> ρ = 1
    #   juror 3 (6 5 4 3):  others 8/3, 14/3, 6.5, 8.5: ranks 4 3 2 1 against 1 2 3 4   -> ρ = −1
    #   juror 4 scored two entries only: no correlation, not flagged.
    round = jury(contest, [[2, 4, 6, 8], [1, 5, 7, 9], [6, 5, 4, 3], [5, 5, None, None]])

    agreement = round_agreement(round)

    assert consensus(agreement) == [
        ("Juror 1", approx(1.0), 4, None, False),
        ("Juror 2", approx(1.0), 4, None, False),
        ("Juror 3", approx(-1.0), 4, None, True),
        ("Juror 4", None, 2, AgreementGap.TOO_FEW_ENTRIES, False),
    ]
    assert [str(juror.juror) for juror in agreement.flagged] == ["Juror 3"]
    assert agreement.total.statistic == ICC


def test_round_agreement_measures_consensus_by_spearman_rank_correlation(contest):
    # Juror 1 ranks 1 2 3 4, juror 2 ranks 2 1 3 4: Σd² = 1 + 1 = 2,
    # ρ = 1 − 6·2 / (4·(16 − 1)) = 1 − 12/60 = 0.8 for each against the other.
    # W: R = 3, 3, 6, 8, mean 5, S = 4 + 4 + 1 + 9 = 18, W = 12·18 / (4·60) = 0.9.
    round = jury(contest, [[1, 2, 3, 4], [2, 1, 3, 4]])

    agreement = round_agreement(round)

    assert consensus(agreement) == [("Juror 1", approx(0.8), 4, None, False), ("Juror 2", approx(0.8), 4, None, False)]
    assert agreement.jurors[0].rounded == 0.8
    assert agreement.total == Agreement(W, approx(0.9), entries=4, raters=2)


def test_round_agreement_ranks_tied_consensus_by_average_rank(contest):
    # Juror 1: 1 2 3 4 -> ranks 1 2 3 4; juror 2: 1 1 3 4 -> ranks 1.5 1.5 3 4.
    # Pearson on the ranks: deviations (−1.5, −0.5, 0.5, 1.5) and (−1, −1, 0.5, 1.5);
    # Σxy = 1.5 + 0.5 + 0.25 + 2.25 = 4.5, Σx² = 5, Σy² = 1 + 1 + 0.25 + 2.25 = 4.5,
    # ρ = 4.5 / √(5·4.5) = 4.5 / √22.5 ≈ 0.9487.
    round = jury(contest, [[1, 2, 3, 4], [1, 1, 3, 4]])

    agreement = round_agreement(round)

    assert [juror.correlation for juror in agreement.jurors] == [approx(4.5 / 22.5**0.5)] * 2


def test_round_agreement_without_reviews_gives_no_figures(contest):
    round = jury(contest, [])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, None, entries=0, raters=0, gap=AgreementGap.TOO_FEW_ENTRIES)
    assert [row.agreement for row in agreement.criteria] == [
        Agreement(W, None, entries=0, raters=0, gap=AgreementGap.TOO_FEW_ENTRIES)
    ]
    assert (agreement.jurors, agreement.total.rounded) == ([], None)


def test_round_agreement_with_one_entry_gives_no_figure(contest):
    round = jury(contest, [[3], [5], [8]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, None, entries=1, raters=3, gap=AgreementGap.TOO_FEW_ENTRIES)
    assert {juror.gap for juror in agreement.jurors} == {AgreementGap.TOO_FEW_ENTRIES}


def test_round_agreement_with_one_juror_gives_no_figure(contest):
    round = jury(contest, [[3, 5, 8]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, None, entries=3, raters=1, gap=AgreementGap.TOO_FEW_RATERS)
    assert consensus(agreement) == [("Juror 1", None, 0, AgreementGap.TOO_FEW_ENTRIES, False)]


def test_round_agreement_with_one_review_per_entry_gives_no_icc1(contest):
    # Each entry has one rating: N − n = 0 degrees of freedom within entries.
    round = jury(contest, [[3, None, None], [None, 5, None], [None, None, 8]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(ICC, None, entries=3, raters=1.0, gap=AgreementGap.TOO_FEW_RATERS)


def test_round_agreement_when_every_score_is_the_same_gives_no_variance(contest):
    # Kendall: every juror ties all 3 entries, ΣT = 2·(27 − 3) = m·(n³ − n), so the denominator is 0.
    round = jury(contest, [[5, 5, 5], [5, 5, 5]])

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, None, entries=3, raters=2, gap=AgreementGap.NO_VARIANCE)
    assert consensus(agreement) == [
        ("Juror 1", None, 3, AgreementGap.NO_VARIANCE, False),
        ("Juror 2", None, 3, AgreementGap.NO_VARIANCE, False),
    ]


def test_round_agreement_when_every_score_is_the_same_gives_no_icc1(contest):
    # MSB = MSW = 0. On a 0..3 scale a 1 is a total of 100/3, which no float holds exactly.
    round = jury(contest, [[1, 1, None], [1, None, 1], [None, 1, 1]], scales=(3,))

    agreement = round_agreement(round)

    assert agreement.total == Agreement(ICC, None, entries=3, raters=2.0, gap=AgreementGap.NO_VARIANCE)


def test_round_agreement_is_one_when_scores_differ_only_between_entries(contest):
    # MSW = 0, MSB > 0: ICC(1) = MSB / MSB = 1.
    round = jury(contest, [[2, 6, None], [2, None, 9], [None, 6, 9]])

    assert round_agreement(round).total == Agreement(ICC, 1.0, entries=3, raters=2.0)


def test_round_agreement_ignores_drafts(contest):
    # Submitted through the jurors' own services: 1 2 3 and 2 3 4 (W = 1). Juror 3's draft ranks the
    # entries in reverse and would flag them and bring W down if it counted.
    criterion = criteria_for(contest, 10)[0]
    entries = [entry_from(contest, None) for _ in range(3)]
    jurors = [juror_in(contest, name=f"Juror {number}") for number in (1, 2, 3)]
    round = round_of(contest, entries, jurors, k=None)
    Assignment.objects.bulk_create(
        Assignment(round=round, juror=juror, entry=entry) for juror in jurors for entry in entries
    )
    for juror, values in zip(jurors, ([1, 2, 3], [2, 3, 4], [9, 5, 1]), strict=True):
        for entry, value in zip(entries, values, strict=True):
            if juror is jurors[2]:
                review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: value})
            else:
                review_submit(actor=juror.user, round=round, entry=entry, scores={criterion.pk: value})

    agreement = round_agreement(round)

    assert agreement.total == Agreement(W, 1.0, entries=3, raters=2)
    assert consensus(agreement) == [("Juror 1", approx(1.0), 3, None, False), ("Juror 2", approx(1.0), 3, None, False)]


def test_round_agreement_ignores_other_rounds(contest):
    round = jury(contest, [[1, 2, 3], [1, 2, 3]])
    entries, jurors = list(round.entries.order_by("pk")), list(round.jurors.order_by("pk"))
    later = round_of(contest, entries, jurors, number=2)
    for juror, values in zip(jurors, ([3, 2, 1], [1, 2, 3]), strict=True):
        for entry, value in zip(entries, values, strict=True):
            review(later, juror, entry, [value])

    assert round_agreement(round).total == Agreement(W, 1.0, entries=3, raters=2)
    assert round_agreement(later).total == Agreement(W, 0.0, entries=3, raters=2)


@pytest.mark.parametrize(("jurors", "entries"), [(1, 1), (5, 8)])
def test_round_agreement_queries_do_not_grow_with_the_round(contest, django_assert_num_queries, jurors, entries):
    # Reviews of every other cell: an incomplete matrix with many reviews (or one review) over two criteria.
    table = [[((j + e) % 5, (j * e) % 3) if (j + e) % 2 == 0 else None for e in range(entries)] for j in range(jurors)]
    round = jury(contest, table, scales=(5, 3))

    with django_assert_num_queries(3):
        agreement = round_agreement(round)
        names = [str(juror.juror) for juror in agreement.jurors]
        slugs = [row.criterion.slug for row in agreement.criteria]

    assert (len(names), slugs) == (jurors, ["c1", "c2"])


def test_juror_consensus_against_consensus_only_when_negative():
    juror = Juror(pk=1)

    assert [
        JurorConsensus(juror, value, 3, gap).against_consensus
        for value, gap in [(-0.01, None), (0.0, None), (0.5, None), (None, AgreementGap.NO_VARIANCE)]
    ] == [True, False, False, False]
