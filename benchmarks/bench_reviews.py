"""Benchmark: jurors submitting reviews over HTTP, 50 clients at once, against a trivial request on the same server.

Prints ``BENCH review_submit_50_clients <req/s> req/s ratio=<r> target=0.5``.

Baige runs under gunicorn exactly as ``docker/compose.yml`` starts it (three sync workers) on a
PostgreSQL database made for the run and dropped after it. Fifty jurors, each with an API token and
three entries of an open round (k = 3), send at once:

- the measure: ``POST /api/v1/jury/rounds/<round>/entries/<code>/review/submit/`` on their own
  reviews in turn, every one with new scores and comment, so each is a real write: scores, the review
  and a row of its history (the first of each review a submission, the others revisions);
- the reference, in the same run on the same server: ``GET /api/v1/jury/assignments/``, the juror's
  own list ("x of y scored"). It is the cheapest request that goes through everything a review
  submission goes through before its own work (gunicorn, middleware, token authentication, DRF, the
  juror's rows in PostgreSQL, JSON), and the one the jury panel sends most. ``page_size`` is not a
  parameter of that list; with three assignments a juror's list is one small page anyway.

The ratio is the submission rate over the reference rate: what a review write costs against the
request-handling floor of the same machine. Each measure runs ``ROUNDS`` times, the two in turn, and
the best of each counts. Any answer other than 200, or reviews and history not as sent, fails the run.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from _server import Request, Run, gunicorn, run_clients, run_with_django

ROOT = Path(__file__).resolve().parent.parent
CLIENTS, ENTRIES, K = 50, 50, 3
#: Requests each client sends in one measured run.
PER_CLIENT = 12
ROUNDS = 3
TARGET_RATIO = 0.5
#: As production runs it (docker/compose.yml).
SERVER_OPTIONS = ("--workers", "3", "--log-level", "warning")
#: The highest score of each criterion.
SCALES = {"content": 10, "use-of-platforms": 5, "presentation": 3}


def main() -> None:
    run_with_django("baige_bench_reviews", measure)


def measure(data_dir: Path) -> None:
    round_id, jurors = set_up()
    with gunicorn(os.environ, options=SERVER_OPTIONS, log=data_dir / "gunicorn.log") as (host, port):

        def run(clients: Sequence[tuple[dict[str, str], Sequence[Request]]]) -> Run:
            result = run_clients(host, port, clients)
            if result.failures or set(result.statuses) != {200}:
                failures = "\n".join(result.failures[:20])
                raise SystemExit(f"error responses {dict(result.statuses)} (server log: {data_dir}):\n{failures}")
            return result

        passes = iter(range(1, 10_000))

        def submissions() -> list[tuple[dict[str, str], Sequence[Request]]]:
            # Every round of requests sends new scores and comment: each submission is a real change.
            clients: list[tuple[dict[str, str], Sequence[Request]]] = []
            for headers, codes in jurors:
                requests = []
                for number in range(PER_CLIENT):
                    code = codes[number % K]
                    if number % K == 0:
                        current = next(passes)
                    scores = {slug: (current + index) % (top + 1) for index, (slug, top) in enumerate(SCALES.items())}
                    requests.append(
                        Request(
                            "POST",
                            f"/api/v1/jury/rounds/{round_id}/entries/{code}/review/submit/",
                            {"scores": scores, "comment": f"Pass {current}"},
                        )
                    )
                clients.append((headers, requests))
            return clients

        listing = [(headers, [Request("GET", "/api/v1/jury/assignments/")] * PER_CLIENT) for headers, _ in jurors]
        sent = 0
        # Warm-up: connections, workers' caches, and every review made (its first submission).
        run([(headers, requests[:K]) for headers, requests in listing])
        warm = submissions()
        run([(headers, requests[:K]) for headers, requests in warm])
        sent += CLIENTS * K
        reference: list[Run] = []
        submitted: list[Run] = []
        for _ in range(ROUNDS):
            reference.append(run(listing))
            submitted.append(run(submissions()))
            sent += CLIENTS * PER_CLIENT
    check(round_id, sent)
    base = max(run.per_second for run in reference)
    value = max(run.per_second for run in submitted)
    print(
        f"# reviews: {CLIENTS} clients, {sent} submissions, assignments list {base:.1f} req/s, "
        f"submit runs {', '.join(f'{run.per_second:.1f}' for run in submitted)} req/s",
        file=sys.stderr,
    )
    print(f"BENCH review_submit_50_clients {value:.1f} req/s ratio={value / base:.2f} target={TARGET_RATIO}")


def set_up() -> tuple[int, list[tuple[dict[str, str], list[str]]]]:
    """The contest, its rubric, fifty jurors with tokens and three entries each in an open round."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from api_tokens.services import api_token_create
    from contest.enums import EntryStatus, Role
    from contest.models import Contest, ContestRole, Entry
    from judging.enums import RoundStatus
    from judging.models import Assignment, Criterion, Juror, Round, RoundEntry, RoundJuror, Rubric

    call_command("migrate", "--noinput", verbosity=0)
    call_command("contest_load", str(ROOT / "exchange" / "demo" / "demo_contest.yaml"), stdout=io.StringIO())
    contest = Contest.objects.get(slug="effective-digital-platform")
    nomination = contest.nominations.first()
    assert nomination is not None
    rubric, _created = Rubric.objects.get_or_create(contest=contest)
    for order, (slug, top) in enumerate(SCALES.items(), start=1):
        Criterion.objects.create(rubric=rubric, slug=slug, name=slug, name_en=slug, max_score=top, order=order)
    User = get_user_model()
    now = timezone.now()
    authors = User.objects.bulk_create(
        User(username=f"author{n}", email=f"author{n}@example.org") for n in range(ENTRIES)
    )
    entries = Entry.objects.bulk_create(
        Entry(
            contest=contest,
            author=author,
            code=f"B{n:05d}",
            title=f"Lesson {n}",
            nomination=nomination,
            status=EntryStatus.SUBMITTED,
            submitted_at=now,
        )
        for n, author in enumerate(authors)
    )
    users = User.objects.bulk_create(User(username=f"juror{n}", email=f"juror{n}@example.org") for n in range(CLIENTS))
    ContestRole.objects.bulk_create(ContestRole(contest=contest, user=user, role=Role.JUROR) for user in users)
    jurors = Juror.objects.bulk_create(Juror(contest=contest, user=user) for user in users)
    round = Round.objects.create(
        contest=contest, number=1, name="Round 1", name_en="Round 1", reviews_per_entry=K, status=RoundStatus.OPEN
    )
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in entries)
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in jurors)
    Assignment.objects.bulk_create(
        Assignment(round=round, juror=juror, entry=entries[(n + shift) % ENTRIES])
        for n, juror in enumerate(jurors)
        for shift in range(K)
    )
    clients = [
        (
            {
                "Authorization": f"Token {api_token_create(actor=user, name='bench')[1]}",
                "Accept-Language": "en",
                "Content-Type": "application/json",
            },
            [entries[(n + shift) % ENTRIES].code for shift in range(K)],
        )
        for n, user in enumerate(users)
    ]
    return round.pk, clients


def check(round_id: int, sent: int) -> None:
    """Every review submitted, and one history row per submission sent (each one changed something)."""
    from judging.enums import ReviewStatus
    from judging.models import Review, ReviewChange

    reviews = Review.objects.filter(round_id=round_id)
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED).count()
    history = ReviewChange.objects.filter(review__round_id=round_id).count()
    if (reviews.count(), submitted, history) != (CLIENTS * K, CLIENTS * K, sent):
        raise SystemExit(f"reviews {reviews.count()}, submitted {submitted}, history {history}; expected {sent}")


if __name__ == "__main__":
    main()
