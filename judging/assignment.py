"""Automatic assignment of jurors to entries.

The core, :func:`assign`, is plain Python on ids; :func:`assignment_run` loads a round from the
database, calls it and saves the result.

It is a flow problem, as in HotCRP's autoassigner: source → entry (k reviews) → juror (one
review per entry, only without a conflict) → sink (the juror's load, at most their cap). Entries
that no juror tells apart — the same jurors have a conflict with them and they need the same
number of reviews — are merged into one *class* first, which shrinks 10,000 entries to a few
dozen nodes. On that small network:

1. Loads are levelled by water-filling: every juror gets the same number of reviews (±1), as
   far as the caps allow, and a max flow (Dinic) checks that the levels can be met. Where
   conflicts make that impossible, the levels are raised step by step until every entry is
   covered, or the flow proves that it cannot be (the minimum cut names the entries).
2. Loads are then evened out exactly: while a juror has two or more reviews more than another
   who has room, and a chain of exchanges moves one review from the first to the second, it
   is moved. When no such chain is left, the assignment minimises the sum of squared loads,
   which is the convex-cost optimum of the flow: no juror can be unloaded onto a lighter one.
3. Each class's quota per juror is turned into entries: the entries are ordered so that every
   platform is spread evenly along the order, the jurors' quotas are laid end to end and
   wrapped around the entries, so each juror gets a run of consecutive entries (a fair mix of
   platforms) and no entry gets a juror twice.

Every choice between equals is drawn from ``random.Random(seed)``: the same seed gives the same
assignment.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.activity_log import bulk_create_logged, created_rows, delete_logged, log_created
from config.exceptions import BaigeError
from contest.models import Entry
from contest.services import Actor, contest_ensure_organiser
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Assignment, AssignmentRemoval, Conflict, Juror, Review, Round, RoundEntry
from judging.selectors.jury import entrant_pairs, entry_universities


@dataclass(frozen=True)
class EntryInput:
    """An entry as the assignment sees it: the universities of its authors and its platforms."""

    id: int
    universities: frozenset[int] = frozenset()
    platforms: frozenset[int] = frozenset()


@dataclass(frozen=True)
class JurorInput:
    """A juror as the assignment sees it: their university, cap and declared conflicts."""

    id: int
    university: int | None = None
    cap: int | None = None
    conflict_entries: frozenset[int] = frozenset()
    conflict_universities: frozenset[int] = frozenset()
    #: Entries the juror wrote or co-wrote (also among ``conflict_entries``): named apart when one cannot be covered.
    own_entries: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Problem:
    """Why the request cannot be met: about one entry, one juror, or the whole round."""

    reason: str
    entry: int | None = None
    juror: int | None = None
    #: Jurors the reason is about, named after it.
    jurors: tuple[int, ...] = ()


class Infeasible(BaigeError):
    """The assignment cannot be made; ``problems`` says for which entries (or jurors) and why."""

    code = "assignment_infeasible"

    def __init__(
        self,
        problems: Sequence[Problem],
        *,
        entry_labels: Mapping[int, str] | None = None,
        juror_labels: Mapping[int, str] | None = None,
    ) -> None:
        self.problems = list(problems)
        entry_labels = entry_labels or {}
        juror_labels = juror_labels or {}
        lines = [_("The jurors cannot be assigned:")]
        for problem in self.problems:
            if problem.entry is not None:
                subject = entry_labels.get(problem.entry) or _("Entry #%(id)d") % {"id": problem.entry}
            elif problem.juror is not None:
                subject = juror_labels.get(problem.juror) or _("Juror #%(id)d") % {"id": problem.juror}
            else:
                subject = _("The round")
            line = f"  {subject}: {problem.reason}"
            if problem.jurors:
                names = [juror_labels.get(j) or _("Juror #%(id)d") % {"id": j} for j in problem.jurors]
                line += " — " + _("jurors: %(names)s") % {"names": ", ".join(names)}
            lines.append(line)
        super().__init__("\n".join(lines))

    def with_labels(self, *, entry_labels: Mapping[int, str], juror_labels: Mapping[int, str]) -> Infeasible:
        """The same refusal, naming entries and jurors as people know them."""
        return Infeasible(self.problems, entry_labels=entry_labels, juror_labels=juror_labels)


@dataclass
class Plan:
    """What :func:`assign` decided: the new (entry, juror) pairs and every juror's load afterwards."""

    pairs: list[tuple[int, int]]
    loads: dict[int, int]
    kept: int = 0


# --- Max flow ---------------------------------------------------------------------------------


