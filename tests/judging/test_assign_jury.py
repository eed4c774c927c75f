import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.exceptions import NotAllowed
from judging.assignment import Infeasible, assignment_run
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Assignment, AssignmentRemoval, Conflict, Review, Round
from judging.selectors.jury import entry_universities
from judging.services.assignments import assignment_add, assignment_remove
from judging.services.reviews import review_save_draft
from tests.factories import PlatformFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


def assign_jury(contest, *arguments: str) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("assign_jury", "--contest", contest.slug, *arguments, stdout=out)
    return out.getvalue()


def pairs(round: Round) -> set[tuple[int, int]]:
    return set(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))


@pytest.fixture
def jury(contest):  # type: ignore[no-untyped-def]
    """Four universities; nine entries (co-authors from another university on two); four jurors."""
    unis = [UniversityFactory(name=f"U{n}", name_en=f"U{n}") for n in range(4)]
    entries = [entry_from(contest, unis[n % 3]) for n in range(7)]
    entries += [entry_from(contest, unis[0], coauthors=[unis[1]]), entry_from(contest, unis[2], coauthors=[unis[3]])]
    jurors = [juror_in(contest, unis[n], name=f"Juror {n}") for n in range(4)]
    round = round_of(contest, entries, jurors, k=2, status=RoundStatus.DRAFT)
    return {"unis": unis, "entries": entries, "jurors": jurors, "round": round}


def test_assign_jury_gives_each_entry_k_jurors_without_conflicts_and_prints_the_loads(contest, jury):
    output = assign_jury(contest, "--round", "1", "--k", "2", "--seed", "7")

    round = Round.objects.get(pk=jury["round"].pk)
    universities = entry_universities([e.pk for e in jury["entries"]])
    by_entry = defaultdict(set)
    for entry_id, juror_id in pairs(round):
        by_entry[entry_id].add(juror_id)
    university_of = {j.pk: j.university_id for j in jury["jurors"]}
    assert {entry: len(found) for entry, found in by_entry.items()} == {e.pk: 2 for e in jury["entries"]}
    assert all(university_of[j] not in universities[e] for e, found in by_entry.items() for j in found)
    loads = Counter(juror for _entry, juror in pairs(round))
    assert sorted(loads.values()) == [4, 4, 5, 5]
    assert (round.reviews_per_entry, round.assignment_seed) == (2, 7)
    assert round.assigned_at is not None
    assert set(Assignment.objects.values_list("origin", flat=True)) == {AssignmentOrigin.AUTOMATIC}
    lines = output.splitlines()
    assert lines[:4] == [
        "Assigned.",
        "Round 1 “Round 1”: 2 reviews per entry, seed 7.",
        "18 new assignments, 0 kept, 0 automatic ones replaced.",
        "Entries per juror:",
    ]
    assert lines[4:] == [f"  {loads[j.pk]:>5}  Juror {n} (no limit)" for n, j in enumerate(jury["jurors"])]


def test_assign_jury_with_the_same_seed_gives_the_same_assignment(contest, jury):
    assign_jury(contest, "--round", "1", "--seed", "11")
    first = pairs(jury["round"])
    assign_jury(contest, "--round", "1", "--seed", "11")
    again = pairs(jury["round"])
    assign_jury(contest, "--round", "1", "--seed", "12")

    assert again == first
    assert Assignment.objects.count() == 18


