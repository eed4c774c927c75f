"""Scores and winners per platform: how the entries built with each platform fared.

An entry's score in a round is the mean ``T`` of its submitted reviews there (``T = 100 · Σ w·s/M / Σ w``,
as :func:`judging.selectors.reviews.review_total`); a platform's figures are over the submitted entries tagged
with it (never a disqualified one) that have at least one submitted review in the round: how many, the
mean of their scores, the lowest and the highest. Drafts of reviews never count. The database computes it
all in one query, so neither time in Python nor memory grows with the number of reviews.

The winners per platform count, over every round's finalised results, the entries tagged with each
platform that were given a place (1, 2 or 3) or a special award, in one query as well.

Under "Other", both give the same figures per name typed for it (names equal but for case and spacing
are one, as :func:`contest.statistics.other_name_key` says, shown in their most common spelling),
largest first: the scores from the same query, the winners from one more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from contest.enums import EntryStatus
from contest.models import Contest, Entry, Platform
from contest.statistics import other_name_key
from judging.enums import ReviewStatus
from judging.models import Criterion, Review, Round, Score

CENT = Decimal("0.01")


@dataclass(frozen=True)
class OtherScore:
    """A name typed under "Other" in a round: its scored entries, their mean score, the lowest and highest."""

    name: str
    entries: int
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


@dataclass(frozen=True)
class PlatformScore:
    """A platform in a round: its scored entries, their mean score, the lowest and highest (``None`` for none).

    For "Other", ``others`` holds the same per name typed for it, largest first.
    """

    platform: Platform
    entries: int
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    others: tuple[OtherScore, ...] = ()


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
        SELECT tagged.platform_id, CASE WHEN p.is_other THEN e.other_platform ELSE '' END AS named,
               COUNT(*), SUM(m.mean), MIN(m.mean), MAX(m.mean)
        FROM entry_means m
        JOIN {Entry._meta.db_table} e ON e.id = m.entry_id
        JOIN {Entry.platforms.through._meta.db_table} tagged ON tagged.entry_id = m.entry_id
        JOIN {Platform._meta.db_table} p ON p.id = tagged.platform_id
        WHERE e.status = %s AND e.disqualified_at IS NULL
        GROUP BY tagged.platform_id, named
    """  # noqa: S608


@dataclass
class _Figures:
    """Scored entries, the sum of their means, the lowest and highest mean: groups of entries add up."""

    entries: int = 0
    total: Decimal = Decimal(0)
    lowest: Decimal | None = None
    highest: Decimal | None = None
    spellings: Counter[str] = field(default_factory=Counter)

    def add(self, entries: int, total: Any, lowest: Any, highest: Any) -> None:
        self.entries += entries
        self.total += Decimal(str(total))
        low, high = Decimal(str(lowest)), Decimal(str(highest))
        self.lowest = low if self.lowest is None else min(self.lowest, low)
        self.highest = high if self.highest is None else max(self.highest, high)

    def mean(self) -> Decimal | None:
        return _cents(self.total / self.entries) if self.entries else None