class _Network:
    """A flow network for Dinic's algorithm; an edge is ``[head, residual capacity, index of its twin]``."""

    def __init__(self, size: int) -> None:
        self.edges: list[list[list[int]]] = [[] for _node in range(size)]

    def add(self, tail: int, head: int, capacity: int, flow: int = 0) -> list[int]:
        forward = [head, capacity - flow, len(self.edges[head])]
        self.edges[tail].append(forward)
        self.edges[head].append([tail, flow, len(self.edges[tail]) - 1])
        return forward

    def flow_on(self, edge: list[int]) -> int:
        """The flow an edge made by :meth:`add` carries: the residual capacity of its twin."""
        return self.edges[edge[0]][edge[2]][1]

    def _levels(self, source: int, sink: int) -> list[int] | None:
        level = [-1] * len(self.edges)
        level[source] = 0
        queue = [source]
        for node in queue:
            for head, capacity, _twin in self.edges[node]:
                if capacity > 0 and level[head] < 0:
                    level[head] = level[node] + 1
                    queue.append(head)
        return level if level[sink] >= 0 else None

    def max_flow(self, source: int, sink: int) -> int:
        """Push as much more flow as fits from ``source`` to ``sink``; returns how much was added."""
        total = 0
        while (level := self._levels(source, sink)) is not None:
            pointer = [0] * len(self.edges)
            while pushed := self._push(source, sink, level, pointer):
                total += pushed
        return total

    def _push(self, source: int, sink: int, level: list[int], pointer: list[int]) -> int:
        """One blocking-flow path found by an iterative depth-first search; returns its flow."""
        path: list[list[int]] = []
        node = source
        while True:
            if node == sink:
                pushed = min(edge[1] for edge in path)
                for edge in path:
                    edge[1] -= pushed
                    self.edges[edge[0]][edge[2]][1] += pushed
                return pushed
            edges = self.edges[node]
            while pointer[node] < len(edges):
                edge = edges[pointer[node]]
                if edge[1] > 0 and level[edge[0]] == level[node] + 1:
                    break
                pointer[node] += 1
            else:
                # A dead end: never come back here in this phase, and step back.
                level[node] = -1
                if not path:
                    return 0
                edge = path.pop()
                node = self.edges[edge[0]][edge[2]][0]
                pointer[node] += 1
                continue
            path.append(edge)
            node = edge[0]

    def reachable(self, source: int) -> set[int]:
        """Nodes reachable from ``source`` through edges with room left: the source side of a minimum cut."""
        seen = {source}
        queue = [source]
        for node in queue:
            for head, capacity, _twin in self.edges[node]:
                if capacity > 0 and head not in seen:
                    seen.add(head)
                    queue.append(head)
        return seen


# --- The classes of interchangeable entries ---------------------------------------------------


@dataclass
class _Class:
    entries: list[EntryInput]
    need: int
    eligible: list[int]  # positions of jurors in the juror list
    ineligible: list[int]  # the other positions


