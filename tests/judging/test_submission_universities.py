"""A participant who changes university after submitting does not change their entry's: every reader uses the record."""

import pytest

from contest.models import CoAuthor, Entry, ParticipantProfile
from contest.selectors import contest_entry_counts
from contest.services import entry_submit, entry_withdraw
from contest.statistics import participant_columns, platform_table
from judging.assignment import assignment_run
from judging.enums import RoundStatus
from judging.models import Assignment
from judging.selectors.jury import entry_universities, juror_conflict_reason
from judging.services.publication import entry_universities_named
from tests.factories import EntryFactory, ProfileFactory, UniversityFactory
from tests.judging import juror_in, round_of


@pytest.fixture
def moved(contest, platforms):  # type: ignore[no-untyped-def]
    """An entry submitted from Taraz by a participant who then moved their profile to Almaty."""
    taraz = UniversityFactory(slug="taraz", name="Taraz University", name_en="Taraz University")
    almaty = UniversityFactory(slug="almaty", name="Almaty University", name_en="Almaty University")
    author = ProfileFactory(university=taraz).user
    entry = EntryFactory(contest=contest, author=author, platforms=platforms[:1], with_media=True)
    entry_submit(actor=author, entry=entry)
    ParticipantProfile.objects.filter(user=author).update(university=almaty)
    return {"entry": entry, "author": author, "taraz": taraz, "almaty": almaty}


def test_entry_universities_are_the_submission_time_ones(moved):
    entry = moved["entry"]
    assert entry_universities([entry.pk]) == {entry.pk: {moved["taraz"].pk}}


def test_conflicts_follow_the_submission_time_university(contest, moved):
    from_taraz = juror_in(contest, moved["taraz"], name="Taraz teacher")
    from_almaty = juror_in(contest, moved["almaty"], name="Almaty teacher")
    assert juror_conflict_reason(from_taraz, moved["entry"]) == (
        "Taraz teacher is from the same university as an author of this entry."
    )
    assert juror_conflict_reason(from_almaty, moved["entry"]) is None


def test_assignment_follows_the_submission_time_university(contest, moved):
    from_taraz = juror_in(contest, moved["taraz"], name="Taraz teacher")
    from_almaty = juror_in(contest, moved["almaty"], name="Almaty teacher")
    round = round_of(contest, [moved["entry"]], [from_taraz, from_almaty], k=None, status=RoundStatus.DRAFT)

    assignment_run(actor=None, round=round, seed=1)

    assert list(Assignment.objects.filter(round=round).values_list("juror_id", flat=True)) == [from_almaty.pk]


def test_statistics_follow_the_submission_time_university(contest, moved):
    columns = participant_columns(contest=contest)
    assert [(column.key, column.participants) for column in columns] == [("taraz", 1), ("total", 1)]
    table = platform_table(contest=contest, columns=columns)
    counts = {row.platform.name: [share.count for share in row.shares] for row in table.rows}
    assert counts == {"Wordwall": [1, 1], "Canva": [0, 0]}
    assert contest_entry_counts(contest)["universities"] == 1


def test_blog_names_the_submission_time_university(contest, moved):
    other = UniversityFactory(name="Gamma University", name_en="Gamma University")
    CoAuthor.objects.create(entry=moved["entry"], full_name="Co", university=other, order=0)
    entry = Entry.objects.select_related("author__profile").prefetch_related("coauthors__university")
    assert entry_universities_named(entry.get(pk=moved["entry"].pk)) == ["Taraz University", "Gamma University"]


def test_resubmission_moves_the_entry_to_the_new_university(contest, moved):
    from_almaty = juror_in(contest, moved["almaty"], name="Almaty teacher")
    entry = entry_withdraw(actor=moved["author"], entry=moved["entry"])
    entry_submit(actor=moved["author"], entry=entry)
    assert entry_universities([entry.pk]) == {entry.pk: {moved["almaty"].pk}}
    assert juror_conflict_reason(from_almaty, entry) == (
        "Almaty teacher is from the same university as an author of this entry."
    )
    assert [column.key for column in participant_columns(contest=contest)] == ["almaty", "total"]
