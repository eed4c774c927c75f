"""Benchmark: the ranking of a round of 10,000 entries, 3 submitted reviews each, 6 criteria (180,000 scores).

Prints ``BENCH ranking_10000x3x6 <seconds> s ratio=<r> target=2``.

The round lives in a PostgreSQL database made for the run and dropped after it. The measure is
:func:`judging.ranking.round_ranking` as a page calls it: the four queries, every method's figures,
ranks and places per nomination, and the table of rows. The reference, in the same run, is a plain
NumPy computation of the same figures (every method, criterion means, the place by the mean) from
arrays already in memory, written for this dense shape (every entry has exactly three reviews), so
the ratio says how much reading the scores and building the table cost over the arithmetic itself.
That ratio has no natural bound (it mostly measures the database round trip), so the target is the
time budget: 2 seconds for the whole ranking. Each measure runs ``ROUNDS`` times and the best
counts. The ranking's figures must match the reference to nine decimals, or the run fails.
"""

from __future__ import annotations

import io
import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from _server import run_with_django

ROOT = Path(__file__).resolve().parent.parent
ENTRIES, K, JURORS = 10_000, 3, 150
#: The highest score and the weight of each criterion.
CRITERIA = [(10, 3.0), (5, 2.0), (5, 1.5), (3, 1.0), (4, 1.0), (2, 0.5)]
ROUNDS = 3
TARGET_SECONDS = 2.0


@dataclass(frozen=True)
class Scores:
    """The round's scores in memory as the reference reads them: review r is entry r // K."""

    entry_nomination: np.ndarray[Any, Any]
    review_juror: np.ndarray[Any, Any]
    values: np.ndarray[Any, Any]  # reviews × criteria


def main() -> None:
    run_with_django("baige_bench_ranking", lambda _folder: measure())


def measure() -> None:
    from judging.ranking import round_ranking

    started = time.perf_counter()
    round, scores, entry_ids = set_up()
    print(f"# ranking: set up {ENTRIES * K * len(CRITERIA)} scores in {time.perf_counter() - started:.1f} s")

    timings, references = [], []
    ranking = reference = None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        reference = figures(scores)
        references.append(time.perf_counter() - started)
        started = time.perf_counter()
        ranking = round_ranking(round)
        timings.append(time.perf_counter() - started)
    assert ranking is not None and reference is not None
    check(ranking, reference, entry_ids)
    value, base = min(timings), min(references)
    print(
        f"# ranking: round_ranking {', '.join(f'{t:.3f}' for t in timings)} s, "
        f"NumPy reference {', '.join(f'{t:.4f}' for t in references)} s",
        file=sys.stderr,
    )
    print(f"BENCH ranking_10000x3x6 {value:.2f} s ratio={value / base:.1f} target={TARGET_SECONDS:g}")