def test_assign_jury_when_run_again_keeps_manual_and_reviewed_assignments_and_removals(contest, organiser, jury):
    round, entries, jurors = jury["round"], jury["entries"], jury["jurors"]
    criterion = criteria_for(contest, 4)[0]
    assign_jury(contest, "--round", "1", "--seed", "1")
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN)
    round.refresh_from_db()
    reviewed_entry, reviewed_juror = next(pair for pair in sorted(pairs(round)) if pair[0] != entries[0].pk)
    review_save_draft(
        actor=jurors[[j.pk for j in jurors].index(reviewed_juror)].user,
        round=round,
        entry=next(e for e in entries if e.pk == reviewed_entry),
        scores={criterion.pk: 3},
    )
    # By hand: juror 3 (university 3, no entries of their own) takes entry 0; one automatic pair is removed.
    manual_entry = entries[0]
    if (manual_entry.pk, jurors[3].pk) in pairs(round):
        assignment_remove(actor=organiser, round=round, juror=jurors[3], entry=manual_entry)
    assignment_add(actor=organiser, round=round, juror=jurors[3], entry=manual_entry)
    removable = sorted(
        (e, j) for e, j in pairs(round) if (e, j) != (reviewed_entry, reviewed_juror) and e != manual_entry.pk
    )[0]
    removed_entry = next(e for e in entries if e.pk == removable[0])
    removed_juror = next(j for j in jurors if j.pk == removable[1])
    assignment_remove(actor=organiser, round=round, juror=removed_juror, entry=removed_entry)
    replaced = Assignment.objects.filter(origin=AssignmentOrigin.AUTOMATIC).count() - 1  # all but the reviewed one

    output = assign_jury(contest, "--round", "1", "--seed", "99")

    after = pairs(round)
    assert (reviewed_entry, reviewed_juror) in after
    assert (manual_entry.pk, jurors[3].pk) in after
    assert (removed_entry.pk, removed_juror.pk) not in after
    assert Assignment.objects.get(entry=manual_entry, juror=jurors[3]).origin == AssignmentOrigin.MANUAL
    assert Counter(e for e, _j in after) == {e.pk: 2 for e in entries}
    assert Review.objects.count() == 1
    assert (removed_entry.pk, removed_juror.pk) in set(AssignmentRemoval.objects.values_list("entry", "juror"))
    assert f"16 new assignments, 2 kept, {replaced} automatic ones replaced." in output


def test_assign_jury_when_infeasible_lists_the_entries_and_changes_nothing(contest, jury):
    assign_jury(contest, "--round", "1", "--seed", "1")
    before = pairs(jury["round"])
    blocked = jury["entries"][0]
    for juror in jury["jurors"][1:3]:
        Conflict.objects.create(juror=juror, entry=blocked)

    with pytest.raises(CommandError) as refused:
        assign_jury(contest, "--round", "1", "--k", "2", "--seed", "1")

    assert str(refused.value) == (
        "The jurors cannot be assigned:\n"
        f"  {blocked.code} “{blocked.title}”: only 1 more juror can be assigned, 2 needed "
        "(of the round's 4 jurors, 1 is from an author's university; 2 declared a conflict)"
    )
    assert pairs(jury["round"]) == before
    assert Round.objects.get(pk=jury["round"].pk).assignment_seed == 1


def test_assign_jury_when_limits_are_too_tight_names_the_jurors(contest, jury):
    for juror in jury["jurors"]:
        juror.max_load = 2
        juror.save()

    with pytest.raises(CommandError) as refused:
        assign_jury(contest, "--round", "1", "--k", "2")

    assert str(refused.value) == (
        "The jurors cannot be assigned:\n  The round: the jurors' limits allow 8 more reviews, but 18 are needed"
    )
    assert Assignment.objects.count() == 0


def test_assign_jury_dry_run_shows_the_loads_and_saves_nothing(contest, jury):
    output = assign_jury(contest, "--round", "1", "--k", "1", "--dry-run")

    assert output.splitlines()[:3] == [
        "Dry run: nothing was saved.",
        "Round 1 “Round 1”: 1 reviews per entry, seed 0.",
        "9 new assignments, 0 kept, 0 automatic ones replaced.",
    ]
    assert Assignment.objects.count() == 0
    assert Round.objects.get(pk=jury["round"].pk).reviews_per_entry == 2


def test_assign_jury_for_a_missing_or_closed_round_is_refused(contest, jury):
    with pytest.raises(CommandError) as missing:
        assign_jury(contest, "--round", "5")
    Round.objects.filter(pk=jury["round"].pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())

    with pytest.raises(CommandError) as closed:
        assign_jury(contest, "--round", "1")

    assert str(missing.value) == f"There is no round 5 in contest “{contest.slug}”."
    assert str(closed.value) == "Round “Round 1” is closed: its assignments can no longer change."
    assert Assignment.objects.count() == 0


def test_assignment_run_when_every_juror_scores_every_entry_skips_only_conflicts(contest, organiser, jury):
    Round.objects.filter(pk=jury["round"].pk).update(reviews_per_entry=None)
    round = Round.objects.get(pk=jury["round"].pk)

    result = assignment_run(actor=organiser, round=round, seed=3)

    universities = entry_universities([e.pk for e in jury["entries"]])
    expected = {
        (e.pk, j.pk) for e in jury["entries"] for j in jury["jurors"] if j.university_id not in universities[e.pk]
    }
    assert pairs(round) == expected
    assert result.k is None
    assert result.created == len(expected)


