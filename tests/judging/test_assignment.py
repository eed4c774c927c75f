"""The assignment algorithm on plain ids: examples, and properties over random small contests."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.assignment import EntryInput, Infeasible, JurorInput, Plan, Problem, assign


def E(pk: int, *universities: int, platforms: tuple[int, ...] = ()) -> EntryInput:  # noqa: N802
    return EntryInput(id=pk, universities=frozenset(universities), platforms=frozenset(platforms))


def J(  # noqa: N802
    pk: int,
    university: int | None = None,
    *,
    cap: int | None = None,
    entries: tuple[int, ...] = (),
    universities: tuple[int, ...] = (),
) -> JurorInput:
    return JurorInput(
        id=pk,
        university=university,
        cap=cap,
        conflict_entries=frozenset(entries),
        conflict_universities=frozenset(universities),
    )


def jurors_of(plan: Plan) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for entry, juror in plan.pairs:
        found[entry].append(juror)
    return {entry: sorted(jurors) for entry, jurors in found.items()}


def conflicts(entry: EntryInput, juror: JurorInput) -> bool:
    return (
        (juror.university is not None and juror.university in entry.universities)
        or entry.id in juror.conflict_entries
        or bool(juror.conflict_universities & entry.universities)
    )


# --- Examples ----------------------------------------------------------------------------------


def test_assign_when_no_conflicts_gives_k_distinct_jurors_and_even_loads():
    entries = [E(pk) for pk in range(1, 11)]
    jurors = [J(pk) for pk in range(101, 105)]

    plan = assign(entries=entries, jurors=jurors, k=3, seed=1)

    assert sorted(jurors_of(plan)) == list(range(1, 11))
    assert all(len(set(found)) == 3 for found in jurors_of(plan).values())
    assert sorted(plan.loads.values()) == [7, 7, 8, 8]
    assert len(plan.pairs) == 30
    assert plan.kept == 0


def test_assign_when_authors_share_a_university_never_picks_a_juror_from_it():
    entries = [E(1, 10), E(2, 20), E(3, 10, 20), E(4, 30)]
    jurors = [J(101, 10), J(102, 20), J(103, 30), J(104, 40)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=3)

    found = jurors_of(plan)
    assert found[3] == [103, 104]  # a co-author from university 20 rules out juror 102 as well
    assert 101 not in found[1] and 102 not in found[2] and 103 not in found[4]
    assert plan.loads == {101: 2, 102: 2, 103: 2, 104: 2}


def test_assign_when_conflicts_are_declared_avoids_them():
    entries = [E(1), E(2, 7), E(3)]
    jurors = [J(101, entries=(1,)), J(102, universities=(7,)), J(103), J(104)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=5)

    found = jurors_of(plan)
    assert 101 not in found[1]
    assert 102 not in found[2]
    assert sorted(plan.loads.values()) == [1, 1, 2, 2]


def test_assign_when_run_twice_with_the_same_seed_gives_the_same_assignment():
    entries = [E(pk, pk % 4, platforms=(pk % 5,)) for pk in range(1, 61)]
    jurors = [J(100 + pk, pk % 5) for pk in range(12)]

    first = assign(entries=entries, jurors=jurors, k=3, seed=42)
    again = assign(entries=list(reversed(entries)), jurors=list(reversed(jurors)), k=3, seed=42)
    other = assign(entries=entries, jurors=jurors, k=3, seed=43)

    assert first.pairs == again.pairs
    assert sorted(first.pairs) != sorted(other.pairs)


def test_assign_when_caps_are_set_keeps_each_juror_within_theirs_and_levels_the_others():
    entries = [E(pk) for pk in range(1, 21)]
    jurors = [J(101, cap=2), J(102, cap=5), J(103), J(104), J(105)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=9)

    assert plan.loads == {101: 2, 102: 5, 103: 11, 104: 11, 105: 11}


def test_assign_when_platforms_repeat_spreads_each_platform_over_the_jurors():
    entries = [E(pk, platforms=(pk % 3,)) for pk in range(60)]
    jurors = [J(100 + pk) for pk in range(6)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=11)

    per_juror: dict[int, Counter[int]] = defaultdict(Counter)
    for entry, juror in plan.pairs:
        per_juror[juror][entry % 3] += 1
    assert set(plan.loads.values()) == {20}
    # Each juror reviews 20 entries of three equally common platforms: 6 or 7 of each.
    assert all(set(counts.values()) <= {6, 7} and len(counts) == 3 for counts in per_juror.values())


def test_assign_when_pairs_are_fixed_keeps_and_counts_them_and_skips_forbidden_ones():
    entries = [E(1), E(2), E(3)]
    jurors = [J(101), J(102), J(103)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=1, fixed=[(1, 101), (1, 102)], forbidden=[(2, 101)])

    found = jurors_of(plan)
    assert 1 not in found  # already has its two jurors
    assert found[2] == [102, 103]
    assert plan.kept == 2
    assert plan.loads == {101: 2, 102: 2, 103: 2}
    assert sorted(plan.pairs) == sorted([(2, 102), (2, 103), (3, 101), (3, 103)])


def test_assign_when_pairs_name_people_outside_the_round_ignores_them():
    plan = assign(
        entries=[E(1), E(2)],
        jurors=[J(101), J(102)],
        k=2,
        seed=1,
        fixed=[(1, 999), (3, 101)],
        forbidden=[(1, 998), (2, 997)],
    )

    assert jurors_of(plan) == {1: [101, 102], 2: [101, 102]}
    assert plan.kept == 0


def test_assign_when_every_juror_scores_every_entry_skips_only_conflicts():
    entries = [E(1, 10), E(2, 20)]
    jurors = [J(101, 10), J(102, 20), J(103)]

    plan = assign(entries=entries, jurors=jurors, k=None, seed=1)

    assert jurors_of(plan) == {1: [102, 103], 2: [101, 103]}
    assert plan.loads == {101: 1, 102: 1, 103: 2}


def test_assign_when_every_juror_would_exceed_a_cap_refuses_naming_the_juror():
    with pytest.raises(Infeasible) as refused:
        assign(entries=[E(1), E(2)], jurors=[J(101, cap=1), J(102)], k=None, seed=1)

    assert refused.value.problems == [Problem("would review 2 entries, more than their limit of 1", juror=101)]


def test_assign_when_an_entry_has_too_few_jurors_without_a_conflict_names_it_and_why():
    entries = [E(1, 10), E(2, 20)]
    jurors = [J(101, 10), J(102, 20), J(103, entries=(1,))]

    with pytest.raises(Infeasible) as refused:
        assign(entries=entries, jurors=jurors, k=2, seed=1)

    assert refused.value.problems == [
        Problem(
            "only 1 more juror can be assigned, 2 needed "
            "(of the round's 3 jurors, 1 is from an author's university; 1 declared a conflict)",
            entry=1,
        )
    ]
    assert str(refused.value) == (
        "The jurors cannot be assigned:\n"
        "  Entry #1: only 1 more juror can be assigned, 2 needed "
        "(of the round's 3 jurors, 1 is from an author's university; 1 declared a conflict)"
    )


def test_assign_when_entries_compete_for_capped_jurors_names_every_entry_of_the_group():
    entries = [E(1, 1), E(2, 1), E(3, 1), E(4, 2)]
    jurors = [J(101, 2, cap=2), J(102, 3, cap=2), J(103, 1)]

    with pytest.raises(Infeasible) as refused:
        assign(entries=entries, jurors=jurors, k=2, seed=1)

    reason = "it and 3 other entries need 8 more reviews, but the jurors free to review them reach their limits after 5"
    assert refused.value.problems == [Problem(reason, entry=pk, jurors=(101, 102)) for pk in (1, 2, 3, 4)]
    labelled = refused.value.with_labels(entry_labels={1: "AAA111"}, juror_labels={101: "Dana", 102: "Arman"})
    assert str(labelled).splitlines()[1] == f"  AAA111: {reason} — jurors: Dana, Arman"


def test_assign_when_caps_are_too_small_overall_reports_the_shortfall():
    with pytest.raises(Infeasible) as refused:
        assign(entries=[E(pk) for pk in range(1, 5)], jurors=[J(101, cap=3), J(102, cap=2)], k=2, seed=1)

    assert refused.value.problems == [Problem("the jurors' limits allow 5 more reviews, but 8 are needed")]


def test_assign_when_k_exceeds_the_jury_refuses_once_for_the_round():
    with pytest.raises(Infeasible) as refused:
        assign(entries=[E(1), E(2)], jurors=[J(101), J(102)], k=3, seed=1)

    assert refused.value.problems == [Problem("3 reviews per entry were asked for, but the round has only 2 jurors")]


def test_assign_when_conflicts_force_imbalance_levels_everyone_else():
    # Entries of university 1 can only go to the two jurors of university 2, so they carry more.
    entries = [E(pk, 1) for pk in range(1, 9)] + [E(pk, 2) for pk in range(9, 11)]
    jurors = [J(101, 2), J(102, 2), J(103, 1), J(104, 1), J(105, 1)]

    plan = assign(entries=entries, jurors=jurors, k=2, seed=2)

    assert (plan.loads[101], plan.loads[102]) == (8, 8)
    assert sorted(plan.loads.values()) == [1, 1, 2, 8, 8]


def test_assign_when_three_hundred_entries_and_twenty_jurors_meets_every_rule():
    rng = random.Random(7)
    entries = [
        EntryInput(
            id=pk,
            universities=frozenset(rng.sample(range(5), rng.choice([1, 1, 1, 2]))),
            platforms=frozenset(rng.sample(range(12), rng.choice([1, 2, 3]))),
        )
        for pk in range(1, 301)
    ]
    jurors = [J(1000 + pk, pk % 6, cap=40 if pk % 7 == 0 else None) for pk in range(20)]

    plan = assign(entries=entries, jurors=jurors, k=3, seed=2025)

    check_plan(entries, jurors, 3, plan, fixed=set(), forbidden=set())
    uncapped = [plan.loads[j.id] for j in jurors if j.cap is None]
    assert max(uncapped) - min(uncapped) <= 1


# --- Properties --------------------------------------------------------------------------------


def max_flow_coverable(
    entries: list[EntryInput],
    jurors: list[JurorInput],
    k: int,
    fixed: set[tuple[int, int]],
    forbidden: set[tuple[int, int]],
) -> bool:
    """Independent check (Edmonds–Karp on the entry-level graph): can every entry get its k jurors?"""
    fixed_of: dict[int, set[int]] = defaultdict(set)
    used = Counter[int]()
    for entry, juror in fixed:
        fixed_of[entry].add(juror)
        used[juror] += 1
    capacity: dict[tuple[str, str], int] = defaultdict(int)
    needed = 0
    for e in entries:
        need = max(0, k - len(fixed_of[e.id]))
        needed += need
        capacity["source", f"e{e.id}"] = need
        for j in jurors:
            if not conflicts(e, j) and j.id not in fixed_of[e.id] and (e.id, j.id) not in forbidden:
                capacity[f"e{e.id}", f"j{j.id}"] = 1
    for j in jurors:
        capacity[f"j{j.id}", "sink"] = needed if j.cap is None else max(0, j.cap - used[j.id])
    neighbours: dict[str, set[str]] = defaultdict(set)
    for tail, head in list(capacity):
        neighbours[tail].add(head)
        neighbours[head].add(tail)
    flow = 0
    while True:
        parent = {"source": ""}
        queue = ["source"]
        for node in queue:
            for head in sorted(neighbours[node]):
                if head not in parent and capacity[node, head] > 0:
                    parent[head] = node
                    queue.append(head)
        if "sink" not in parent:
            return flow == needed
        node = "sink"
        while node != "source":
            capacity[parent[node], node] -= 1
            capacity[node, parent[node]] += 1
            node = parent[node]
        flow += 1


def check_plan(
    entries: list[EntryInput],
    jurors: list[JurorInput],
    k: int,
    plan: Plan,
    *,
    fixed: set[tuple[int, int]],
    forbidden: set[tuple[int, int]],
) -> None:
    """Every rule the assignment promises, checked on its result."""
    by_id = {j.id: j for j in jurors}
    pairs = set(plan.pairs)
    assert len(pairs) == len(plan.pairs), "a pair was made twice"
    assert not pairs & fixed
    assert not pairs & forbidden
    for entry in entries:
        new = [j for e, j in plan.pairs if e == entry.id]
        old = [j for e, j in fixed if e == entry.id]
        assert len(new) == max(0, k - len(old))
        assert not any(conflicts(entry, by_id[j]) for j in new)
    loads = Counter(j for _e, j in [*plan.pairs, *fixed])
    assert plan.loads == {j.id: loads[j.id] for j in jurors}
    for juror in jurors:
        if juror.cap is not None:
            added = loads[juror.id] - sum(1 for _e, j in fixed if j == juror.id)
            assert loads[juror.id] <= juror.cap or added == 0
    # As even as possible: no chain of exchanges moves a review from a juror to one with two fewer.
    holders: dict[int, set[int]] = defaultdict(set)
    for e, j in [*plan.pairs, *fixed]:
        holders[e].add(j)
    entry_by_id = {e.id: e for e in entries}
    for heavy in jurors:
        reach = {heavy.id}
        queue = [heavy.id]
        for giver in queue:
            for e, j in plan.pairs:
                if j != giver:
                    continue
                for taker in jurors:
                    if (
                        taker.id not in reach
                        and taker.id not in holders[e]
                        and (e, taker.id) not in forbidden
                        and not conflicts(entry_by_id[e], taker)
                    ):
                        reach.add(taker.id)
                        queue.append(taker.id)
        for light in jurors:
            if light.id in reach and light.id != heavy.id and loads[light.id] <= loads[heavy.id] - 2:
                assert light.cap is not None and loads[light.id] >= light.cap, (heavy, light, plan.loads)


@st.composite
def contests(draw: st.DrawFn) -> dict:
    universities = draw(st.integers(1, 4))
    entry_count = draw(st.integers(0, 14))
    entries = [
        EntryInput(
            id=pk,
            universities=frozenset(draw(st.sets(st.integers(0, universities - 1), min_size=1, max_size=2))),
            platforms=frozenset(draw(st.sets(st.integers(0, 3), min_size=1, max_size=2))),
        )
        for pk in range(1, entry_count + 1)
    ]
    juror_count = draw(st.integers(1, 7))
    ids = list(range(1, entry_count + 1))
    jurors = [
        JurorInput(
            id=100 + pk,
            university=draw(st.one_of(st.none(), st.integers(0, universities))),
            cap=draw(st.one_of(st.none(), st.none(), st.integers(0, 12))),
            conflict_entries=frozenset(draw(st.sets(st.sampled_from(ids), max_size=2)) if ids else ()),
            conflict_universities=frozenset(draw(st.sets(st.integers(0, universities - 1), max_size=1))),
        )
        for pk in range(juror_count)
    ]
    possible = [(e.id, j.id) for e in entries for j in jurors if not conflicts(e, j)]
    fixed = set(draw(st.sets(st.sampled_from(possible), max_size=4))) if possible else set()
    every_pair = [(e.id, j.id) for e in entries for j in jurors]
    forbidden = set(draw(st.sets(st.sampled_from(every_pair), max_size=3))) - fixed if every_pair else set()
    return {
        "entries": entries,
        "jurors": jurors,
        "k": draw(st.integers(1, 3)),
        "seed": draw(st.integers(0, 2**32)),
        "fixed": fixed,
        "forbidden": forbidden,
    }


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(contests())
def test_assign_on_random_contests_meets_every_rule_or_refuses_only_when_impossible(contest):
    entries, jurors, k = contest["entries"], contest["jurors"], contest["k"]
    fixed, forbidden = contest["fixed"], contest["forbidden"]
    # A round without entries needs nobody; otherwise k jurors must exist and the flow must cover every entry.
    coverable = not entries or (k <= len(jurors) and max_flow_coverable(entries, jurors, k, fixed, forbidden))

    try:
        plan = assign(entries=entries, jurors=jurors, k=k, seed=contest["seed"], fixed=fixed, forbidden=forbidden)
    except Infeasible as refused:
        assert not coverable
        assert refused.problems
        assert {p.entry for p in refused.problems if p.entry is not None} <= {e.id for e in entries}
        return

    assert coverable
    check_plan(entries, jurors, k, plan, fixed=fixed, forbidden=forbidden)
    again = assign(entries=entries, jurors=jurors, k=k, seed=contest["seed"], fixed=fixed, forbidden=forbidden)
    assert again.pairs == plan.pairs


@settings(max_examples=150, deadline=None, database=None)
@given(
    entry_count=st.integers(1, 25),
    juror_count=st.integers(3, 9),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**32),
)
def test_assign_without_conflicts_or_caps_keeps_loads_within_one(entry_count, juror_count, k, seed):
    entries = [E(pk, 1, platforms=(pk % 4,)) for pk in range(1, entry_count + 1)]
    jurors = [J(100 + pk, 2) for pk in range(juror_count)]

    plan = assign(entries=entries, jurors=jurors, k=k, seed=seed)

    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1
    assert sum(plan.loads.values()) == k * entry_count
