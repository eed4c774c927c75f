"""Statistics of a contest's participants per platform, nomination and university.

Definitions (they are what organisers report, so every figure follows them exactly):

- A *participant* is the author (a user) of an entry; co-authors are names on the entry, not
  accounts, and are not counted. A participant belongs to the university of their profile; a
  participant without one is counted under "No university".
- Only *submitted* entries count: drafts, withdrawn and disqualified entries never do. A university's
  participants are its participants with at least one submitted entry in the contest.
- The per-platform table has one row per platform of the contest, in the contest's order (the
  "Other" platform included, last), and one column per university with at least one participant
  (ordered by name), then "No university" if anyone has none, then "Total". A cell counts the
  university's participants with at least one submitted entry tagged with the platform (a person
  with two such entries counts once) and gives that count as a percent of the university's
  participants, with one decimal rounded half up ("0.0" for none).
- Under the "Other" platform, the names entrants typed for it (Kahoot!, Quizizz, ...) are counted
  the same way, one sub-row per name: names equal but for case and spacing (" kahoot! " and
  "Kahoot!") are one, shown in their most common spelling; sub-rows come largest first. An "Other"
  entry without a name counts in the "Other" row only, and a participant who named two platforms
  counts under each, so the sub-rows need not add up to the "Other" row.
- The nomination table counts submitted entries (not people) per nomination and university of
  the author.

Every count is made by the database (``COUNT(DISTINCT ...)`` with ``GROUP BY``); the number of
queries and the memory used depend on the number of platforms, nominations and universities,
never on the number of entries. The "Other" names are the exception for memory: one query reads the
distinct (name, university, participant) of the submitted "Other" entries, and Python groups the names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from contest.models import Contest, Entry, Nomination, Platform, University

#: The key of the column of participants whose profile names no university.
NO_UNIVERSITY = "no-university"
#: The key of the column over every participant.
TOTAL = "total"
TENTH = Decimal("0.1")

UniversityKey = int | None


@dataclass(frozen=True)
class Column:
    """A column of the tables: a university (``None``: no university, or the total) and its participants."""

    key: str
    name: str
    participants: int
    university: University | None = None

    @property
    def label(self) -> str:
        """``University (26)``: the header the organisers' table carries."""
        return f"{self.name} ({self.participants})"


@dataclass(frozen=True)
class Share:
    """How many participants of a column, and their percent of the column's participants."""

    count: int
    percent: Decimal


@dataclass(frozen=True)
class OtherName:
    """A name typed under the "Other" platform, in its most common spelling: a share per column (the last: total)."""

    name: str
    shares: list[Share]


@dataclass(frozen=True)
class PlatformRow:
    """One platform: a share per column (the last one is the total); for "Other", the names typed for it."""

    platform: Platform
    shares: list[Share]
    others: tuple[OtherName, ...] = ()


@dataclass(frozen=True)
class PlatformTable:
    """Participants per platform and university; ``columns`` end with the total."""

    columns: list[Column]
    rows: list[PlatformRow]


@dataclass(frozen=True)
class NominationRow:
    """One nomination: submitted entries per column (the last one is the total)."""

    nomination: Nomination
    counts: list[int]


@dataclass(frozen=True)
class NominationTable:
    """Submitted entries per nomination and university of the author; ``columns`` end with the total."""

    columns: list[Column]
    rows: list[NominationRow]
    totals: list[int]


def share_percent(count: int, of: int) -> Decimal:
    """``count`` as a percent of ``of`` with one decimal, rounded half up; 0.0 when ``of`` is 0."""
    if of == 0:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(of)).quantize(TENTH, rounding=ROUND_HALF_UP)


def share_label(share: Share) -> str:
    """``6 (23.1%)``, with the decimal separator of the active language."""
    return f"{share.count} ({number_format(share.percent, 1)}%)"


def _submitted(contest: Contest) -> QuerySet[Entry]:
    return Entry.objects.filter(contest=contest).eligible().order_by()


