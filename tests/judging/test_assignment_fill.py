"""assignment_fill: the jurors an entry lacks in a round, through the assignment's rules."""

from __future__ import annotations

from collections import Counter

import pytest

from config.exceptions import BaigeError, NotAllowed
from judging.assignment import assignment_fill, conflicting_pairs
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Assignment, AssignmentRemoval, Conflict, RoundEntry
from judging.selectors.jury import juror_conflict_reason
from tests.factories import UniversityFactory
from tests.judging import entry_from, juror_in, round_of


def pairs_of(round, entry):  # type: ignore[no-untyped-def]
    return sorted(Assignment.objects.filter(round=round, entry=entry).values_list("juror_id", flat=True))


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory() for _n in range(4)]


def test_assignment_fill_gives_a_new_entry_the_least_loaded_jurors_without_a_conflict(contest, unis):
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[2]), juror_in(contest, unis[3]), juror_in(contest)]
    old = [entry_from(contest, unis[0]) for _n in range(3)]
    round = round_of(contest, old, jurors, k=2)
    # Loads before: juror 0 has 3 entries, juror 1 has 2, jurors 2 and 3 none.
    for entry in old:
        Assignment.objects.create(round=round, entry=entry, juror=jurors[0])
    for entry in old[:2]:
        Assignment.objects.create(round=round, entry=entry, juror=jurors[1])
    late = entry_from(contest, unis[3])  # juror 2 is from its author's university
    RoundEntry.objects.create(round=round, entry=late)

    filled = assignment_fill(actor=None, round=round, entries=[late])

    assert pairs_of(round, late) == [jurors[1].pk, jurors[3].pk]
    assert filled.short == {}
    assert len(filled.created) == 2
    # The other entries are untouched.
    assert Assignment.objects.filter(round=round).count() == 7


def test_assignment_fill_keeps_manual_assignments_and_counts_them_towards_k(contest, unis, organiser):
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[2]), juror_in(contest, unis[3])]
    entry = entry_from(contest, unis[0])
    round = round_of(contest, [entry], jurors, k=2)
    Assignment.objects.create(round=round, entry=entry, juror=jurors[2], origin=AssignmentOrigin.MANUAL)
    AssignmentRemoval.objects.create(round=round, entry=entry, juror=jurors[0])

    filled = assignment_fill(actor=organiser, round=round)

    assert pairs_of(round, entry) == [jurors[1].pk, jurors[2].pk]
    assert Assignment.objects.get(round=round, entry=entry, juror=jurors[2]).origin == AssignmentOrigin.MANUAL
    assert filled.created == [(entry.pk, jurors[1].pk)]
    assert filled.short == {}


def test_assignment_fill_when_too_few_jurors_are_free_gives_what_it_can_and_reports_the_shortage(contest, unis):
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[0]), juror_in(contest, unis[2], max_load=0)]
    entry = entry_from(contest, unis[0])
    declared = entry_from(contest, unis[3])
    Conflict.objects.create(juror=jurors[0], entry=declared)
    round = round_of(contest, [entry, declared], jurors, k=2)

    filled = assignment_fill(actor=None, round=round)

    assert pairs_of(round, entry) == [jurors[0].pk]
    assert pairs_of(round, declared) == [jurors[1].pk]
    assert filled.short == {entry.pk: 1, declared.pk: 1}


def test_assignment_fill_is_idempotent(contest, unis):
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[2]), juror_in(contest, unis[3])]
    entries = [entry_from(contest, unis[0]) for _n in range(4)]
    round = round_of(contest, entries, jurors, k=2)

    first = assignment_fill(actor=None, round=round)
    again = assignment_fill(actor=None, round=round)

    assert len(first.created) == 8
    loads = Counter(Assignment.objects.filter(round=round).values_list("juror_id", flat=True))
    assert sorted(loads.values()) == [2, 3, 3]
    assert again.created == []
    assert Assignment.objects.filter(round=round).count() == 8


def test_assignment_fill_for_every_juror_rounds_adds_each_juror_without_a_conflict(contest, unis):
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[0]), juror_in(contest, unis[2])]
    entry = entry_from(contest, unis[0])
    round = round_of(contest, [entry], jurors, k=None)

    filled = assignment_fill(actor=None, round=round)

    assert pairs_of(round, entry) == [jurors[0].pk, jurors[2].pk]
    assert filled.short == {}


def test_assignment_fill_of_a_closed_round_or_by_a_non_organiser_is_refused(contest, unis, juror, participant):
    entry = entry_from(contest, unis[0])
    round = round_of(contest, [entry], [juror_in(contest, unis[1])], k=1, status=RoundStatus.CLOSED)

    with pytest.raises(BaigeError) as refused:
        assignment_fill(actor=None, round=round)
    assert str(refused.value) == "Round “Round 1” is closed: its assignments can no longer change."
    for actor in (juror, participant):
        with pytest.raises(NotAllowed):
            assignment_fill(actor=actor, round=round)
    assert Assignment.objects.count() == 0


def test_conflicting_pairs_agrees_with_the_single_check_in_constant_queries(contest, django_assert_max_num_queries):
    """Same university, a declared university, a declared entry, the juror's own entry, and no conflict at all."""
    taraz, zhetysu, other = (UniversityFactory() for _n in range(3))
    same, declares_university, declares_entry, writer, free = (
        juror_in(contest, university, name=name)
        for university, name in ((taraz, "Same"), (other, "Uni"), (other, "Entry"), (other, "Writer"), (other, "Free"))
    )
    entries = [entry_from(contest, taraz), entry_from(contest, zhetysu)]
    Conflict.objects.create(juror=declares_university, university=zhetysu)
    Conflict.objects.create(juror=declares_entry, entry=entries[0], code=entries[0].code)
    entries[1].author = writer.user
    entries[1].save(update_fields=["author"])
    jurors = [same, declares_university, declares_entry, writer, free]
    pairs = [(entry.pk, juror.pk) for entry in entries for juror in jurors]

    with django_assert_max_num_queries(8):
        found = conflicting_pairs(pairs)

    expected = {
        (entry.pk, juror.pk) for entry in entries for juror in jurors if juror_conflict_reason(juror, entry) is not None
    }
    assert (
        found
        == expected
        == {
            (entries[0].pk, same.pk),
            (entries[0].pk, declares_entry.pk),
            (entries[1].pk, declares_university.pk),
            (entries[1].pk, writer.pk),
        }
    )
