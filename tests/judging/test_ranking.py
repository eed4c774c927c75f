"""Rankings of a round against figures worked out by hand.

Unless told otherwise the rubric is criterion 1 (0..4, weight 1) and criterion 2 (0..2, weight 3), so
``T = 100 · (1·s1/4 + 3·s2/2) / (1 + 3) = 6.25·s1 + 37.5·s2``, and criterion 2 is the heaviest.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contest.models import Entry
from judging.enums import ReviewStatus
from judging.models import Criterion, Review, Round, Score
from judging.ranking import RankingOptionUnknown, round_ranking
from tests.factories import NominationFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

EARLY = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)


def review(round, juror, entry, s1, s2, *, submitted=True):  # type: ignore[no-untyped-def]
    made = Review.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion, value in zip(Criterion.objects.filter(rubric__contest=round.contest), (s1, s2), strict=True):
        Score.objects.create(review=made, criterion=criterion, value=value, max_score=criterion.max_score)
    return made


def coded(contest, code, nomination, submitted_at=EARLY):  # type: ignore[no-untyped-def]
    entry = entry_from(contest, UniversityFactory())
    Entry.objects.filter(pk=entry.pk).update(code=code, nomination=nomination, submitted_at=submitted_at)
    entry.refresh_from_db()
    return entry


def rubric(contest):  # type: ignore[no-untyped-def]
    first, second = criteria_for(contest, 4, 2)
    Criterion.objects.filter(pk=second.pk).update(weight=Decimal(3))
    return first, second


def table(ranking):  # type: ignore[no-untyped-def]
    return [(group.nomination.name_en, [row.code for row in group.rows]) for group in ranking.nominations]


@pytest.fixture
def figures(contest):  # type: ignore[no-untyped-def]
    """Quiz: A (5 reviews), B (3 and a draft), C (1), D (4), E (only a draft); Game: G1 (1), G2 (none)."""
    rubric(contest)
    quiz = NominationFactory(contest=contest, name_en="Quiz", order=0)
    game = NominationFactory(contest=contest, name_en="Game", order=1)
    a, b, c, d, e = (coded(contest, code, quiz) for code in ("AAA001", "BBB002", "CCC003", "DDD004", "EEE005"))
    g1, g2 = coded(contest, "GGG001", game), coded(contest, "GGG002", game)
    j1, j2, j3, j4, j5 = (juror_in(contest) for _ in range(5))
    round = round_of(contest, [a, b, c, d, e, g1, g2], [j1, j2, j3, j4, j5], k=None)
    review(round, j1, a, 4, 2)  # 25 + 75 = 100
    review(round, j2, a, 2, 2)  # 12.5 + 75 = 87.5
    review(round, j3, a, 0, 2)  # 75
    review(round, j4, a, 4, 1)  # 25 + 37.5 = 62.5
    review(round, j5, a, 0, 0)  # 0
    review(round, j1, b, 2, 1)  # 12.5 + 37.5 = 50
    review(round, j2, b, 4, 2)  # 100
    review(round, j3, b, 0, 1)  # 37.5
    review(round, j4, b, 4, 2, submitted=False)  # a draft: never counts
    review(round, j4, c, 4, 2)  # 100
    review(round, j1, d, 0, 0)  # 0
    review(round, j2, d, 4, 1)  # 62.5
    review(round, j3, d, 4, 2)  # 100
    review(round, j5, d, 2, 1)  # 50
    review(round, j5, e, 4, 2, submitted=False)
    review(round, j1, g1, 0, 1)  # 37.5
    return round


def test_round_ranking_when_reviews_differ_computes_every_figure(figures):
    ranking = round_ranking(figures)

    rows = {row.code: row for row in ranking.rows()}
    assert ranking.method == "mean"
    assert ranking.tie_breakers == ("median", "heaviest_criterion", "earlier_submission")
    assert ranking.heaviest_criterion is not None
    assert ranking.heaviest_criterion.slug == "c2"
    # A: 100, 87.5, 75, 62.5, 0 → mean 325/5 = 65; median 75; trimmed (87.5 + 75 + 62.5)/3 = 75.
    # Criterion means: (4 + 2 + 0 + 4 + 0)/5 = 2 and (2 + 2 + 2 + 1 + 0)/5 = 1.4.
    assert (rows["AAA001"].reviews, rows["AAA001"].mean, rows["AAA001"].median, rows["AAA001"].trimmed) == (
        5,
        65.0,
        75.0,
        75.0,
    )
    assert rows["AAA001"].criterion_means == (2.0, 1.4)
    # B: 50, 100, 37.5 (the draft left out) → mean 187.5/3 = 62.5; median 50; trimmed = mean with 3 reviews.
    assert (rows["BBB002"].reviews, rows["BBB002"].mean, rows["BBB002"].median, rows["BBB002"].trimmed) == (
        3,
        62.5,
        50.0,
        62.5,
    )
    assert rows["BBB002"].criterion_means == (2.0, pytest.approx(4 / 3, abs=1e-12))
    # C: a single review of 100 is every figure.
    assert (rows["CCC003"].reviews, rows["CCC003"].mean, rows["CCC003"].median, rows["CCC003"].trimmed) == (
        1,
        100.0,
        100.0,
        100.0,
    )
    # D: 0, 62.5, 100, 50 → mean 212.5/4 = 53.125; median (50 + 62.5)/2 = 56.25; trimmed (50 + 62.5)/2 = 56.25.
    assert (rows["DDD004"].reviews, rows["DDD004"].mean, rows["DDD004"].median, rows["DDD004"].trimmed) == (
        4,
        53.125,
        56.25,
        56.25,
    )
    assert rows["DDD004"].criterion_means == (2.5, 1.0)
    assert (rows["EEE005"].reviews, rows["EEE005"].mean, rows["EEE005"].normalised) == (0, None, None)
    assert (rows["EEE005"].criterion_means, rows["EEE005"].ranks, rows["EEE005"].place) == ((None, None), {}, None)


def test_round_ranking_when_reviews_differ_ranks_each_method_per_nomination(figures):
    ranking = round_ranking(figures)

    # Quiz by mean: C 100, A 65, B 62.5, D 53.125; by median: C 100, A 75, D 56.25, B 50;
    # by trimmed: C 100, A 75, B 62.5, D 56.25. Game on its own: G1 37.5. E and G2 have no rank.
    ranks = {row.code: tuple(row.ranks.get(name) for name in ("mean", "median", "trimmed")) for row in ranking.rows()}
    assert ranks == {
        "AAA001": (2, 2, 2),
        "BBB002": (3, 4, 3),
        "CCC003": (1, 1, 1),
        "DDD004": (4, 3, 4),
        "EEE005": (None, None, None),
        "GGG001": (1, 1, 1),
        "GGG002": (None, None, None),
    }
    assert table(ranking) == [
        ("Quiz", ["CCC003", "AAA001", "BBB002", "DDD004", "EEE005"]),
        ("Game", ["GGG001", "GGG002"]),
    ]
    assert [(row.code, row.place, row.shared, row.separated_by) for row in ranking.rows()] == [
        ("CCC003", 1, False, None),
        ("AAA001", 2, False, None),
        ("BBB002", 3, False, None),
        ("DDD004", 4, False, None),
        ("EEE005", None, False, None),
        ("GGG001", 1, False, None),
        ("GGG002", None, False, None),
    ]


def test_round_ranking_when_method_is_median_places_by_median(figures):
    ranking = round_ranking(figures, method="median")

    assert ranking.method == "median"
    assert table(ranking) == [
        ("Quiz", ["CCC003", "AAA001", "DDD004", "BBB002", "EEE005"]),
        ("Game", ["GGG001", "GGG002"]),
    ]


@pytest.fixture
def jury_of_three(contest):  # type: ignore[no-untyped-def]
    """A lenient juror, a harsh one and one who gives every entry the same total."""
    rubric(contest)
    quiz = NominationFactory(contest=contest, name_en="Quiz")
    p, q, r = (coded(contest, code, quiz) for code in ("PPP001", "QQQ002", "RRR003"))
    lenient, harsh, flat = (juror_in(contest) for _ in range(3))
    round = round_of(contest, [p, q, r], [lenient, harsh, flat], k=2)
    # Lenient: P 100, Q 75 → μ 87.5, σ = √((12.5² + 12.5²)/2) = 12.5 → z: P +1, Q −1.
    review(round, lenient, p, 4, 2)
    review(round, lenient, q, 0, 2)
    # Harsh: Q 50, R 37.5 → μ 43.75, σ 6.25 → z: Q +1, R −1.
    review(round, harsh, q, 2, 1)
    review(round, harsh, r, 0, 1)
    # Flat: P 62.5, R 62.5 → σ = 0 → z = 0 for both.
    review(round, flat, p, 4, 1)
    review(round, flat, r, 4, 1)
    return round


def test_round_ranking_when_normalised_rescales_mean_z_to_raw_means(jury_of_three):
    ranking = round_ranking(jury_of_three, method="normalised")

    rows = {row.code: row for row in ranking.rows()}
    # Mean z: P (1 + 0)/2 = 0.5, Q (−1 + 1)/2 = 0, R (−1 + 0)/2 = −0.5.
    # Raw means: P (100 + 62.5)/2 = 81.25, Q (75 + 50)/2 = 62.5, R (37.5 + 62.5)/2 = 50.
    # Rescaled: z −0.5 → 50 and z 0.5 → 81.25, so Q = 50 + (0 + 0.5)/1 · 31.25 = 65.625.
    assert {code: (row.mean, row.normalised) for code, row in rows.items()} == {
        "PPP001": (81.25, 81.25),
        "QQQ002": (62.5, 65.625),
        "RRR003": (50.0, 50.0),
    }
    assert [(row.code, row.place, row.ranks["normalised"]) for row in ranking.rows()] == [
        ("PPP001", 1, 1),
        ("QQQ002", 2, 2),
        ("RRR003", 3, 3),
    ]


def test_round_ranking_when_every_mean_z_is_equal_gives_the_average_raw_mean(contest):
    rubric(contest)
    quiz = NominationFactory(contest=contest, name_en="Quiz")
    x, y = coded(contest, "XXX001", quiz), coded(contest, "YYY002", quiz)
    one, two = juror_in(contest), juror_in(contest)
    round = round_of(contest, [x, y], [one, two], k=2)
    # One: X 100, Y 50 → z +1, −1. Two: X 50, Y 100 → z −1, +1. Both entries' mean z is 0: nothing to
    # rescale, so both get the average of the raw means (75 + 75)/2 = 75, and share the place.
    review(round, one, x, 4, 2)
    review(round, one, y, 2, 1)
    review(round, two, x, 2, 1)
    review(round, two, y, 4, 2)

    ranking = round_ranking(round, method="normalised", tie_breakers=[])

    assert [(row.code, row.mean, row.normalised, row.place, row.shared) for row in ranking.rows()] == [
        ("XXX001", 75.0, 75.0, 1, True),
        ("YYY002", 75.0, 75.0, 1, True),
    ]


def test_round_ranking_when_single_entry_normalised_is_its_mean(contest):
    rubric(contest)
    entry = coded(contest, "ONE001", NominationFactory(contest=contest, name_en="Quiz"))
    one, two = juror_in(contest), juror_in(contest)
    round = round_of(contest, [entry], [one, two], k=2)
    review(round, one, entry, 4, 2)  # 100, and σ = 0 for a juror with one review
    review(round, two, entry, 0, 1)  # 37.5

    row = round_ranking(round).row(entry.pk)

    # Mean (100 + 37.5)/2 = 68.75; every z is 0, one entry: the normalised value is its mean.
    assert (row.mean, row.median, row.trimmed, row.normalised, row.place) == (68.75, 68.75, 68.75, 68.75, 1)


@pytest.fixture
def ties(contest):  # type: ignore[no-untyped-def]
    """Five entries with mean 75 that only the tie-breakers tell apart, two of them not even those."""
    rubric(contest)
    quiz = NominationFactory(contest=contest, name_en="Quiz")
    later = EARLY + timedelta(hours=1)
    m1 = coded(contest, "MMM001", quiz, later)
    m2 = coded(contest, "MMM002", quiz, later)
    m3 = coded(contest, "MMM003", quiz, later)
    m4 = coded(contest, "MMM004", quiz, EARLY)
    m5 = coded(contest, "MMM005", quiz, later)
    jurors = [juror_in(contest) for _ in range(3)]
    round = round_of(contest, [m1, m2, m3, m4, m5], jurors, k=None)
    scores = {
        m1: [(0, 2), (0, 2), (0, 2)],  # 75, 75, 75: mean 75, median 75, criterion 2 mean 2
        m2: [(4, 2), (2, 2), (0, 1)],  # 100, 87.5, 37.5: mean 225/3 = 75, median 87.5
        m3: [(4, 1), (0, 2), (2, 2)],  # 62.5, 75, 87.5: mean 75, median 75, criterion 2 mean 5/3
        m4: [(0, 2), (0, 2), (0, 2)],  # as M1, submitted an hour earlier
        m5: [(0, 2), (0, 2), (0, 2)],  # as M1, submitted at the same time: shares M1's place
    }
    for entry, given in scores.items():
        for juror, (s1, s2) in zip(jurors, given, strict=True):
            review(round, juror, entry, s1, s2)
    return round


def test_round_ranking_when_tied_on_mean_breaks_ties_in_order(ties):
    ranking = round_ranking(ties)

    # Median first: M2 (87.5) above the others (75). Criterion 2's mean next: M3 (5/3) below M1, M4, M5 (2).
    # The earlier submission last: M4 before M1 and M5, which are still tied and share third place.
    assert [(row.code, row.place, row.shared, row.separated_by) for row in ranking.rows()] == [
        ("MMM002", 1, False, "median"),
        ("MMM004", 2, False, "earlier_submission"),
        ("MMM001", 3, True, "earlier_submission"),
        ("MMM005", 3, True, "earlier_submission"),
        ("MMM003", 5, False, "heaviest_criterion"),
    ]
    assert [row.ranks for row in ranking.rows()] == [
        {"mean": 1, "median": 1, "trimmed": 1, "normalised": 1},
        {"mean": 1, "median": 2, "trimmed": 1, "normalised": 1},
        {"mean": 1, "median": 2, "trimmed": 1, "normalised": 1},
        {"mean": 1, "median": 2, "trimmed": 1, "normalised": 1},
        {"mean": 1, "median": 2, "trimmed": 1, "normalised": 1},
    ]


def test_round_ranking_when_tie_breakers_given_uses_them_in_their_order(ties):
    by_time = round_ranking(ties, tie_breakers=["earlier_submission", "median"])
    none = round_ranking(ties, tie_breakers=[])

    # The earlier submission first: M4 alone; then the median: M2 (87.5) above M1, M3, M5 (75), who share.
    assert [(row.code, row.place, row.shared, row.separated_by) for row in by_time.rows()] == [
        ("MMM004", 1, False, "earlier_submission"),
        ("MMM002", 2, False, "median"),
        ("MMM001", 3, True, "median"),
        ("MMM003", 3, True, "median"),
        ("MMM005", 3, True, "median"),
    ]
    assert [(row.code, row.place, row.shared, row.separated_by) for row in none.rows()] == [
        ("MMM001", 1, True, None),
        ("MMM002", 1, True, None),
        ("MMM003", 1, True, None),
        ("MMM004", 1, True, None),
        ("MMM005", 1, True, None),
    ]


def test_round_ranking_when_option_unknown_refuses(ties):
    with pytest.raises(RankingOptionUnknown) as method:
        round_ranking(ties, method="best")
    with pytest.raises(RankingOptionUnknown) as breaker:
        round_ranking(ties, tie_breakers=["median", "luck"])

    assert (str(method.value), str(breaker.value)) == ("Unknown ranking method: best.", "Unknown tie-breaker: luck.")


SPECS = [
    # (entry code, juror number, s1, s2, submitted)
    ("AAA001", 0, 3, 2, True),
    ("AAA001", 1, 1, 1, True),
    ("AAA001", 2, 3, 0, True),
    ("BBB002", 0, 2, 2, True),
    ("BBB002", 1, 0, 1, True),
    ("BBB002", 2, 3, 1, False),
    ("CCC003", 1, 3, 2, True),
    ("CCC003", 2, 1, 2, True),
]


def test_round_ranking_when_rows_come_in_another_order_gives_the_same_table(contest):
    rubric(contest)
    # Scale 3 and weight 0.7: totals such as 100 · (0.7·1/3 + 3·1/2)/3.7 are not exact in binary, so the
    # sums depend on the order they are added in unless the ranking fixes that order.
    Criterion.objects.filter(slug="c1").update(max_score=3, weight=Decimal("0.7"))
    quiz = NominationFactory(contest=contest, name_en="Quiz")
    entries = {code: coded(contest, code, quiz) for code in ("AAA001", "BBB002", "CCC003")}
    jurors = [juror_in(contest) for _ in range(3)]
    round = round_of(contest, list(entries.values()), jurors, k=None)

    def insert(specs):  # type: ignore[no-untyped-def]
        Review.objects.filter(round=round).delete()
        for code, juror, s1, s2, submitted in specs:
            review(round, jurors[juror], entries[code], s1, s2, submitted=submitted)
        return round_ranking(round)

    first = insert(SPECS)
    again = round_ranking(round)
    reversed_ = insert(list(reversed(SPECS)))

    assert first.content_hash() == again.content_hash() == reversed_.content_hash()
    assert list(first.rows()) == list(again.rows()) == list(reversed_.rows())
    assert len(first.content_hash()) == 64
    assert round_ranking(round, method="median").content_hash() != first.content_hash()


def test_round_ranking_when_more_entries_and_reviews_keeps_its_query_count(contest, django_assert_num_queries):
    rubric(contest)
    quiz = NominationFactory(contest=contest, name_en="Quiz")
    one = coded(contest, "ONE001", quiz)
    jurors = [juror_in(contest) for _ in range(3)]
    small = round_of(contest, [one], jurors[:1], k=1, number=1)
    review(small, jurors[0], one, 2, 1)
    many = [coded(contest, f"MNY{number:03d}", quiz) for number in range(12)]
    large = round_of(contest, many, jurors, k=None, number=2)
    for number, entry in enumerate(many):
        for juror in jurors:
            review(large, juror, entry, number % 5, number % 3)

    # Criteria, nominations, the round's entries and the submitted scores.
    with django_assert_num_queries(4):
        assert len(list(round_ranking(small).rows())) == 1
    with django_assert_num_queries(4):
        assert len(list(round_ranking(large).rows())) == 12


def test_round_tie_breakers_when_invalid_are_refused(contest):
    round = Round(contest=contest, number=1, name="Round 1", ranking_method="mean")
    assert round.tie_breakers == ["median", "heaviest_criterion", "earlier_submission"]

    messages = []
    for value in (["median", "luck"], ["median", "median"], "median"):
        round.tie_breakers = value
        with pytest.raises(ValidationError) as refused:
            round.full_clean()
        messages.append(refused.value.message_dict["tie_breakers"])

    assert messages == [
        [
            "Unknown tie-breaker: luck. Choose from: median, mean, trimmed, normalised, "
            "heaviest_criterion, earlier_submission."
        ],
        ["Each tie-breaker may be given only once."],
        ["Give the tie-breakers as a list of names."],
    ]
    round.tie_breakers = ["earlier_submission"]
    round.full_clean()


def test_round_ranking_method_when_unknown_is_refused_by_the_database(contest):
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(contest=contest, number=1, name="Round 1", ranking_method="best")