def most_common_spelling(spellings: Counter[str]) -> str:
    """The spelling used most; of equally common ones, the first by code point ("Kahoot!" before "kahoot!")."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


def platform_scores(*, round: Round) -> list[PlatformScore]:
    """Every platform of the round's contest (in the contest's order) with its entries' scores in the round."""
    with connection.cursor() as cursor:
        cursor.execute(_platform_figures_sql(), [round.pk, ReviewStatus.SUBMITTED.value, EntryStatus.SUBMITTED.value])
        found = cursor.fetchall()
    # Rows come per platform and, for "Other", per name as typed: each entry is in one row of its platform.
    figures: dict[int, _Figures] = defaultdict(_Figures)
    named: dict[int, dict[str, _Figures]] = defaultdict(lambda: defaultdict(_Figures))
    for platform_id, text, entries, total, lowest, highest in found:
        figures[platform_id].add(entries, total, lowest, highest)
        key = other_name_key(text or "")
        if key:
            named[platform_id][key].add(entries, total, lowest, highest)
            named[platform_id][key].spellings[" ".join(text.split())] += entries
    scores = []
    for platform in Platform.objects.filter(contest_id=round.contest_id):
        mine = figures.get(platform.pk, _Figures())
        others = [
            OtherScore(
                name=most_common_spelling(each.spellings),
                entries=each.entries,
                mean=each.mean(),
                lowest=_cents(each.lowest),
                highest=_cents(each.highest),
            )
            for each in named.get(platform.pk, {}).values()
        ]
        others.sort(key=lambda other: (-other.entries, other.name.casefold()))
        scores.append(
            PlatformScore(
                platform=platform,
                entries=mine.entries,
                mean=mine.mean(),
                lowest=_cents(mine.lowest),
                highest=_cents(mine.highest),
                others=tuple(others),
            )
        )
    return scores


@dataclass(frozen=True)
class OtherWinners:
    """A name typed under "Other": its awarded entries by place 1–3, special, and all (as :class:`PlatformWinners`)."""

    name: str
    first: int
    second: int
    third: int
    special: int
    total: int


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
    others: tuple[OtherWinners, ...] = ()


#: The columns of the winners, each counting entries with an award of that kind.
WINNER_COLUMNS = ("first", "second", "third", "special", "total")


def _awarded_counts(queryset: QuerySet[Any], entries: str) -> QuerySet[Any]:
    """``queryset`` with its entries (at ``entries``) awarded by place 1–3, special, and all."""
    # Awards exist only in finalised results, so every award counts; places and special awards
    # (no place) are told apart by the place alone.
    awarded = f"{entries}__awards" if entries else "awards"

    def entries_with(condition: Q) -> Count:
        return Count(entries or "pk", filter=condition, distinct=True)

    return queryset.annotate(
        first=entries_with(Q(**{f"{awarded}__place": 1})),
        second=entries_with(Q(**{f"{awarded}__place": 2})),
        third=entries_with(Q(**{f"{awarded}__place": 3})),
        special=entries_with(Q(**{f"{awarded}__isnull": False, f"{awarded}__place__isnull": True})),
        total=entries_with(Q(**{f"{awarded}__isnull": False})),
    )


def _other_winners(contest: Contest) -> tuple[OtherWinners, ...]:
    """The names typed under "Other" with their awarded entries: one query, grouped by the name as typed."""
    rows = (
        _awarded_counts(
            Entry.objects.filter(contest=contest, platforms__is_other=True)
            .exclude(other_platform="")
            .values("other_platform"),
            "",
        )
        .annotate(entries=Count("pk", distinct=True))
        .order_by()
    )
    # Each entry has one name, so the counts of the spellings of a name add up.
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        key = other_name_key(row["other_platform"])
        if not key:
            continue
        for column in WINNER_COLUMNS:
            counts[key][column] += row[column]
        spellings[key][" ".join(row["other_platform"].split())] += row["entries"]
    others = [
        OtherWinners(name=most_common_spelling(spellings[key]), **{column: found[column] for column in WINNER_COLUMNS})
        for key, found in counts.items()
        if found["total"]
    ]
    return tuple(sorted(others, key=lambda other: (-other.total, other.name.casefold())))


def platform_winners(*, contest: Contest) -> list[PlatformWinners]:
    """Every platform of the contest (in its order) with the awarded entries tagged with it, and under "Other"
    the names with awards; two queries."""
    platforms = _awarded_counts(Platform.objects.filter(contest=contest), "entries")
    others = _other_winners(contest)
    return [
        PlatformWinners(
            platform=platform,
            first=platform.first,
            second=platform.second,
            third=platform.third,
            special=platform.special,
            total=platform.total,
            others=others if platform.is_other else (),
        )
        for platform in platforms
    ]