def _ineligibility(
    entries: Sequence[EntryInput],
    jurors: Sequence[JurorInput],
    fixed: Mapping[int, set[int]],
    forbidden: Mapping[int, set[int]],
) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Per entry: the jurors it conflicts with, and every juror who cannot be added to it."""
    by_university: dict[int, set[int]] = defaultdict(set)
    declared: dict[int, set[int]] = defaultdict(set)
    for juror in jurors:
        if juror.university is not None:
            by_university[juror.university].add(juror.id)
        for university in juror.conflict_universities:
            by_university[university].add(juror.id)
        for entry_id in juror.conflict_entries:
            declared[entry_id].add(juror.id)
    cache: dict[frozenset[int], frozenset[int]] = {}
    result = {}
    for entry in entries:
        universities = entry.universities
        if universities not in cache:
            cache[universities] = frozenset().union(*(by_university.get(u, ()) for u in universities))
        conflicted = cache[universities] | declared.get(entry.id, set())
        unavailable = conflicted | fixed.get(entry.id, set()) | forbidden.get(entry.id, set())
        result[entry.id] = (frozenset(conflicted), frozenset(unavailable))
    return result


def _shortage_reason(
    entry: EntryInput,
    *,
    jurors: Sequence[JurorInput],
    need: int,
    fixed: set[int],
    forbidden: set[int],
    available: int,
) -> str:
    """Why an entry has fewer jurors available than it needs, with the count of each cause."""
    same_university = {j.id for j in jurors if j.university is not None and j.university in entry.universities}
    own = {j.id for j in jurors if entry.id in j.own_entries}
    declared = (
        {j.id for j in jurors if entry.id in j.conflict_entries or j.conflict_universities & entry.universities}
        - same_university
        - own
    )
    removed = forbidden - same_university - declared - own - fixed
    causes = []
    if own:
        causes.append(
            ngettext("%(count)d wrote or co-wrote it", "%(count)d wrote or co-wrote it", len(own)) % {"count": len(own)}
        )
    if same_university:
        causes.append(
            ngettext(
                "%(count)d is from an author's university",
                "%(count)d are from an author's university",
                len(same_university),
            )
            % {"count": len(same_university)}
        )
    if declared:
        causes.append(
            ngettext("%(count)d declared a conflict", "%(count)d declared a conflict", len(declared))
            % {"count": len(declared)}
        )
    if fixed:
        causes.append(
            ngettext("%(count)d is already assigned", "%(count)d are already assigned", len(fixed))
            % {"count": len(fixed)}
        )
    if removed:
        causes.append(
            ngettext("%(count)d was removed by hand", "%(count)d were removed by hand", len(removed))
            % {"count": len(removed)}
        )
    message = ngettext(
        "only %(available)d more juror can be assigned, %(need)d needed",
        "only %(available)d more jurors can be assigned, %(need)d needed",
        available,
    ) % {"available": available, "need": need}
    if causes:
        details = _("of the round's %(total)d jurors, %(causes)s") % {"total": len(jurors), "causes": "; ".join(causes)}
        message = f"{message} ({details})"
    return message


# --- Loads ------------------------------------------------------------------------------------


def _level_targets(floors: list[int], caps: list[int], total: int, rng: random.Random) -> list[int]:
    """Loads that add up to ``total``, each within [floor, cap], as level as possible (water-filling)."""

    def filled(level: int) -> int:
        return sum(min(max(level, low), high) for low, high in zip(floors, caps, strict=True))

    low, high = 0, max(caps, default=0)
    while low < high:  # the highest level that does not overshoot
        middle = (low + high + 1) // 2
        if filled(middle) <= total:
            low = middle
        else:
            high = middle - 1
    targets = [min(max(low, floor), cap) for floor, cap in zip(floors, caps, strict=True)]
    rest = total - sum(targets)
    can_take_one = [i for i, (floor, cap) in enumerate(zip(floors, caps, strict=True)) if floor <= low < cap]
    rng.shuffle(can_take_one)
    for position in can_take_one[:rest]:
        targets[position] += 1
    return targets


def _proportional_start(classes: list[_Class], room: list[int]) -> list[list[int]]:
    """An integer flow that gives every juror a share of every class in proportion to their room.

    A few rounds of matrix scaling (Sinkhorn) in product form ``x[c][j] = r[c]·s[j]``: sums over a
    class's eligible jurors are the total minus its few ineligible ones, so each round of scaling
    costs the number of conflicts, not classes × jurors. Rounded down and trimmed, it never exceeds a class's
    demand, a juror's room, or a class's size; the max flow completes it.
    """
    demand = [klass.need * len(klass.entries) for klass in classes]
    r = [1.0] * len(classes)
    s = [1.0 if space > 0 else 0.0 for space in room]
    for _round in range(8):
        total_s = sum(s)
        for c, klass in enumerate(classes):
            reach = total_s - sum(s[j] for j in klass.ineligible)
            r[c] = demand[c] / reach if reach > 0 else 0.0
        total_r = sum(r)
        reach_of = [total_r] * len(room)
        for c, klass in enumerate(classes):
            for j in klass.ineligible:
                reach_of[j] -= r[c]
        s = [room[j] / reach_of[j] if reach_of[j] > 1e-12 and room[j] > 0 else 0.0 for j in range(len(room))]
    start = []
    for c, klass in enumerate(classes):
        size = len(klass.entries)
        row = [0] * len(room)
        for j in klass.eligible:
            row[j] = min(size, int(r[c] * s[j]))
        start.append(row)
    # Trim the rounding's excess: rows to their demand, then columns to their room.
    for c, row in enumerate(start):
        excess = sum(row) - demand[c]
        for j in sorted(classes[c].eligible, key=lambda j: -row[j]):
            if excess <= 0:
                break
            cut = min(excess, row[j])
            row[j] -= cut
            excess -= cut
    for j in range(len(room)):
        excess = sum(row[j] for row in start) - room[j]
        for row in start:
            if excess <= 0:
                break
            cut = min(excess, row[j])
            row[j] -= cut
            excess -= cut
    return start


def _even_out(
    quotas: list[list[int]], classes: list[_Class], loads: list[int], caps: list[int], order: list[int]
) -> None:
    """Move reviews from heavier to lighter jurors along exchange chains until none helps.

    ``quotas[c][j]`` is how many entries of class ``c`` juror ``j`` reviews; a chain H → J1 → … → L
    passes one review of some class from each juror to the next, so only H loses one and only L
    gains one. Stops when no juror can hand a review to one with two fewer and room left.
    """
    sizes = [len(klass.entries) for klass in classes]
    eligible = [klass.eligible for klass in classes]
    active = [c for c in range(len(classes)) if classes[c].need]
    improved = True
    while improved:
        improved = False
        has_room = [j for j in order if loads[j] < caps[j]]
        if not has_room:
            return
        lightest = min(loads[j] for j in has_room)
        for heavy in sorted(order, key=lambda j: -loads[j]):
            if loads[heavy] < lightest + 2:
                break
            while True:
                # Breadth-first search over jurors: who can take a review that ``heavy`` gives away.
                parent: dict[int, tuple[int, int]] = {heavy: (-1, -1)}
                queue = [heavy]
                # A class's takers do not depend on who gives: each class is looked through once.
                expanded: set[int] = set()
                for giver in queue:
                    for c in active:
                        if c in expanded or quotas[c][giver] == 0:
                            continue
                        expanded.add(c)
                        row, size = quotas[c], sizes[c]
                        for taker in eligible[c]:
                            if taker not in parent and row[taker] < size:
                                parent[taker] = (giver, c)
                                queue.append(taker)
                targets = [j for j in queue[1:] if loads[j] <= loads[heavy] - 2 and loads[j] < caps[j]]
                if not targets:
                    break
                light = min(targets, key=lambda j: loads[j])
                steps = []
                node = light
                while node != heavy:
                    giver, c = parent[node]
                    steps.append((giver, c, node))
                    node = giver
                amount = min(
                    (loads[heavy] - loads[light]) // 2,
                    caps[light] - loads[light],
                    *(min(quotas[c][giver], sizes[c] - quotas[c][taker]) for giver, c, taker in steps),
                )
                for giver, c, taker in steps:
                    quotas[c][giver] -= amount
                    quotas[c][taker] += amount
                loads[heavy] -= amount
                loads[light] += amount
                improved = True


# --- Turning quotas into entries -------------------------------------------------------------


def _spread_order(entries: list[EntryInput], rng: random.Random) -> list[EntryInput]:
    """The entries ordered so that each platform (combination) recurs at even intervals."""
    groups: dict[tuple[int, ...], list[EntryInput]] = defaultdict(list)
    for entry in entries:
        groups[tuple(sorted(entry.platforms))].append(entry)
    keyed = []
    for number, key in enumerate(sorted(groups)):
        members = groups[key]
        rng.shuffle(members)
        offset = rng.random()
        keyed += [((index + offset) / len(members), number, entry) for index, entry in enumerate(members)]
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [entry for _position, _number, entry in keyed]


def _deal(klass: _Class, quotas: list[int], jurors: Sequence[JurorInput], rng: random.Random) -> list[tuple[int, int]]:
    """Give each juror ``quotas[j]`` entries of the class so that every entry gets ``need`` distinct jurors."""
    ordered = _spread_order(list(klass.entries), rng)
    size = len(ordered)
    takers = [j for j in klass.eligible if quotas[j]]
    rng.shuffle(takers)
    pairs = []
    position = 0
    # Quotas laid end to end and wrapped around the entries: a quota never exceeds the number of
    # entries, so one juror's run never reaches the same entry twice.
    for j in takers:
        for _step in range(quotas[j]):
            pairs.append((ordered[position % size].id, jurors[j].id))
            position += 1
    return pairs


# --- The assignment --------------------------------------------------------------------------


def assign(
    *,
    entries: Sequence[EntryInput],
    jurors: Sequence[JurorInput],
    k: int | None,
    seed: int,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    loads: Mapping[int, int] | None = None,
) -> Plan:
    """Assign jurors so that every entry has ``k`` distinct jurors without a conflict (``None``: all of them).

    ``fixed`` (entry, juror) pairs are kept and count towards ``k`` and the loads; ``forbidden``
    pairs are never made; ``loads`` are reviews the jurors already have outside ``entries``, which
    count towards their caps and the levelling. Raises :class:`Infeasible` naming the entries that
    cannot be covered.
    """
    entries = sorted(entries, key=lambda e: e.id)
    jurors = sorted(jurors, key=lambda j: j.id)
    juror_ids = {j.id for j in jurors}
    entry_ids = {e.id for e in entries}
    kept: dict[int, set[int]] = defaultdict(set)
    for entry_id, juror_id in fixed:
        if entry_id in entry_ids and juror_id in juror_ids:
            kept[entry_id].add(juror_id)
    barred: dict[int, set[int]] = defaultdict(set)
    for entry_id, juror_id in forbidden:
        if entry_id in entry_ids and juror_id in juror_ids:
            barred[entry_id].add(juror_id)
    if k is not None and k < 1:
        raise BaigeError(_("Each entry needs at least one review."))
    rng = random.Random(seed)
    unavailable = _ineligibility(entries, jurors, kept, barred)
    fixed_loads: dict[int, int] = defaultdict(int)
    for members in kept.values():
        for juror_id in members:
            fixed_loads[juror_id] += 1
    kept_count = sum(fixed_loads.values())
    for juror_id, load in (loads or {}).items():
        if juror_id in juror_ids:
            fixed_loads[juror_id] += load
    if not entries:
        return Plan(pairs=[], loads={j.id: fixed_loads.get(j.id, 0) for j in jurors}, kept=kept_count)
    if k is None:
        return _assign_everyone(entries, jurors, unavailable, kept, fixed_loads, kept_count)
    return _assign_k(entries, jurors, k, rng, unavailable, kept, barred, fixed_loads, kept_count)


def _assign_everyone(
    entries: Sequence[EntryInput],
    jurors: Sequence[JurorInput],
    unavailable: Mapping[int, tuple[frozenset[int], frozenset[int]]],
    kept: Mapping[int, set[int]],
    fixed_loads: Mapping[int, int],
    kept_count: int,
) -> Plan:
    """Every juror without a conflict reviews every entry, within their caps."""
    pairs = []
    loads = {j.id: fixed_loads.get(j.id, 0) for j in jurors}
    problems = []
    for entry in entries:
        _conflicted, blocked = unavailable[entry.id]
        added = [juror.id for juror in jurors if juror.id not in blocked]
        if not added and not kept.get(entry.id):
            problems.append(Problem(_("no juror of the round can review it"), entry=entry.id))
        for juror_id in added:
            pairs.append((entry.id, juror_id))
            loads[juror_id] += 1
    for juror in jurors:
        if juror.cap is not None and loads[juror.id] > juror.cap:
            problems.append(
                Problem(
                    ngettext(
                        "would review %(load)d entry, more than their limit of %(cap)d",
                        "would review %(load)d entries, more than their limit of %(cap)d",
                        loads[juror.id],
                    )
                    % {"load": loads[juror.id], "cap": juror.cap},
                    juror=juror.id,
                )
            )
    if problems:
        raise Infeasible(problems)
    return Plan(pairs=pairs, loads=loads, kept=kept_count)


def _assign_k(
    entries: Sequence[EntryInput],
    jurors: Sequence[JurorInput],
    k: int,
    rng: random.Random,
    unavailable: Mapping[int, tuple[frozenset[int], frozenset[int]]],
    kept: Mapping[int, set[int]],
    barred: Mapping[int, set[int]],
    fixed_loads: Mapping[int, int],
    kept_count: int,
) -> Plan:
    if k > len(jurors):
        raise Infeasible(
            [
                Problem(
                    ngettext(
                        "%(k)d reviews per entry were asked for, but the round has only %(count)d juror",
                        "%(k)d reviews per entry were asked for, but the round has only %(count)d jurors",
                        len(jurors),
                    )
                    % {"k": k, "count": len(jurors)}
                )
            ]
        )
    positions = {juror.id: index for index, juror in enumerate(jurors)}
    floors = [fixed_loads.get(j.id, 0) for j in jurors]
    problems: list[Problem] = []

    grouped: dict[tuple[frozenset[int], int], list[EntryInput]] = defaultdict(list)
    for entry in entries:
        need = max(0, k - len(kept.get(entry.id, ())))
        _conflicted, blocked = unavailable[entry.id]
        available = len(jurors) - len(blocked)
        if available < need:
            reason = _shortage_reason(
                entry,
                jurors=jurors,
                need=need,
                fixed=kept.get(entry.id, set()),
                forbidden=barred.get(entry.id, set()),
                available=available,
            )
            problems.append(Problem(reason, entry=entry.id))
        elif need:
            grouped[(blocked, need)].append(entry)
    total = sum(need * len(members) for (_blocked, need), members in grouped.items())
    limit = sum(floors) + total  # nobody ever needs more than this
    caps = [max(j.cap, floor) if j.cap is not None else limit for j, floor in zip(jurors, floors, strict=True)]
    room = sum(cap - floor for cap, floor in zip(caps, floors, strict=True))
    if room < total:
        problems.append(
            Problem(
                _("the jurors' limits allow %(room)d more reviews, but %(total)d are needed")
                % {"room": room, "total": total}
            )
        )
    if problems:
        raise Infeasible(problems)

    classes = [
        _Class(
            entries=members,
            need=need,
            eligible=[positions[j.id] for j in jurors if j.id not in blocked],
            ineligible=[positions[j.id] for j in jurors if j.id in blocked],
        )
        for (blocked, need), members in sorted(grouped.items(), key=lambda item: item[1][0].id)
    ]
    order = list(range(len(jurors)))
    rng.shuffle(order)
    targets = _level_targets(floors, caps, sum(floors) + total, rng)

    # Source 0, classes 1..C, jurors C+1..C+n, sink C+n+1. Jurors in a seeded order, so that the
    # flow, and the assignment, differ between seeds but not between runs.
    count = len(classes)
    source, sink = 0, count + len(jurors) + 1
    # The flow starts from a share of every class for every juror, so that each juror's entries
    # mix the classes (and so the platforms) instead of coming from whichever class was found first.
    start = _proportional_start(classes, [target - floor for target, floor in zip(targets, floors, strict=True)])
    network = _Network(sink + 1)
    for c, klass in enumerate(classes, start=1):
        network.add(source, c, klass.need * len(klass.entries), sum(start[c - 1]))
    class_edges: list[dict[int, list[int]]] = []
    for c, klass in enumerate(classes, start=1):
        shuffled = list(klass.eligible)
        rng.shuffle(shuffled)
        row = start[c - 1]
        class_edges.append({j: network.add(c, count + 1 + j, len(klass.entries), row[j]) for j in shuffled})
    sink_edges = {
        j: network.add(count + 1 + j, sink, targets[j] - floors[j], sum(row[j] for row in start)) for j in order
    }

    flowed = sum(map(sum, start)) + network.max_flow(source, sink)
    step = 1
    while flowed < total:
        # Conflicts keep some jurors below their level: let the others go above it, a little more each time.
        raised = False
        for j, edge in sink_edges.items():
            more = min(step, caps[j] - floors[j] - (network.flow_on(edge) + edge[1]))
            if more > 0:
                edge[1] += more
                raised = True
        flowed += network.max_flow(source, sink)
        if not raised:
            break
        step *= 2
    if flowed < total:
        raise Infeasible(_cut_problems(network, classes, jurors, source))

    quotas = [[0] * len(jurors) for _klass in classes]
    for c, edges in enumerate(class_edges):
        for j, edge in edges.items():
            quotas[c][j] = network.flow_on(edge)
    loads = [floors[j] + sum(quotas[c][j] for c in range(count)) for j in range(len(jurors))]
    _even_out(quotas, classes, loads, caps, order)

    pairs: list[tuple[int, int]] = []
    for c, klass in enumerate(classes):
        pairs += _deal(klass, quotas[c], jurors, rng)
    return Plan(pairs=pairs, loads={j.id: loads[i] for i, j in enumerate(jurors)}, kept=kept_count)


def _cut_problems(network: _Network, classes: list[_Class], jurors: Sequence[JurorInput], source: int) -> list[Problem]:
    """The entries a maximum flow cannot cover, and why, from its minimum cut.

    The classes still reachable from the source compete for the same jurors: together they need
    more reviews than those jurors' limits leave. Every entry of the group is named, with the
    jurors whose limits are the bottleneck.
    """
    source_side = network.reachable(source)
    group = [c for c in range(len(classes)) if c + 1 in source_side]
    first_juror = len(classes) + 1
    binding = tuple(sorted(jurors[j].id for j in range(len(jurors)) if first_juror + j in source_side))
    demand = sum(classes[c].need * len(classes[c].entries) for c in group)
    given = demand - sum(network.edges[source][c][1] for c in group)
    entries = [entry for c in group for entry in classes[c].entries]
    others = len(entries) - 1
    if others:
        reason = ngettext(
            "it and %(others)d other entry need %(demand)d more reviews, but the jurors free to review them "
            "reach their limits after %(given)d",
            "it and %(others)d other entries need %(demand)d more reviews, but the jurors free to review them "
            "reach their limits after %(given)d",
            others,
        ) % {"others": others, "demand": demand, "given": given}
    else:
        reason = _(
            "it needs %(demand)d more reviews, but the jurors free to review it reach their limits after %(given)d"
        ) % {"demand": demand, "given": given}
    return [Problem(reason, entry=entry.id, jurors=binding) for entry in sorted(entries, key=lambda e: e.id)]


# --- The round in the database ---------------------------------------------------------------


@dataclass
class AssignmentRun:
    """What :func:`assignment_run` did (or, in a dry run, would do)."""

    round: Round
    k: int | None
    seed: int
    created: int
    kept: int
    dropped: int
    loads: list[tuple[Juror, int]]
    dry_run: bool


def _entry_inputs(round: Round) -> list[EntryInput]:
    entry_ids = RoundEntry.objects.filter(round=round).values("entry_id")
    universities = entry_universities(entry_ids)
    platforms: dict[int, set[int]] = defaultdict(set)
    links = Entry.platforms.through.objects.filter(entry_id__in=entry_ids)
    for entry_id, platform_id in links.values_list("entry_id", "platform_id"):
        platforms[entry_id].add(platform_id)
    return [
        EntryInput(id=pk, universities=frozenset(found), platforms=frozenset(platforms.get(pk, ())))
        for pk, found in universities.items()
    ]


def _entrant_pairs_of(jurors: Sequence[Juror]) -> set[tuple[int, int]]:
    """(juror id, entry id): the entries of their contests that the jurors wrote or co-wrote."""
    contests = {juror.contest_id for juror in jurors}
    return entrant_pairs(jurors, Entry.objects.filter(contest_id__in=contests).values("pk"))


def conflicting_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (entry id, juror id) pairs that the assignment's rules forbid, read for all of them at once."""
    pairs = set(pairs)
    if not pairs:
        return set()
    universities = entry_universities({entry_id for entry_id, _juror in pairs})
    entries = [EntryInput(id=pk, universities=frozenset(found)) for pk, found in universities.items()]
    jurors = list(Juror.objects.filter(pk__in={juror_id for _entry, juror_id in pairs}).order_by("pk"))
    conflicted = _ineligibility(entries, _juror_inputs(jurors), {}, {})
    return {(entry_id, juror_id) for entry_id, juror_id in pairs if juror_id in conflicted[entry_id][0]}


