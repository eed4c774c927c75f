"""Benchmark: automatic jury assignment for 10,000 entries, 200 jurors from 10 universities, k = 3.

Prints ``BENCH assignment_10000x200_k3 <seconds> s ratio=<r> target=1.0``. The target is a
budget (10 s), so the ratio is the time over that budget; the run also checks the
guarantees (k distinct jurors per entry, no conflict, loads within one of each other)
and fails loudly if one is broken.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ENTRIES, JURORS, UNIVERSITIES, PLATFORMS, K = 10_000, 200, 10, 16, 3
BUDGET_SECONDS = 10.0
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG is off: a key of this run's own
    import django

    django.setup()
    from judging.assignment import EntryInput, JurorInput, assign

    rng = random.Random(2026)
    entries = []
    for number in range(1, ENTRIES + 1):
        universities = {rng.randrange(UNIVERSITIES)}
        if rng.random() < 0.12:  # a team entry with a co-author from another university
            universities.add(rng.randrange(UNIVERSITIES))
        platforms = frozenset(rng.sample(range(PLATFORMS), rng.choice([1, 2, 3])))
        entries.append(EntryInput(id=number, universities=frozenset(universities), platforms=platforms))
    jurors = [
        JurorInput(
            id=number,
            university=number % UNIVERSITIES,
            conflict_entries=frozenset(rng.sample(range(1, ENTRIES + 1), 3)),
        )
        for number in range(1, JURORS + 1)
    ]

    started = time.perf_counter()
    plan = assign(entries=entries, jurors=jurors, k=K, seed=7)
    elapsed = time.perf_counter() - started

    by_entry: dict[int, list[int]] = defaultdict(list)
    for entry_id, juror_id in plan.pairs:
        by_entry[entry_id].append(juror_id)
    juror_of = {juror.id: juror for juror in jurors}
    conflicts = sum(
        1
        for entry in entries
        for juror_id in by_entry[entry.id]
        if juror_of[juror_id].university in entry.universities or entry.id in juror_of[juror_id].conflict_entries
    )
    incomplete = sum(1 for entry in entries if len(set(by_entry[entry.id])) != K)
    loads = Counter(juror_id for _, juror_id in plan.pairs)
    balance = max(loads.values()) - min(loads.values())
    print(f"# assignment: {len(plan.pairs)} reviews, balance={balance}, conflicts={conflicts}, incomplete={incomplete}")
    if conflicts or incomplete or balance > 1:
        raise SystemExit("the assignment broke a guarantee")
    print(f"BENCH assignment_10000x200_k3 {elapsed:.2f} s ratio={elapsed / BUDGET_SECONDS:.2f} target=1.0")


if __name__ == "__main__":
    main()