def participant_columns(*, contest: Contest) -> list[Column]:
    """The universities with participants (by name), "No university" if any, and the total: two queries."""
    counts: dict[UniversityKey, int] = {
        row["author_university"]: row["participants"]
        for row in _submitted(contest).values("author_university").annotate(participants=Count("author", distinct=True))
    }
    universities = University.objects.filter(pk__in=[key for key in counts if key is not None]).order_by("name", "pk")
    columns = [
        Column(key=university.slug, name=university.name, participants=counts[university.pk], university=university)
        for university in universities
    ]
    if None in counts:
        columns.append(Column(key=NO_UNIVERSITY, name=_("No university"), participants=counts[None]))
    # Each entry keeps its author's university from its submission; a participant whose entries were submitted
    # from two universities counts in both columns, and the total adds the columns up.
    columns.append(Column(key=TOTAL, name=_("Total"), participants=sum(counts.values())))
    return columns


def _column_keys(columns: list[Column]) -> list[UniversityKey]:
    """The university id behind each column but the total (``None`` for "No university")."""
    return [column.university.pk if column.university is not None else None for column in columns[:-1]]


def other_name_key(text: str) -> str:
    """What makes two names typed under "Other" one: case and spacing aside (`` kahoot! `` is ``kahoot!``)."""
    return " ".join(text.split()).casefold()


def _shares(found: list[int], columns: list[Column]) -> list[Share]:
    return [
        Share(count=count, percent=share_percent(count, column.participants))
        for count, column in zip(found, columns, strict=True)
    ]


def other_names(*, contest: Contest, columns: list[Column]) -> tuple[OtherName, ...]:
    """The names typed under "Other" in submitted entries, with their participants per column: largest first."""
    authors: dict[str, dict[UniversityKey, set[int]]] = defaultdict(lambda: defaultdict(set))
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    typed = (
        _submitted(contest)
        .filter(platforms__is_other=True)
        .exclude(other_platform="")
        .values_list("other_platform", "author_university", "author")
        .distinct()
    )
    for text, university, author in typed:
        key = other_name_key(text)
        if not key:
            continue
        authors[key][university].add(author)
        spellings[key][" ".join(text.split())] += 1
    keys = _column_keys(columns)
    names = []
    for key, by_university in authors.items():
        # The most common spelling; of equally common ones, the first by code point ("Kahoot!" before "kahoot!").
        spelling = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        found = [len(by_university.get(university, ())) for university in keys]
        found.append(sum(found))
        names.append(OtherName(name=spelling, shares=_shares(found, columns)))
    names.sort(key=lambda other: (-other.shares[-1].count, other.name.casefold()))
    return tuple(names)


def platform_table(*, contest: Contest, columns: list[Column] | None = None) -> PlatformTable:
    """Participants with a submitted entry per platform and university, with their percent."""
    if columns is None:
        columns = participant_columns(contest=contest)
    counts: dict[tuple[int, UniversityKey], int] = {
        (row["platforms"], row["author_university"]): row["participants"]
        for row in _submitted(contest)
        .filter(platforms__isnull=False)
        .values("platforms", "author_university")
        .annotate(participants=Count("author", distinct=True))
    }
    keys = _column_keys(columns)
    others = other_names(contest=contest, columns=columns)
    rows = []
    for platform in Platform.objects.filter(contest=contest):
        found = [counts.get((platform.pk, key), 0) for key in keys]
        found.append(sum(found))
        rows.append(
            PlatformRow(platform=platform, shares=_shares(found, columns), others=others if platform.is_other else ())
        )
    return PlatformTable(columns=columns, rows=rows)


def nomination_table(*, contest: Contest, columns: list[Column] | None = None) -> NominationTable:
    """Submitted entries per nomination and university of the author."""
    if columns is None:
        columns = participant_columns(contest=contest)
    counts: dict[tuple[int, UniversityKey], int] = defaultdict(int)
    for row in _submitted(contest).values("nomination", "author_university").annotate(entries=Count("pk")):
        counts[(row["nomination"], row["author_university"])] = row["entries"]
    keys = _column_keys(columns)
    rows = []
    for nomination in Nomination.objects.filter(contest=contest):
        found = [counts[(nomination.pk, key)] for key in keys]
        rows.append(NominationRow(nomination=nomination, counts=[*found, sum(found)]))
    totals = [sum(row.counts[index] for row in rows) for index in range(len(columns))]
    return NominationTable(columns=columns, rows=rows, totals=totals)
