"""Scores and winners per platform: how the entries built with each platform fared.

An entry's score in a round is the mean ``T`` of its submitted reviews there (``T = 100 · Σ w·s/M / Σ w``,
as :func:`judging.selectors.reviews.review_total`); a platform's figures are over the submitted entries tagged
with it (never a disqualified one) that have at least one submitted review in the round: how many, the
mean of their scores, the lowest and the highest. Drafts of reviews never count. The database computes it
all in one query, so neither time in Python nor memory grows with the number of reviews.

The winners per platform count, over every round's finalised results, the entries tagged with each
platform that were given a place (1, 2 or 3) or a special award, in one query as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q

from contest.enums import EntryStatus
from contest.models import Contest, Entry, Platform
from judging.enums import ReviewStatus
from judging.models import Criterion, Review, Round, Score

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlatformScore:
    """A platform in a round: its scored entries, their mean score, the lowest and highest (``None`` for none)."""

    platform: Platform
    entries: int
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


def _cents(value: object) -> Decimal | None:
    # PostgreSQL answers numeric (Decimal), SQLite a float: both become a Decimal with two places.
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _platform_figures_sql() -> str:
    # "* 1.0" keeps SQLite from dividing integers as integers; the table names are Django's own.
    return f"""
        WITH review_totals AS (
            SELECT r.entry_id AS entry_id,
                   100.0 * SUM(c.weight * s.value * 1.0 / s.max_score) / SUM(c.weight) AS total
            FROM {Review._meta.db_table} r
            JOIN {Score._meta.db_table} s ON s.review_id = r.id
            JOIN {Criterion._meta.db_table} c ON c.id = s.criterion_id
            WHERE r.round_id = %s AND r.status = %s
            GROUP BY r.id, r.entry_id
        ), entry_means AS (
            SELECT entry_id, AVG(total) AS mean FROM review_totals GROUP BY entry_id
        )
        SELECT tagged.platform_id, COUNT(*), AVG(m.mean), MIN(m.mean), MAX(m.mean)
        FROM entry_means m
        JOIN {Entry._meta.db_table} e ON e.id = m.entry_id
        JOIN {Entry.platforms.through._meta.db_table} tagged ON tagged.entry_id = m.entry_id
        WHERE e.status = %s AND e.disqualified_at IS NULL
        GROUP BY tagged.platform_id
    """  # noqa: S608


def platform_scores(*, round: Round) -> list[PlatformScore]:
    """Every platform of the round's contest (in the contest's order) with its entries' scores in the round."""
    with connection.cursor() as cursor:
        cursor.execute(_platform_figures_sql(), [round.pk, ReviewStatus.SUBMITTED.value, EntryStatus.SUBMITTED.value])
        figures = {row[0]: row[1:] for row in cursor.fetchall()}
    scores = []
    for platform in Platform.objects.filter(contest_id=round.contest_id):
        entries, mean, lowest, highest = figures.get(platform.pk, (0, None, None, None))
        scores.append(
            PlatformScore(
                platform=platform, entries=entries, mean=_cents(mean), lowest=_cents(lowest), highest=_cents(highest)
            )
        )
    return scores


@dataclass(frozen=True)
class PlatformWinners:
    """A platform's awarded entries over every round's finalised results: by place 1–3, special, and all.

    An entry counts once per column however many awards of that kind it has, so ``total`` (entries with
    any award) may be less than the sum of the other columns.
    """

    platform: Platform
    first: int
    second: int
    third: int
    special: int
    total: int


def platform_winners(*, contest: Contest) -> list[PlatformWinners]:
    """Every platform of the contest (in its order) with the awarded entries tagged with it; one query."""
    # Awards exist only in finalised results, so every award counts; places and special awards
    # (no place) are told apart by the place alone.
    awarded = "entries__awards"

    def entries_with(condition: Q) -> Count:
        return Count("entries", filter=condition, distinct=True)

    platforms = Platform.objects.filter(contest=contest).annotate(
        first=entries_with(Q(**{f"{awarded}__place": 1})),
        second=entries_with(Q(**{f"{awarded}__place": 2})),
        third=entries_with(Q(**{f"{awarded}__place": 3})),
        special=entries_with(Q(**{f"{awarded}__isnull": False, f"{awarded}__place__isnull": True})),
        total=entries_with(Q(**{f"{awarded}__isnull": False})),
    )
    return [
        PlatformWinners(
            platform=platform,
            first=platform.first,
            second=platform.second,
            third=platform.third,
            special=platform.special,
            total=platform.total,
        )
        for platform in platforms
    ]
