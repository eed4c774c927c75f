from datetime import timedelta

import pytest
from django.utils import timezone

from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, JurorReminder, Review, Round
from judging.progress import STALL_AFTER, juror_is_behind, round_progress
from tests.judging import entry_from, juror_in, round_of

NOW = timezone.now().replace(microsecond=0)


def assign(round, juror, entry, *, review=None, at=None):  # type: ignore[no-untyped-def]
    """Assign ``entry`` to ``juror`` (given ``at``), with a review in state ``review`` if any."""
    assignment = Assignment.objects.create(round=round, juror=juror, entry=entry)
    Assignment.objects.filter(pk=assignment.pk).update(created_at=at or NOW - timedelta(days=5))
    if review is not None:
        Review.objects.create(
            round=round,
            juror=juror,
            entry=entry,
            status=review,
            submitted_at=NOW if review == ReviewStatus.SUBMITTED else None,
        )


@pytest.fixture
def judged(contest):  # type: ignore[no-untyped-def]
    """Half of a round's time gone: A has done 3 of 4, B nothing of 2, C 2 of 2, D has no entries."""
    a, b, c, d = (juror_in(contest, name=f"Juror {letter}") for letter in "ABCD")
    e1, e2, e3, e4, e5 = (entry_from(contest, None) for _ in range(5))
    round = round_of(contest, [e1, e2, e3, e4, e5], [a, b, c, d], k=2)
    Round.objects.filter(pk=round.pk).update(opens_at=NOW - timedelta(days=4), closes_at=NOW + timedelta(days=4))
    round.refresh_from_db()
    assign(round, a, e1, review=ReviewStatus.SUBMITTED)
    assign(round, a, e2, review=ReviewStatus.SUBMITTED)
    assign(round, a, e3, review=ReviewStatus.DRAFT)
    assign(round, a, e4, review=ReviewStatus.SUBMITTED)
    assign(round, b, e1, review=ReviewStatus.DRAFT)
    assign(round, b, e2)
    assign(round, c, e3, review=ReviewStatus.SUBMITTED)
    assign(round, c, e4, review=ReviewStatus.SUBMITTED)
    Review.objects.filter(round=round, juror=a).update(updated_at=NOW - timedelta(hours=2))
    Review.objects.filter(round=round, juror=a, entry=e4).update(updated_at=NOW - timedelta(hours=1))
    Review.objects.filter(round=round, juror=b).update(updated_at=NOW - timedelta(days=3))
    Review.objects.filter(round=round, juror=c).update(updated_at=NOW - timedelta(days=1))
    JurorReminder.objects.create(round=round, juror=b, sent_at=NOW - timedelta(hours=20))
    return {"round": round, "jurors": (a, b, c, d), "entries": (e1, e2, e3, e4, e5)}


def test_round_progress_per_juror_when_half_the_time_is_gone(judged):
    progress = round_progress(judged["round"], now=NOW)

    assert [
        (
            str(row.juror),
            row.assigned,
            row.submitted,
            row.drafts,
            row.not_started,
            row.percent,
            row.last_activity,
            row.reminded_at,
            row.expected,
            row.behind,
        )
        for row in progress.jurors
    ] == [
        ("Juror A", 4, 3, 1, 0, 75, NOW - timedelta(hours=1), None, 2, False),
        ("Juror B", 2, 0, 1, 1, 0, NOW - timedelta(days=3), NOW - timedelta(hours=20), 1, True),
        ("Juror C", 2, 2, 0, 0, 100, NOW - timedelta(days=1), None, 1, False),
        ("Juror D", 0, 0, 0, 0, 100, None, None, None, False),
    ]


def test_round_progress_per_entry_names_the_jurors_still_missing(judged):
    e1, e2, e3, e4, e5 = judged["entries"]
    a, b, _c, _d = judged["jurors"]

    progress = round_progress(judged["round"], now=NOW)

    expected = {
        e1.code: (2, 2, 1, ["Juror B"], False),
        e2.code: (2, 2, 1, ["Juror B"], False),
        e3.code: (2, 2, 1, ["Juror A"], False),
        e4.code: (2, 2, 2, [], True),
        e5.code: (2, 0, 0, [], False),
    }
    assert [row.entry.code for row in progress.entries] == sorted(expected)
    assert {
        row.entry.code: (row.needed, row.assigned, row.submitted, [str(j) for j in row.missing], row.complete)
        for row in progress.entries
    } == expected