def set_up() -> tuple[Any, Scores, list[int]]:
    """The demo contest with a six-criterion rubric and a round of 10,000 entries, each scored by three jurors."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from contest.enums import EntryStatus, Role
    from contest.models import Contest, ContestRole, Entry
    from judging.enums import ReviewStatus, RoundStatus
    from judging.models import Criterion, Juror, Review, Round, RoundEntry, RoundJuror, Rubric, Score

    call_command("migrate", "--noinput", verbosity=0)
    call_command("contest_load", str(ROOT / "exchange" / "demo" / "demo_contest.yaml"), stdout=io.StringIO())
    contest = Contest.objects.get(slug="effective-digital-platform")
    nominations = list(contest.nominations.order_by("order", "id"))
    rubric, _created = Rubric.objects.get_or_create(contest=contest)
    criteria = [
        Criterion.objects.create(
            rubric=rubric,
            slug=f"c{order}",
            name=f"C{order}",
            name_en=f"C{order}",
            max_score=top,
            weight=weight,
            order=order,
        )
        for order, (top, weight) in enumerate(CRITERIA, start=1)
    ]
    User = get_user_model()
    now = timezone.now()
    rng = random.Random(2026)
    authors = User.objects.bulk_create(
        (User(username=f"author{n}", email=f"author{n}@example.org") for n in range(ENTRIES)), batch_size=2000
    )
    entry_nomination = [n % len(nominations) for n in range(ENTRIES)]
    entries = Entry.objects.bulk_create(
        (
            Entry(
                contest=contest,
                author=author,
                code=f"R{n:05d}",
                title=f"Lesson {n}",
                nomination=nominations[entry_nomination[n]],
                status=EntryStatus.SUBMITTED,
                # A few share a moment, so that some ties go all the way to a shared place.
                submitted_at=now - timedelta(minutes=n % 997),
            )
            for n, author in enumerate(authors)
        ),
        batch_size=2000,
    )
    users = User.objects.bulk_create(User(username=f"juror{n}", email=f"juror{n}@example.org") for n in range(JURORS))
    ContestRole.objects.bulk_create(ContestRole(contest=contest, user=user, role=Role.JUROR) for user in users)
    jurors = Juror.objects.bulk_create(Juror(contest=contest, user=user) for user in users)
    round = Round.objects.create(
        contest=contest, number=1, name="Round 1", name_en="Round 1", reviews_per_entry=K, status=RoundStatus.OPEN
    )
    RoundEntry.objects.bulk_create((RoundEntry(round=round, entry=entry) for entry in entries), batch_size=5000)
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in jurors)
    review_juror = [jurors_index for n in range(ENTRIES) for jurors_index in rng.sample(range(JURORS), K)]
    reviews = Review.objects.bulk_create(
        (
            Review(
                round=round,
                juror=jurors[review_juror[r]],
                entry=entries[r // K],
                status=ReviewStatus.SUBMITTED,
                submitted_at=now,
            )
            for r in range(ENTRIES * K)
        ),
        batch_size=5000,
    )
    # Jurors differ in how harsh they are, so that the normalised ranking differs from the mean's.
    harshness = [rng.uniform(-0.25, 0.25) for _ in range(JURORS)]
    values = np.zeros((ENTRIES * K, len(CRITERIA)), dtype=np.int64)
    for r in range(ENTRIES * K):
        quality = (r // K) / ENTRIES
        for c, (top, _weight) in enumerate(CRITERIA):
            level = quality + harshness[review_juror[r]] + rng.uniform(-0.3, 0.3)
            values[r, c] = min(top, max(0, round_half(level * top)))
    Score.objects.bulk_create(
        (
            Score(review=reviews[r], criterion=criterion, value=int(values[r, c]), max_score=criterion.max_score)
            for r in range(ENTRIES * K)
            for c, criterion in enumerate(criteria)
        ),
        batch_size=10_000,
    )
    return (
        round,
        Scores(
            entry_nomination=np.array(entry_nomination, dtype=np.int64),
            review_juror=np.array(review_juror, dtype=np.int64),
            values=values,
        ),
        [entry.pk for entry in entries],
    )


def round_half(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def figures(scores: Scores) -> dict[str, np.ndarray[Any, Any]]:
    """The reference: every figure and the place by the mean from the in-memory arrays, for this dense shape."""
    scales = np.array([top for top, _weight in CRITERIA], dtype=np.float64)
    weights = np.array([weight for _top, weight in CRITERIA])
    total = 100 * (scores.values / scales) @ weights / weights.sum()
    by_entry = total.reshape(ENTRIES, K)
    mean = by_entry.mean(axis=1)
    median = np.median(by_entry, axis=1)
    trimmed = mean  # three reviews: fewer than four, nothing is dropped
    counts = np.bincount(scores.review_juror, minlength=JURORS)
    juror_mean = np.bincount(scores.review_juror, weights=total, minlength=JURORS) / counts
    deviation = total - juror_mean[scores.review_juror]
    sigma = np.sqrt(np.bincount(scores.review_juror, weights=deviation**2, minlength=JURORS) / counts)
    z = np.where(sigma[scores.review_juror] > 0, deviation / sigma[scores.review_juror], 0.0)
    mean_z = z.reshape(ENTRIES, K).mean(axis=1)
    normalised = mean.min() + (mean_z - mean_z.min()) * (mean.max() - mean.min()) / (mean_z.max() - mean_z.min())
    criterion_means = scores.values.reshape(ENTRIES, K, len(CRITERIA)).mean(axis=1)
    # The place by the mean in each nomination (competition ranking), ties left shared.
    key = np.round(mean, 9)
    order = np.lexsort((-key, scores.entry_nomination))
    place = np.empty(ENTRIES, dtype=np.int64)
    for nomination in np.unique(scores.entry_nomination):
        members = order[scores.entry_nomination[order] == nomination]
        sorted_key = key[members]
        place[members] = np.searchsorted(-sorted_key, -sorted_key, side="left") + 1
    return {
        "mean": mean,
        "median": median,
        "trimmed": trimmed,
        "normalised": normalised,
        "criterion_means": criterion_means,
        "place_by_mean": place,
    }


def check(ranking: Any, reference: dict[str, np.ndarray[Any, Any]], entry_ids: list[int]) -> None:
    """The ranking's figures are the reference's to nine decimals; its ranks by the mean are the reference's places."""
    index = {entry_id: n for n, entry_id in enumerate(entry_ids)}
    rows = list(ranking.rows())
    if len(rows) != ENTRIES:
        raise SystemExit(f"{len(rows)} rows, expected {ENTRIES}")
    worst = 0.0
    for row in rows:
        n = index[row.entry_id]
        for name in ("mean", "median", "trimmed", "normalised"):
            worst = max(worst, abs(row.value(name) - reference[name][n]))
        worst = max(worst, float(np.abs(np.array(row.criterion_means) - reference["criterion_means"][n]).max()))
        if row.ranks["mean"] != reference["place_by_mean"][n]:
            raise SystemExit(f"{row.code}: rank by mean {row.ranks['mean']}, reference {reference['place_by_mean'][n]}")
    shared = sum(row.shared for row in rows)
    print(f"# ranking: largest difference from the reference {worst:.1e}, {shared} entries share a place")
    if worst > 1e-9:
        raise SystemExit("the ranking's figures differ from the reference")


if __name__ == "__main__":
    main()
