from decimal import Decimal

import pytest
from django.utils import timezone

from contest.models import Entry
from judging.enums import RankingMethod, ReviewStatus, RoundStatus
from judging.models import Criterion, Review, Round, RoundEntry, Score
from judging.shortlist import round_standings, shortlist_top
from tests.factories import NominationFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


def review(round, juror, entry, *values, submitted=True):  # type: ignore[no-untyped-def]
    """A review of ``entry`` with one value per criterion, in the rubric's order."""
    made = Review.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion, value in zip(Criterion.objects.filter(rubric__contest=round.contest), values, strict=True):
        Score.objects.create(review=made, criterion=criterion, value=value, max_score=criterion.max_score)
    return made


def coded(contest, code, nomination):  # type: ignore[no-untyped-def]
    entry = entry_from(contest, UniversityFactory())
    Entry.objects.filter(pk=entry.pk).update(code=code, nomination=nomination)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def example(contest):  # type: ignore[no-untyped-def]
    """Criterion 1 (0..4, weight 1) and 2 (0..2, weight 3): T = 100 · (s1/4 + 3·s2/2) / 4.

    Nomination A: A4 87.5 (one review; the other is a draft), A2 81.25, A3 75 and A1 75 (a tie on the
    mean and the median that A3's higher mean of criterion 2, the heaviest, breaks), nomination B:
    B1 50, B2 31.25, B3 without a review.
    """
    first, second = criteria_for(contest, 4, 2)
    Criterion.objects.filter(pk=second.pk).update(weight=Decimal(3))
    quiz = NominationFactory(contest=contest, name_en="A", order=0)
    game = NominationFactory(contest=contest, name_en="B", order=1)
    a1, a2, a3, a4 = (coded(contest, code, quiz) for code in ("ZZZ001", "MMM002", "AAA003", "QQQ004"))
    b1, b2, b3 = (coded(contest, code, game) for code in ("BBB001", "BBB002", "BBB003"))
    jurors = [juror_in(contest), juror_in(contest)]
    round = round_of(contest, [a1, a2, a3, a4, b1, b2, b3], jurors, status=RoundStatus.CLOSED)
    one, two = jurors
    review(round, one, a1, 4, 2)  # 100
    review(round, two, a1, 2, 1)  # 50
    review(round, one, a2, 4, 1)  # 62.5
    review(round, two, a2, 4, 2)  # 100
    review(round, one, a3, 0, 2)  # 75
    review(round, two, a3, 0, 2)  # 75
    review(round, one, a4, 2, 2)  # 87.5
    review(round, two, a4, 0, 0, submitted=False)
    review(round, one, b1, 2, 1)  # 50
    review(round, one, b2, 4, 0)  # 25
    review(round, two, b2, 0, 1)  # 37.5
    return round


def test_round_standings_place_each_nomination_by_the_rounds_ranking(example):
    standings = round_standings(example)

    assert [
        (group.nomination.name_en, [(s.entry.code, s.place, s.mean, s.reviews, s.shared) for s in group.standings])
        for group in standings
    ] == [
        (
            "A",
            [
                ("QQQ004", 1, 87.5, 1, False),
                ("MMM002", 2, 81.25, 2, False),
                # A tie on the mean (75) and the median (75): AAA003 scored the heaviest criterion higher.
                ("AAA003", 3, 75.0, 2, False),
                ("ZZZ001", 4, 75.0, 2, False),
            ],
        ),
        ("B", [("BBB001", 1, 50.0, 1, False), ("BBB002", 2, 31.25, 2, False), ("BBB003", None, None, 0, False)]),
    ]


def test_round_standings_when_the_round_ranks_by_median_follow_the_median(example):
    Round.objects.filter(pk=example.pk).update(ranking_method=RankingMethod.MEDIAN)
    example.refresh_from_db()

    standings = round_standings(example)

    # Medians: QQQ004 87.5, MMM002 81.25, AAA003 75, ZZZ001 75; BBB001 50, BBB002 31.25.
    assert [[s.entry.code for s in group.standings] for group in standings] == [
        ["QQQ004", "MMM002", "AAA003", "ZZZ001"],
        ["BBB001", "BBB002", "BBB003"],
    ]
    Round.objects.filter(pk=example.pk).update(ranking_method=RankingMethod.TRIMMED, tie_breakers=[])
    example.refresh_from_db()
    tied = {s.entry.code: (s.place, s.shared) for group in round_standings(example) for s in group.standings}
    assert (tied["AAA003"], tied["ZZZ001"]) == ((3, True), (3, True))


def test_shortlist_top_takes_the_first_n_places_of_each_nomination_with_a_review(example):
    chosen = shortlist_top(round_standings(example), per_nomination=3)

    assert [entry.code for entry in chosen] == ["QQQ004", "MMM002", "AAA003", "BBB001", "BBB002"]


def test_shortlist_top_when_a_tie_breaker_decides_the_cut_keeps_the_entry_it_places_higher(example):
    chosen = shortlist_top(round_standings(example), per_nomination=3)

    assert "AAA003" in {entry.code for entry in chosen}
    assert "ZZZ001" not in {entry.code for entry in chosen}


def test_shortlist_top_when_a_shared_place_is_at_the_cut_takes_every_entry_sharing_it(example):
    Round.objects.filter(pk=example.pk).update(tie_breakers=[])
    example.refresh_from_db()

    chosen = shortlist_top(round_standings(example), per_nomination=3)

    assert [entry.code for entry in chosen] == ["QQQ004", "MMM002", "AAA003", "ZZZ001", "BBB001", "BBB002"]


def test_round_standings_show_which_entries_are_shortlisted(example):
    RoundEntry.objects.filter(round=example, entry__code__in=["ZZZ001", "BBB003"]).update(shortlisted=True)

    standings = round_standings(example)

    assert sorted(s.entry.code for group in standings for s in group.standings if s.shortlisted) == [
        "BBB003",
        "ZZZ001",
    ]


def test_round_standings_without_reviews_list_every_entry_without_a_place(contest):
    criteria_for(contest, 5)
    entries = [entry_from(contest, None), entry_from(contest, None)]
    round = round_of(contest, entries, [juror_in(contest)], status=RoundStatus.CLOSED)

    standings = round_standings(round)

    assert sorted((s.entry.pk, s.place, s.mean, s.reviews) for group in standings for s in group.standings) == sorted(
        (entry.pk, None, None, 0) for entry in entries
    )
    assert shortlist_top(standings, per_nomination=5) == []


def test_round_standings_query_count_does_not_grow_with_entries_and_reviews(contest, django_assert_num_queries):
    criteria_for(contest, 4, 2)
    jurors = [juror_in(contest), juror_in(contest)]
    entries = [entry_from(contest, None)]
    round = round_of(contest, entries, jurors, status=RoundStatus.CLOSED)
    review(round, jurors[0], entries[0], 1, 1)
    with django_assert_num_queries(5):
        round_standings(round)
    more = [entry_from(contest, None) for _ in range(8)]
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in more)
    for entry in more:
        for juror in jurors:
            review(round, juror, entry, 2, 2)

    with django_assert_num_queries(5):
        standings = round_standings(round)

    assert sum(len(group.standings) for group in standings) == 9