def _juror_inputs(jurors: Sequence[Juror], *, entrants: set[tuple[int, int]] | None = None) -> list[JurorInput]:
    """The jurors as :func:`assign` sees them; ``entrants`` (juror id, entry id) are read when not given."""
    declared_entries: dict[int, set[int]] = defaultdict(set)
    declared_universities: dict[int, set[int]] = defaultdict(set)
    conflicts = Conflict.objects.filter(juror__in=jurors).values_list("juror_id", "entry_id", "university_id")
    for juror_id, entry_id, university_id in conflicts:
        if entry_id is not None:
            declared_entries[juror_id].add(entry_id)
        if university_id is not None:
            declared_universities[juror_id].add(university_id)
    # Nobody judges their own entry: what a juror wrote or co-wrote is a conflict they need not declare.
    own_entries: dict[int, set[int]] = defaultdict(set)
    for juror_id, entry_id in _entrant_pairs_of(jurors) if entrants is None else entrants:
        declared_entries[juror_id].add(entry_id)
        own_entries[juror_id].add(entry_id)
    return [
        JurorInput(
            id=juror.pk,
            university=juror.university_id,
            cap=juror.max_load,
            conflict_entries=frozenset(declared_entries.get(juror.pk, ())),
            conflict_universities=frozenset(declared_universities.get(juror.pk, ())),
            own_entries=frozenset(own_entries.get(juror.pk, ())),
        )
        for juror in jurors
    ]


