"""Benchmark: importing 500 entries from a spreadsheet.

Prints ``BENCH import_entries_500 <seconds> s ratio=<r> target=<t>``. The reference,
measured in the same run on the same database, is the least work any import of these
rows must do: bulk-creating the same users, profiles, entries and platform links.
The ratio says how much the checks, matching and upserting cost on top of that.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROWS = 500
TARGET_RATIO = 5.0
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("BAIGE_DATA_DIR", tempfile.mkdtemp(prefix="baige-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG is off: a key of this run's own
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from contest.models import Contest, Entry, ParticipantProfile
    from exchange.entries_import import ALL_COLUMNS, entries_import

    call_command("migrate", "--noinput", verbosity=0)
    call_command("contest_load", str(ROOT / "exchange" / "demo" / "demo_contest.yaml"), stdout=io.StringIO())
    contest = Contest.objects.get(slug="effective-digital-platform")
    nomination = contest.nominations.first()
    platforms = list(contest.platforms.filter(is_other=False)[:3])
    universities = list(contest.universities.all())
    assert nomination is not None and platforms and universities

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ALL_COLUMNS)
    writer.writeheader()
    for n in range(ROWS):
        writer.writerow(
            {
                "email": f"bench{n}@example.org",
                "full_name": f"Student {n}",
                "university": universities[n % len(universities)].name,
                "programme": "Pedagogy",
                "country": "KZ",
                "title": f"Lesson {n}",
                "description": "A lesson built with an interactive quiz.",
                "nomination": nomination.slug,
                "platforms": "; ".join(p.name for p in platforms[: 1 + n % len(platforms)]),
                "link": f"https://example.org/{n}",
                "status": "submitted",
            }
        )
    data = buffer.getvalue().encode("utf-8")

    User = get_user_model()

    def reference() -> float:
        started = time.perf_counter()
        with transaction.atomic():
            users = User.objects.bulk_create(User(username=f"ref{n}", email=f"ref{n}@example.org") for n in range(ROWS))
            ParticipantProfile.objects.bulk_create(
                ParticipantProfile(user=u, full_name=u.username, university=universities[0]) for u in users
            )
            entries = Entry.objects.bulk_create(
                Entry(contest=contest, author=u, code=f"R{n:05d}", title=f"Lesson {n}", nomination=nomination)
                for n, u in enumerate(users)
            )
            Entry.platforms.through.objects.bulk_create(
                Entry.platforms.through(entry=e, platform=platforms[0]) for e in entries
            )
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    def imported() -> float:
        started = time.perf_counter()
        with transaction.atomic():
            result = entries_import(actor=None, contest=contest, stream=io.BytesIO(data))
            assert result.entries_created == ROWS, result
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    reference()  # warm up caches and connections
    base = min(reference() for _ in range(3))
    value = min(imported() for _ in range(3))
    print(f"BENCH import_entries_500 {value:.3f} s ratio={value / base:.2f} target={TARGET_RATIO}")


if __name__ == "__main__":
    main()