def test_assignment_run_by_a_juror_is_refused(contest, jury):
    with pytest.raises(NotAllowed):
        assignment_run(actor=jury["jurors"][0].user, round=jury["round"], seed=1)

    assert Assignment.objects.count() == 0


def test_assignment_run_with_three_hundred_entries_and_twenty_jurors_meets_every_rule(contest, organiser):
    rng = random.Random(5)
    unis = [UniversityFactory() for _ in range(6)]
    platforms = [PlatformFactory(contest=contest) for _ in range(8)]
    entries = [
        entry_from(
            contest,
            unis[rng.randrange(5)],
            coauthors=[unis[rng.randrange(6)]] if rng.random() < 0.1 else [],
            platforms=rng.sample(platforms, rng.choice([1, 2])),
        )
        for _ in range(300)
    ]
    jurors = [juror_in(contest, unis[n % 6], max_load=40 if n % 9 == 0 else None) for n in range(20)]
    round = round_of(contest, entries, jurors, k=3, status=RoundStatus.DRAFT)

    result = assignment_run(actor=organiser, round=round, seed=2025)

    made = pairs(round)
    universities = entry_universities([e.pk for e in entries])
    by_entry = Counter(entry for entry, _juror in made)
    assert set(by_entry.values()) == {3} and len(by_entry) == 300
    assert all(next(j for j in jurors if j.pk == juror).university_id not in universities[e] for e, juror in made)
    loads = {juror.pk: load for juror, load in result.loads}
    capped = [j for j in jurors if j.max_load is not None]
    assert all(loads[j.pk] <= 40 for j in capped)
    uncapped = [loads[j.pk] for j in jurors if j.max_load is None]
    assert max(uncapped) - min(uncapped) <= 1
    assert sum(loads.values()) == 900


def test_infeasible_from_the_core_is_a_domain_error():
    assert issubclass(Infeasible, Exception)
    assert Infeasible([]).code == "assignment_infeasible"


def test_seed_demo_gives_the_demo_a_rubric_and_an_open_assigned_first_round(db):
    from contest.enums import EntryStatus
    from contest.models import Contest, Entry
    from exchange.demo import demo_seed
    from judging.models import Criterion, Juror

    demo_seed()
    counts = (Criterion.objects.count(), Juror.objects.count(), Round.objects.count(), Assignment.objects.count())
    demo_seed()

    contest = Contest.objects.get()
    round = Round.objects.get()
    criteria = list(Criterion.objects.order_by("order").values_list("slug", "weight", "max_score"))
    assert [(slug, str(weight), scale) for slug, weight, scale in criteria] == [
        ("pedagogical-relevance", "2.00", 4),
        ("platform-use", "2.00", 4),
        ("interactivity", "1.50", 4),
        ("creativity", "1.00", 4),
        ("methodological-value", "1.50", 4),
        ("presentation", "1.00", 4),
    ]
    first = Criterion.objects.get(slug="pedagogical-relevance")
    assert (first.name_kk, first.name_ru, first.name_en) == (
        "Педагогикалық маңыздылығы",
        "Педагогическая значимость",
        "Pedagogical relevance",
    )
    assert first.levels.count() == 5
    assert (round.name_en, round.status, round.reviews_per_entry, round.blind, round.assignment_seed) == (
        "Screening round",
        RoundStatus.OPEN,
        2,
        True,
        2025,
    )
    assert round.accepts_reviews() is True
    submitted = set(Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).values_list("pk", flat=True))
    made = pairs(round)
    assert Counter(entry for entry, _juror in made) == {pk: 2 for pk in submitted}
    universities = entry_universities(submitted)
    jurors = {j.pk: j for j in Juror.objects.all()}
    assert all(jurors[juror].university_id not in universities[entry] for entry, juror in made)
    loads = sorted(Counter(juror for _entry, juror in made).values())
    assert loads[-1] - loads[0] <= 1
    assert (Criterion.objects.count(), Juror.objects.count(), Round.objects.count(), Assignment.objects.count()) == (
        counts
    )
    assert counts == (6, 3, 1, 2 * len(submitted))
