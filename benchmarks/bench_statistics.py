"""Benchmark: the per-platform statistics and the entries export of a contest of 100,000 submitted entries.

Prints ``BENCH stats_export_100000 <seconds> s ratio=<r> target=1.5`` and
``BENCH entries_export_100000 <seconds> s ratio=<r> target=1.5``: the time of the CSV export at
100,000 entries, and as the ratio the peak memory of that export (``tracemalloc``: Python's own
allocations) at 100,000 entries over its peak at 10,000 entries, measured in the same run on the same
database. The statistics are counted by PostgreSQL and the entries are read in chunks, so memory
must not grow with the number of entries: the ratio should stay near 1, and 1.5 leaves room for
noise (a tenfold growth would show as ~10).

The entries (authors of five universities, one to three of sixteen platforms each) are bulk-created
in a PostgreSQL database made for the run and dropped after it; point ``DATABASE_URL`` at a
PostgreSQL server the benchmark may create databases on.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from _server import run_with_django

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
UNIVERSITIES, PLATFORMS, NOMINATIONS = 5, 16, 3
BATCH = 5_000
TARGET_RATIO = 1.5


def main() -> None:
    run_with_django("baige_bench_statistics", lambda _folder: measure())


def measure() -> None:
    from django.core.management import call_command
    from django.utils import timezone, translation

    from contest.models import Contest, Nomination, Platform, University
    from exchange.exports import export_table
    from exchange.sheet_writers import export_csv_lines

    call_command("migrate", "--noinput", verbosity=0)
    now = timezone.now()
    contest = Contest.objects.create(
        slug="bench", name="Bench", submissions_open=now - timedelta(days=30), submissions_close=now
    )
    universities = University.objects.bulk_create(
        University(slug=f"university-{n}", name=f"University {n}") for n in range(UNIVERSITIES)
    )
    platforms = Platform.objects.bulk_create(
        Platform(contest=contest, slug=f"platform-{n}", name=f"Platform {n}", order=n, is_other=n == PLATFORMS - 1)
        for n in range(PLATFORMS)
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(contest=contest, slug=f"nomination-{n}", name=f"Nomination {n}", order=n) for n in range(NOMINATIONS)
    )

    def export(what: str) -> Callable[[], int]:
        def run() -> int:
            # The CSV is read piece by piece and dropped, as a streamed download sends it.
            return sum(len(piece) for piece in export_csv_lines(export_table(actor=None, contest=contest, what=what)))

        return run

    rng = random.Random(2026)
    results: dict[tuple[str, int], tuple[float, int]] = {}
    made = 0
    with translation.override("en"):
        for size in SIZES:
            started = time.perf_counter()
            add_entries(contest, universities, platforms, nominations, first=made, count=size - made, rng=rng)
            print(f"# {size} entries created in {time.perf_counter() - started:.1f} s")
            made = size
            for what in ("platform-stats", "entries"):
                results[(what, size)] = timed(export(what)), peak_memory(export(what))
    low, high = SIZES
    for what, name in (("platform-stats", "stats_export"), ("entries", "entries_export")):
        (low_time, low_peak), (high_time, high_peak) = results[(what, low)], results[(what, high)]
        print(
            f"# {name}: {low} entries {low_time:.3f} s, peak {low_peak / 1024:.0f} KiB; "
            f"{high} entries {high_time:.3f} s, peak {high_peak / 1024:.0f} KiB"
        )
        print(f"BENCH {name}_{high} {high_time:.3f} s ratio={high_peak / low_peak:.2f} target={TARGET_RATIO}")


def timed(run: Callable[[], int]) -> float:
    """The best of three runs, without tracemalloc, whose bookkeeping slows every allocation."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory(run: Callable[[], int]) -> int:
    """The peak of Python's allocations during one run, in bytes."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def add_entries(contest, universities, platforms, nominations, *, first: int, count: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Bulk-create ``count`` submitted entries, each by a new participant, numbered from ``first``."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from contest.enums import EntryStatus
    from contest.models import Entry, ParticipantProfile

    User = get_user_model()
    Tag = Entry.platforms.through
    submitted_at = timezone.now()
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        with transaction.atomic():
            users = User.objects.bulk_create(User(username=f"bench{n}", email=f"bench{n}@example.org") for n in numbers)
            ParticipantProfile.objects.bulk_create(
                ParticipantProfile(user=user, full_name=f"Student {n}", university=rng.choice(universities))
                for n, user in zip(numbers, users, strict=True)
            )
            entries = Entry.objects.bulk_create(
                Entry(
                    contest=contest,
                    author=user,
                    code=f"B{n:07d}",
                    title=f"Lesson {n}",
                    nomination=rng.choice(nominations),
                    status=EntryStatus.SUBMITTED,
                    submitted_at=submitted_at,
                )
                for n, user in zip(numbers, users, strict=True)
            )
            Tag.objects.bulk_create(
                Tag(entry=entry, platform=platform)
                for entry in entries
                for platform in rng.sample(platforms, rng.choice((1, 2, 3)))
            )
    # Fresh statistics for the planner, as autovacuum would gather them on a live server.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
