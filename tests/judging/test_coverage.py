"""Every entry submitted on time is judged: rounds that follow submissions and shortlists, and the confirmations."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from config.exceptions import BaigeError
from contest.enums import EntryStatus
from contest.models import Entry
from contest.services import entry_submit, entry_withdraw
from exchange.entries_import import ALL_COLUMNS, entries_import
from judging.assignment import assignment_run
from judging.coverage import UnjudgedEntries
from judging.enums import AssignmentOrigin, ReviewStatus, RoundStatus
from judging.models import Assignment, Review, Round, RoundEntry
from judging.progress import jurors_progress
from judging.selectors.panel import rounds_of_juror
from judging.selectors.rounds import entries_without_round, round_entries_short
from judging.services.assignments import assignment_add
from judging.services.publication import results_publish
from judging.services.results import results_finalise
from judging.services.reviews import review_save_draft, review_submit
from judging.services.rounds import round_close, round_create, round_open, round_shortlist
from judging.tasks import entries_rounds_follow
from tests.factories import EntryFactory, NominationFactory, PlatformFactory, ProfileFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.judging.test_publication import finalised_round
from tests.judging.test_results import judged_round


def jurors_of(round: Round, entry) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(Assignment.objects.filter(round=round, entry=entry).values_list("juror_id", flat=True))


def loads_of(round: Round) -> list[int]:
    return sorted(Counter(Assignment.objects.filter(round=round).values_list("juror_id", flat=True)).values())


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory() for _n in range(4)]


@pytest.fixture
def quiz_nomination(contest):  # type: ignore[no-untyped-def]
    PlatformFactory(contest=contest, slug="wordwall", name="Wordwall", name_en="Wordwall")
    return NominationFactory(contest=contest, slug="quiz", name="Quiz", name_en="Quiz")


@pytest.fixture
def opened(contest, organiser, unis):  # type: ignore[no-untyped-def]
    """A first round (k=2) of four entries and four jurors, assigned and opened while submissions are open."""
    criteria_for(contest, 4)
    jurors = [juror_in(contest, unis[index]) for index in range(4)]
    entries = [entry_from(contest, unis[index % 2 + 2]) for index in range(4)]
    round = round_create(actor=organiser, contest=contest, name_en="Screening", reviews_per_entry=2)
    assignment_run(actor=organiser, round=round, seed=1)
    opened_at = timezone.now()
    round_open(actor=organiser, round=round, now=opened_at)
    return {"round": round, "jurors": jurors, "entries": entries, "opened_at": opened_at}


def submitted_late(contest, university, when, capture):  # type: ignore[no-untyped-def]
    author = ProfileFactory(university=university).user
    entry = EntryFactory(contest=contest, author=author, with_media=True)
    with capture(execute=True):
        entry_submit(actor=author, entry=entry, now=when)
    return author, entry


# --- The first round follows the submitted entries ------------------------------------------------


def test_entry_submitted_an_hour_after_the_round_opened_gets_k_jurors_without_a_conflict(
    contest, opened, unis, django_capture_on_commit_callbacks
):
    round = opened["round"]
    assert loads_of(round) == [2, 2, 2, 2]

    _author, entry = submitted_late(
        contest, unis[0], opened["opened_at"] + timedelta(hours=1), django_capture_on_commit_callbacks
    )

    assert RoundEntry.objects.filter(round=round, entry=entry).exists()
    chosen = jurors_of(round, entry)
    assert len(chosen) == 2
    assert opened["jurors"][0].pk not in chosen  # the juror from the author's university
    assert loads_of(round) == [2, 2, 3, 3]
    assert entries_without_round(contest) == []
    assert round_entries_short(round) == []


def test_entry_withdrawn_leaves_the_round_and_keeps_its_reviews_for_when_it_comes_back(
    contest, opened, unis, django_capture_on_commit_callbacks
):
    round = opened["round"]
    author, entry = submitted_late(contest, unis[0], timezone.now(), django_capture_on_commit_callbacks)
    first = Assignment.objects.filter(round=round, entry=entry).order_by("juror_id").first()
    criterion = round.contest.rubric.criteria.get()
    review_submit(actor=first.juror.user, round=round, entry=entry, scores={criterion.pk: 3})

    with django_capture_on_commit_callbacks(execute=True):
        entry_withdraw(actor=author, entry=entry)

    assert not RoundEntry.objects.filter(round=round, entry=entry).exists()
    assert jurors_of(round, entry) == []
    assert Review.objects.filter(round=round, entry=entry).values_list("juror_id", "status").get() == (
        first.juror_id,
        ReviewStatus.SUBMITTED,
    )
    # Kept aside: out of the juror's counts while the entry is withdrawn.
    progress = {row.juror.pk: row for row in jurors_progress(round)}[first.juror_id]
    assert (progress.assigned, progress.submitted) == (2, 0)
    assert [(r.assigned, r.scored) for r in rounds_of_juror(first.juror.user)] == [(2, 0)]

    with django_capture_on_commit_callbacks(execute=True):
        entry_submit(actor=author, entry=entry)

    chosen = jurors_of(round, entry)
    assert len(chosen) == 2
    assert first.juror_id in chosen  # back with the juror who had reviewed it
    assert opened["jurors"][0].pk not in chosen


def test_entry_submitted_to_a_round_being_prepared_joins_it_and_gets_jurors_when_it_opens(
    contest, organiser, unis, django_capture_on_commit_callbacks
):
    criteria_for(contest, 4)
    jurors = [juror_in(contest, unis[index]) for index in range(3)]
    entry_from(contest, unis[3])
    round = round_create(actor=organiser, contest=contest, name_en="Screening", reviews_per_entry=2)

    _author, entry = submitted_late(contest, unis[0], timezone.now(), django_capture_on_commit_callbacks)

    assert RoundEntry.objects.filter(round=round, entry=entry).exists()
    assert Assignment.objects.filter(round=round).count() == 0  # nothing assigned yet: the organiser runs it
    round_open(actor=organiser, round=round)
    assert jurors_of(round, entry) == [jurors[1].pk, jurors[2].pk]
    assert Assignment.objects.filter(round=round).count() == 4


def test_late_entry_leaves_the_manual_assignments_of_the_round_alone(
    contest, opened, organiser, unis, django_capture_on_commit_callbacks
):
    round = opened["round"]
    target = opened["entries"][0]
    free = next(j for j in opened["jurors"] if j.pk not in jurors_of(round, target) and j.university != unis[2])
    manual = assignment_add(actor=organiser, round=round, juror=free, entry=target)

    _author, entry = submitted_late(contest, unis[1], timezone.now(), django_capture_on_commit_callbacks)

    assert Assignment.objects.get(pk=manual.pk).origin == AssignmentOrigin.MANUAL
    assert len(jurors_of(round, target)) == 3
    assert len(jurors_of(round, entry)) == 2


def test_late_entry_that_no_juror_may_review_is_flagged_not_refused(
    contest, organiser, unis, django_capture_on_commit_callbacks
):
    criteria_for(contest, 4)
    only = juror_in(contest, unis[0])
    entry_from(contest, unis[1])
    round = round_create(actor=organiser, contest=contest, name_en="Screening", reviews_per_entry=1)
    round_open(actor=organiser, round=round)

    _author, entry = submitted_late(contest, unis[0], timezone.now(), django_capture_on_commit_callbacks)

    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert jurors_of(round, entry) == []
    assert round_entries_short(round) == [(entry, 0)]
    assert only.pk not in jurors_of(round, entry)


def test_entry_submitted_after_the_first_round_closed_is_in_no_round(
    contest, organiser, unis, django_capture_on_commit_callbacks
):
    criteria_for(contest, 4)
    juror_in(contest, unis[1])
    entry_from(contest, unis[2])
    round = round_create(actor=organiser, contest=contest, name_en="Screening", reviews_per_entry=1)
    round_open(actor=organiser, round=round)
    round_close(actor=organiser, round=round)

    _author, entry = submitted_late(contest, unis[0], timezone.now(), django_capture_on_commit_callbacks)

    assert not RoundEntry.objects.filter(entry=entry).exists()
    assert entries_without_round(contest) == [entry]


# --- A shortlist round follows the shortlist -----------------------------------------------------


def test_round_from_a_shortlist_follows_changes_of_the_shortlist(contest, organiser, unis):
    criteria_for(contest, 4)
    jurors = [juror_in(contest, unis[index]) for index in (1, 2, 3)]
    a, b, c = (entry_from(contest, unis[0]) for _n in range(3))
    first = round_of(contest, [a, b, c], jurors, k=1, status=RoundStatus.CLOSED)
    round_shortlist(actor=organiser, round=first, entries=[a, b])
    final = round_create(actor=organiser, contest=contest, name_en="Final", reviews_per_entry=2, source_round=first)
    round_open(actor=organiser, round=final)
    assert sorted(RoundEntry.objects.filter(round=final).values_list("entry_id", flat=True)) == [a.pk, b.pk]

    round_shortlist(actor=organiser, round=first, entries=[a, c])

    assert sorted(RoundEntry.objects.filter(round=final).values_list("entry_id", flat=True)) == [a.pk, c.pk]
    assert jurors_of(final, b) == []
    assert len(jurors_of(final, c)) == 2


def test_shortlist_change_dropping_an_entry_with_reviews_in_the_next_round_is_refused(contest, organiser, unis):
    (criterion,) = criteria_for(contest, 4)
    jurors = [juror_in(contest, unis[index]) for index in (1, 2)]
    a, b = (entry_from(contest, unis[0]) for _n in range(2))
    first = round_of(contest, [a, b], jurors, k=1, status=RoundStatus.CLOSED)
    round_shortlist(actor=organiser, round=first, entries=[a, b])
    final = round_create(actor=organiser, contest=contest, name_en="Final", reviews_per_entry=1, source_round=first)
    round_open(actor=organiser, round=final)
    juror = Assignment.objects.get(round=final, entry=b).juror
    review_save_draft(actor=juror.user, round=final, entry=b, scores={criterion.pk: 2})

    with pytest.raises(BaigeError) as refused:
        round_shortlist(actor=organiser, round=first, entries=[a])

    assert str(refused.value) == f"Round “Final” already has reviews of {b.code}: they cannot leave the shortlist."
    assert list(
        RoundEntry.objects.filter(round=first, shortlisted=True).order_by("entry_id").values_list("entry_id", flat=True)
    ) == [a.pk, b.pk]


# --- Closing, finalising and publishing with entries in no round -------------------------------


def unjudged_entry(contest):  # type: ignore[no-untyped-def]
    return entry_from(contest, UniversityFactory(), title="Forgotten lesson")


def test_round_close_with_an_entry_in_no_round_is_refused_with_its_list_unless_confirmed(contest, organiser, unis):
    criteria_for(contest, 4)
    entry = entry_from(contest, unis[0])
    round = round_of(contest, [entry], [juror_in(contest, unis[1])], k=1)
    forgotten = unjudged_entry(contest)

    with pytest.raises(UnjudgedEntries) as refused:
        round_close(actor=organiser, round=round)

    assert str(refused.value) == (
        f"1 submitted entry is in no round and would never be judged: {forgotten.code} “Forgotten lesson”. "
        "Confirm to go on anyway."
    )
    assert refused.value.entries == [forgotten]
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN

    round_close(actor=organiser, round=round, confirm_unjudged=True)
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED


def test_results_finalise_with_an_entry_in_no_round_is_refused_unless_confirmed(contest):
    judged = judged_round(contest)
    unjudged_entry(contest)

    with pytest.raises(UnjudgedEntries):
        results_finalise(actor=judged["organiser"], round=judged["round"])
    assert not hasattr(Round.objects.get(pk=judged["round"].pk), "results")

    results = results_finalise(actor=judged["organiser"], round=judged["round"], confirm_unjudged=True)
    assert results.round_id == judged["round"].pk


def test_results_publish_by_an_organiser_with_an_entry_in_no_round_is_refused_unless_confirmed(contest, organiser):
    finalised = finalised_round(contest)
    forgotten = unjudged_entry(contest)

    with pytest.raises(UnjudgedEntries) as refused:
        results_publish(actor=organiser, results=finalised.results)
    assert refused.value.entries == [forgotten]
    finalised.results.refresh_from_db()
    assert finalised.results.published_at is None

    report = results_publish(actor=organiser, results=finalised.results, confirm_unjudged=True)
    assert len(report.created) == 3
    # Baige publishing at the announced time is not stopped: the organiser confirmed when finalising.
    assert results_publish(actor=None, results=finalised.results).unchanged != []


# --- A round that has not been opened --------------------------------------------------------------


def test_review_in_a_round_never_opened_says_not_open_yet_without_a_past_date(contest, unis):
    (criterion,) = criteria_for(contest, 4)
    entry = entry_from(contest, unis[0])
    juror = juror_in(contest, unis[1])
    round = round_of(contest, [entry], [juror], k=1, status=RoundStatus.DRAFT)
    Round.objects.filter(pk=round.pk).update(opens_at=timezone.now() - timedelta(days=300))
    Assignment.objects.create(round=round, juror=juror, entry=entry)

    with pytest.raises(BaigeError) as refused:
        review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 1})

    assert str(refused.value) == "Round “Round 1” is not open yet."


def test_entries_imported_as_submitted_join_the_open_first_round_with_their_jurors(
    contest, opened, quiz_nomination, tmp_path, django_capture_on_commit_callbacks
):
    round = opened["round"]
    rows = [
        {
            "email": "aigerim@example.org",
            "full_name": "Aigerim Sadykova",
            "university": "New University",
            "programme": "Pedagogy",
            "country": "KZ",
            "title": "Fractions with Wordwall",
            "nomination": "quiz",
            "platforms": "Wordwall",
        },
        {
            "email": "bakyt@example.org",
            "full_name": "Bakyt Osmonov",
            "university": "New University",
            "programme": "Pedagogy",
            "country": "KZ",
            "title": "Drafted",
            "nomination": "quiz",
            "platforms": "Wordwall",
            "status": "draft",
        },
    ]
    path = tmp_path / "entries.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ALL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as stream:
        entries_import(actor=None, contest=contest, stream=stream, media_dir=tmp_path)

    imported = Entry.objects.get(contest=contest, title="Fractions with Wordwall")
    drafted = Entry.objects.get(contest=contest, title="Drafted")
    assert RoundEntry.objects.filter(round=round, entry=imported).exists()
    assert len(jurors_of(round, imported)) == 2
    assert not RoundEntry.objects.filter(entry=drafted).exists()


def test_entries_rounds_follow_task_run_twice_or_for_a_deleted_entry_changes_nothing_more(
    contest, opened, unis, django_capture_on_commit_callbacks
):
    round = opened["round"]
    _author, entry = submitted_late(contest, unis[0], timezone.now(), django_capture_on_commit_callbacks)
    before = sorted(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))

    assert entries_rounds_follow.delay(entry_ids=[entry.pk, 999_999]).get() == 0

    assert sorted(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id")) == before
    assert RoundEntry.objects.filter(round=round).count() == 5