def test_round_progress_totals_of_the_whole_round(judged):
    progress = round_progress(judged["round"], now=NOW)

    assert (
        progress.assigned,
        progress.submitted,
        progress.drafts,
        progress.not_started,
        progress.percent,
        progress.entries_complete,
        [str(row.juror) for row in progress.behind],
    ) == (8, 5, 2, 1, 62, 1, ["Juror B"])


def test_round_progress_needs_every_juror_when_the_round_has_no_k(contest):
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(3)]
    entry = entry_from(contest, None)
    round = round_of(contest, [entry], jurors, k=None)

    progress = round_progress(round, now=NOW)

    assert [(row.needed, row.assigned, row.submitted) for row in progress.entries] == [(3, 0, 0)]


def _round(status=RoundStatus.OPEN, opens_at=None, closes_at=None):  # type: ignore[no-untyped-def]
    return Round(status=status, opens_at=opens_at, closes_at=closes_at)


def test_juror_is_behind_when_fewer_reviews_than_the_time_gone_calls_for():
    round = _round(opens_at=NOW - timedelta(days=9), closes_at=NOW + timedelta(days=11))  # 45 % gone

    on_time = juror_is_behind(round, assigned=10, submitted=4, first_assigned=NOW - timedelta(days=10), now=NOW)
    late = juror_is_behind(round, assigned=10, submitted=3, first_assigned=NOW - timedelta(days=10), now=NOW)

    assert (on_time, late) == ((4, False), (4, True))


def test_juror_is_behind_counts_from_their_first_entry_when_it_came_after_the_opening():
    round = _round(opens_at=NOW - timedelta(days=9), closes_at=NOW + timedelta(days=1))

    assert juror_is_behind(round, assigned=10, submitted=0, first_assigned=NOW - timedelta(days=1), now=NOW) == (
        5,
        True,
    )
    assert juror_is_behind(round, assigned=10, submitted=5, first_assigned=NOW - timedelta(days=1), now=NOW) == (
        5,
        False,
    )


def test_juror_is_behind_without_a_closing_time_only_when_nothing_came_for_three_days():
    round = _round(opens_at=NOW - timedelta(days=30))
    started = NOW - STALL_AFTER

    assert juror_is_behind(round, assigned=5, submitted=0, first_assigned=started, now=NOW) == (None, True)
    assert juror_is_behind(round, assigned=5, submitted=0, first_assigned=started + timedelta(minutes=1), now=NOW) == (
        None,
        False,
    )
    assert juror_is_behind(round, assigned=5, submitted=1, first_assigned=started, now=NOW) == (None, False)


def test_juror_is_behind_never_before_the_opening_nor_outside_an_open_round_nor_when_done():
    future = _round(opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=5))
    assert juror_is_behind(future, assigned=5, submitted=0, first_assigned=NOW - timedelta(days=9), now=NOW) == (
        0,
        False,
    )
    for status in (RoundStatus.DRAFT, RoundStatus.CLOSED):
        late = _round(status=status, opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(days=1))
        assert juror_is_behind(late, assigned=5, submitted=0, first_assigned=NOW - timedelta(days=9), now=NOW) == (
            5,
            False,
        )
    done = _round(opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(days=1))
    assert juror_is_behind(done, assigned=5, submitted=5, first_assigned=NOW - timedelta(days=9), now=NOW) == (
        5,
        False,
    )


def test_juror_is_behind_with_everything_when_the_closing_time_has_passed():
    round = _round(opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(hours=1))

    assert juror_is_behind(round, assigned=5, submitted=4, first_assigned=NOW - timedelta(days=9), now=NOW) == (
        5,
        True,
    )


@pytest.mark.parametrize(("jurors", "entries"), [(1, 1), (6, 9)])
def test_round_progress_queries_do_not_grow_with_the_round(contest, django_assert_num_queries, jurors, entries):
    seats = [juror_in(contest, name=f"Juror {n}") for n in range(jurors)]
    works = [entry_from(contest, None) for _ in range(entries)]
    round = round_of(contest, works, seats, k=1)
    for index, entry in enumerate(works):
        assign(round, seats[index % jurors], entry, review=ReviewStatus.SUBMITTED if index % 2 else None)
    for juror in seats:
        JurorReminder.objects.create(round=round, juror=juror, sent_at=NOW)

    with django_assert_num_queries(3):
        progress = round_progress(round, now=NOW)
        rows = [(str(row.juror), row.percent) for row in progress.jurors]
        missing = [[str(juror) for juror in row.missing] for row in progress.entries]

    assert (len(rows), len(missing), progress.submitted) == (jurors, entries, entries // 2)