@transaction.atomic
def assignment_run(
    *, actor: Actor | None, round: Round, seed: int, k: int | None = None, dry_run: bool = False
) -> AssignmentRun:
    """Assign the round's jurors to its entries automatically, keeping what was done by hand.

    ``k`` reviews per entry (saved on the round), or the round's own setting when not given.
    Assignments made by hand, and any with a review, are kept and count towards ``k``; other
    automatic ones are made anew; pairs removed by hand are never made. ``actor=None`` is the
    server's command line. Raises :class:`Infeasible` naming the entries that cannot be covered;
    then nothing changes.
    """
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    round = Round.objects.select_for_update().select_related("contest").get(pk=round.pk)
    if round.status == RoundStatus.CLOSED:
        raise BaigeError(_("Round “%(round)s” is closed: its assignments can no longer change.") % {"round": round})
    if k is not None:
        if k < 1:
            raise BaigeError(_("Each entry needs at least one review."))
        round.reviews_per_entry = k
    k = round.reviews_per_entry

    jurors = list(Juror.objects.filter(round_links__round=round).select_related("user__profile").order_by("pk"))
    entries = _entry_inputs(round)
    if not entries:
        raise BaigeError(
            _("Round “%(round)s” has no entries: there is nothing to assign.") % {"round": round}, code="no_entries"
        )
    if not jurors:
        raise BaigeError(
            _("Round “%(round)s” has no jurors: nobody can be assigned.") % {"round": round}, code="no_jurors"
        )
    entry_ids = {entry.id for entry in entries}
    juror_ids = {juror.pk for juror in jurors}
    reviewed = set(Review.objects.filter(round=round).values_list("entry_id", "juror_id"))
    # An assignment of a juror to their own entry (made before the rule held) is never kept.
    entrants = _entrant_pairs_of(jurors)
    own = {(entry_id, juror_id) for juror_id, entry_id in entrants}
    keep, drop = [], []
    for pk, entry_id, juror_id, origin in Assignment.objects.filter(round=round).values_list(
        "pk", "entry_id", "juror_id", "origin"
    ):
        member = entry_id in entry_ids and juror_id in juror_ids
        if (entry_id, juror_id) in own:
            drop.append(pk)
        elif (entry_id, juror_id) in reviewed or (origin == AssignmentOrigin.MANUAL and member):
            keep.append((entry_id, juror_id))
        else:
            drop.append(pk)
    removed = AssignmentRemoval.objects.filter(round=round).values_list("entry_id", "juror_id")
    try:
        juror_inputs = _juror_inputs(jurors, entrants=entrants)
        plan = assign(entries=entries, jurors=juror_inputs, k=k, seed=seed, fixed=keep, forbidden=list(removed))
    except Infeasible as refused:
        labels = {
            pk: f"{code} “{title}”"
            for pk, code, title in Entry.objects.filter(
                pk__in=[p.entry for p in refused.problems if p.entry]
            ).values_list("pk", "code", "title")
        }
        raise refused.with_labels(entry_labels=labels, juror_labels={j.pk: str(j) for j in jurors}) from None

    by_id = {juror.pk: juror for juror in jurors}
    result = AssignmentRun(
        round=round,
        k=k,
        seed=seed,
        created=len(plan.pairs),
        kept=plan.kept,
        dropped=len(drop),
        loads=[(by_id[pk], load) for pk, load in sorted(plan.loads.items())],
        dry_run=dry_run,
    )
    if dry_run:
        return result
    delete_logged(Assignment.objects.filter(pk__in=drop))
    creator = actor if actor is not None and actor.is_authenticated else None
    bulk_create_logged(
        Assignment,
        (
            Assignment(round=round, entry_id=entry_id, juror_id=juror_id, created_by=creator)
            for entry_id, juror_id in plan.pairs
        ),
        batch_size=5000,
    )
    round.assignment_seed = seed
    round.assigned_at = timezone.now()
    round.save(update_fields=["reviews_per_entry", "assignment_seed", "assigned_at"])
    return result


@dataclass
class AssignmentFill:
    """What :func:`assignment_fill` did: the pairs it made and the entries still short of jurors."""

    round: Round
    created: list[tuple[int, int]]
    #: Entry id → how many reviews it still lacks (for "all jurors": 1 when nobody can review it).
    short: dict[int, int]


def _fill_one(
    entry: EntryInput,
    *,
    jurors: Sequence[JurorInput],
    k: int | None,
    seed: int,
    fixed: set[int],
    forbidden: Sequence[tuple[int, int]],
    loads: Mapping[int, int],
) -> list[int]:
    """As many more jurors for one entry as the rules allow, one at a time, the least loaded first."""
    chosen: list[int] = []
    goal = len(jurors) if k is None else k
    while len(fixed) + len(chosen) < goal:
        try:
            plan = assign(
                entries=[entry],
                jurors=jurors,
                k=len(fixed) + len(chosen) + 1,
                seed=seed,
                fixed=[(entry.id, juror_id) for juror_id in (*fixed, *chosen)],
                forbidden=forbidden,
                loads=loads,
            )
        except Infeasible:
            break
        chosen += [juror_id for _entry, juror_id in plan.pairs]
    return chosen


@transaction.atomic
def assignment_fill(
    *, actor: Actor | None, round: Round, entries: Iterable[Entry | int] | None = None
) -> AssignmentFill:
    """Give entries of a round the jurors they lack, through the assignment's rules; keeps every assignment.

    For each entry (all of the round's, or only ``entries``) the missing reviewers up to the
    round's ``k`` (or every juror without a conflict, for "all jurors") are chosen by :func:`assign`
    among the round's jurors: never one with a conflict, over their cap, or removed by hand from the
    entry, and the least loaded in the round first; ties are broken by the round's assignment seed,
    so the same state gives the same choice. What cannot be covered is not refused: it is left
    short, reported in ``short``, and shown to the organisers on the round's progress page
    (:func:`judging.selectors.rounds.round_entries_short`). ``actor=None`` is the server itself (a task,
    the command line).
    """
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    round = Round.objects.select_for_update().select_related("contest").get(pk=round.pk)
    if round.status == RoundStatus.CLOSED:
        raise BaigeError(_("Round “%(round)s” is closed: its assignments can no longer change.") % {"round": round})
    every = _entry_inputs(round)
    if entries is not None:
        wanted = {entry if isinstance(entry, int) else entry.pk for entry in entries}
        every = [entry for entry in every if entry.id in wanted]
    jurors = _juror_inputs(list(Juror.objects.filter(round_links__round=round).order_by("pk")))
    juror_ids = {juror.id for juror in jurors}
    targets = {entry.id for entry in every}
    fixed: dict[int, set[int]] = defaultdict(set)
    outside: dict[int, int] = defaultdict(int)
    for entry_id, juror_id in Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"):
        if juror_id not in juror_ids:
            continue
        if entry_id in targets:
            fixed[entry_id].add(juror_id)
        else:
            outside[juror_id] += 1
    forbidden = list(
        AssignmentRemoval.objects.filter(round=round, entry_id__in=targets).values_list("entry_id", "juror_id")
    )
    k = round.reviews_per_entry
    seed = round.assignment_seed or 0
    pending = [entry for entry in every if k is None or len(fixed[entry.id]) < k]
    created: list[tuple[int, int]] = []
    try:
        plan = assign(
            entries=pending,
            jurors=jurors,
            k=k,
            seed=seed,
            fixed=[(entry.id, juror_id) for entry in pending for juror_id in fixed[entry.id]],
            forbidden=forbidden,
            loads=outside,
        )
        created = plan.pairs
    except Infeasible:
        # Not every entry can be covered: each in turn gets as many jurors as it can.
        loads = dict(outside)
        for entry in every:
            for juror_id in fixed[entry.id]:
                loads[juror_id] = loads.get(juror_id, 0) + 1
        for entry in pending:
            for juror_id in fixed[entry.id]:
                loads[juror_id] -= 1
            chosen = _fill_one(
                entry, jurors=jurors, k=k, seed=seed, fixed=fixed[entry.id], forbidden=forbidden, loads=loads
            )
            for juror_id in (*fixed[entry.id], *chosen):
                loads[juror_id] = loads.get(juror_id, 0) + 1
            created += [(entry.id, juror_id) for juror_id in chosen]
    Assignment.objects.bulk_create(
        (Assignment(round=round, entry_id=entry_id, juror_id=juror_id) for entry_id, juror_id in created),
        ignore_conflicts=True,
    )
    if created:
        # Rows another writer made first were skipped, and have no ids: the new ones are read back to log them.
        pairs = set(created)
        made = created_rows(Assignment, round=round, entry_id__in={entry_id for entry_id, _juror in created})
        log_created(row for row in made if (row.entry_id, row.juror_id) in pairs)
    have: dict[int, int] = defaultdict(int)
    for entry_id, _juror_id in created:
        have[entry_id] += 1
    short = {}
    for entry in every:
        count = len(fixed[entry.id]) + have[entry.id]
        if k is not None and count < k:
            short[entry.id] = k - count
        elif k is None and count == 0:
            short[entry.id] = 1
    return AssignmentFill(round=round, created=sorted(created), short=short)
