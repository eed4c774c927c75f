"""Exports of a contest's data as tables, written as CSV, XLSX or JSON by :mod:`exchange.sheet_writers`.

An exporter is registered under a name (``assignments``, ``reviews``, ``entries``, …) and builds a
:class:`~exchange.sheet_writers.Table`: a header and an iterator of rows. Rows are read from the database
in chunks (``.iterator(chunk_size=...)``, with related rows prefetched per chunk), so an export of any size
holds one chunk in memory and costs a fixed number of queries per chunk, never one per row.
The column names are a fixed, machine-readable interface: they are not translated.

A summary such as ``platform-stats`` is small whatever the contest's size; its table may also carry
formatted sheets for people (XLSX: one sheet per view, as the organiser's page shows them) and a
structured document (JSON) instead of being written row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from config.exceptions import BaigeError
from contest.models import Contest, Entry, Platform
from contest.services import Actor, contest_ensure_organiser
from contest.statistics import (
    Column,
    NominationTable,
    PlatformTable,
    Share,
    nomination_table,
    participant_columns,
    platform_table,
    share_label,
)
from exchange.sheet_writers import Cell, Sheet, Table
from judging.enums import RankingMethod, ReviewStatus
from judging.models import Assignment, Award, Results, Review, Round
from judging.ranking import RoundRanking, round_ranking
from judging.selectors.reviews import review_total
from judging.selectors.rubric import criteria_of
from judging.statistics import (
    OtherScore,
    OtherWinners,
    PlatformScore,
    PlatformWinners,
    platform_scores,
    platform_winners,
)

#: Rows read from the database at a time.
CHUNK_SIZE = 1000
#: The formats of the exports page's links.
FORMATS = ("csv", "xlsx")
#: Every format Baige writes: the command and the statistics page offer JSON as well.
ALL_FORMATS = (*FORMATS, "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
#: The review status of an assignment whose juror has not opened the entry yet.
NOT_STARTED = "not_started"
CENT = Decimal("0.01")


class ExportRefused(BaigeError):
    """The export asked for does not exist: an unknown kind, format or round."""

    code = "export_refused"


@dataclass(frozen=True)
class Exporter:
    """One kind of export: its name, a label for people, whether it can be limited to a round, how to build it."""

    name: str
    label: str | Promise
    by_round: bool
    build: Callable[[Contest, Round | None], Table]


EXPORTERS: dict[str, Exporter] = {}


def exporter_register(
    name: str, *, label: str | Promise, by_round: bool
) -> Callable[[Callable[[Contest, Round | None], Table]], Callable[[Contest, Round | None], Table]]:
    """Register a function ``(contest, round or None) -> Table`` as the exporter ``name``."""

    def register(build: Callable[[Contest, Round | None], Table]) -> Callable[[Contest, Round | None], Table]:
        EXPORTERS[name] = Exporter(name=name, label=label, by_round=by_round, build=build)
        return build

    return register


def export_file_name(*, contest: Contest, what: str, round_number: int | None, file_format: str) -> str:
    """``<slug>-<what>[-round-N].<ext>``."""
    suffix = f"-round-{round_number}" if round_number is not None else ""
    return f"{contest.slug}-{what}{suffix}.{file_format}"


def export_table(*, actor: Actor | None, contest: Contest, what: str, round_number: int | None = None) -> Table:
    """The table of export ``what`` for the contest, or one round of it; ``actor`` None is the server's operator."""
    if actor is not None:
        contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can download its exports."))
    exporter = EXPORTERS.get(what)
    if exporter is None:
        raise ExportRefused(
            _("Unknown export “%(what)s”; choose one of: %(known)s.") % {"what": what, "known": ", ".join(EXPORTERS)}
        )
    round = None
    if round_number is not None:
        if not exporter.by_round:
            raise ExportRefused(_("The export “%(what)s” covers the whole contest, not one round.") % {"what": what})
        round = Round.objects.filter(contest=contest, number=round_number).first()
        if round is None:
            numbers = ", ".join(str(n) for n in Round.objects.filter(contest=contest).values_list("number", flat=True))
            raise ExportRefused(
                _("Contest “%(slug)s” has no round %(number)d; its rounds are: %(numbers)s.")
                % {"slug": contest.slug, "number": round_number, "numbers": numbers or "—"}
            )
    return exporter.build(contest, round)


def export_round_number(text: str) -> int | None:
    """The round number written in ``text`` (``None`` when empty), else a clear refusal."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise ExportRefused(_("“%(round)s” is not a round number.") % {"round": text})
    return int(text)


def export_format_check(file_format: str, known: Sequence[str] = FORMATS) -> str:
    """The format if it is one of ``known``, else a clear refusal."""
    if file_format not in known:
        raise ExportRefused(
            _("Unknown format “%(format)s”; choose one of: %(known)s.")
            % {"format": file_format, "known": ", ".join(known)}
        )
    return file_format


# --- Exporters --------------------------------------------------------------------------------


def _local_iso(contest: Contest, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, contest.tzinfo).isoformat(timespec="seconds")


def _juror_name(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return profile.full_name if profile is not None else ""


#: The first columns of the assignments and of the reviews: in which round, which entry, which juror.
WORK_COLUMNS = ["round", "entry_code", "entry_title", "nomination", "juror_email", "juror_name"]


def _work_cells(work: Assignment | Review) -> list[Cell]:
    """The cells of :data:`WORK_COLUMNS` for an assignment or a review."""
    entry, user = work.entry, work.juror.user
    return [work.round.number, entry.code, entry.title, entry.nomination.name, user.email, _juror_name(user)]


def _in_current_language(rows: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
    """The rows, built in the language active now however late they are read."""
    # Streamed rows may be read after the request's language is gone: keep the one asked in.
    language = translation.get_language()

    def read() -> Iterator[list[Cell]]:
        with translation.override(language):
            yield from rows

    return read()


@exporter_register("assignments", label=gettext_lazy("Assignments"), by_round=True)
def assignments_table(contest: Contest, round: Round | None) -> Table:
    """Who reviews which entry in each round, how the assignment was made, and how far the review is."""
    review_status = Review.objects.filter(
        round_id=OuterRef("round_id"), juror_id=OuterRef("juror_id"), entry_id=OuterRef("entry_id")
    ).values("status")[:1]
    assignments = (
        Assignment.objects.filter(round__contest=contest)
        .select_related("round", "entry__nomination", "juror__user__profile", "juror__university")
        .annotate(review_status=Subquery(review_status))
        .order_by("round__number", "entry__code", "juror__user__email", "pk")
    )
    if round is not None:
        assignments = assignments.filter(round=round)
    header = [*WORK_COLUMNS, "juror_university", "origin", "review_status"]

    def rows() -> Iterator[list[Cell]]:
        for assignment in assignments.iterator(chunk_size=CHUNK_SIZE):
            university = assignment.juror.university
            yield [
                *_work_cells(assignment),
                university.name if university is not None else "",
                assignment.origin,
                assignment.review_status or NOT_STARTED,
            ]

    return Table(header=header, rows=_in_current_language(rows()))


@exporter_register("reviews", label=gettext_lazy("Reviews"), by_round=True)
def reviews_table(contest: Contest, round: Round | None) -> Table:
    """Every review with its score per criterion, its total T (0–100), the note for the organisers, the feedback
    for the entrant and the comment on each criterion."""
    criteria = list(criteria_of(contest))
    reviews = (
        Review.objects.filter(round__contest=contest)
        .select_related("round", "entry__nomination", "juror__user__profile")
        .prefetch_related("scores")
        .order_by("round__number", "entry__code", "juror__user__email", "pk")
    )
    if round is not None:
        reviews = reviews.filter(round=round)
    header = [
        *WORK_COLUMNS,
        "status",
        *(criterion.slug for criterion in criteria),
        "total",
        "comment",
        "feedback",
        *(f"{criterion.slug}_comment" for criterion in criteria),
        "submitted_at",
    ]

    def rows() -> Iterator[list[Cell]]:
        for review in reviews.iterator(chunk_size=CHUNK_SIZE):
            scores = {score.criterion_id: score.value for score in review.scores.all()}
            comments = {score.criterion_id: score.comment for score in review.scores.all()}
            total = review_total(scores, criteria) if review.status == ReviewStatus.SUBMITTED else None
            yield [
                *_work_cells(review),
                review.status,
                *(scores.get(criterion.pk) for criterion in criteria),
                total.quantize(CENT, rounding=ROUND_HALF_UP) if total is not None else None,
                review.comment,
                review.feedback,
                *(comments.get(criterion.pk, "") for criterion in criteria),
                _local_iso(contest, review.submitted_at),
            ]

    return Table(header=header, rows=_in_current_language(rows()))


#: The methods of the results' figure and rank columns, in SPEC §4's order.
RESULT_METHODS = (RankingMethod.MEAN, RankingMethod.MEDIAN, RankingMethod.TRIMMED, RankingMethod.NORMALISED)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _figure(value: float | None) -> Decimal | None:
    # str() gives the float's shortest text, so 81.25 rounds as 81.25 and not as 81.2499999….
    return None if value is None else Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _result_rows(
    ranking: RoundRanking, round: Round, awards: dict[int, list[str]], finalised: bool
) -> Iterator[list[Cell]]:
    for group in ranking.nominations:
        for row in group.rows:
            yield [
                round.number,
                group.nomination.name,
                row.place,
                _yes_no(row.shared),
                row.code,
                row.title,
                row.reviews,
                *(_figure(row.value(method)) for method in RESULT_METHODS),
                *(row.ranks.get(method) for method in RESULT_METHODS),
                "; ".join(awards.get(row.entry_id, [])),
                _yes_no(finalised),
            ]


@exporter_register("results", label=gettext_lazy("Results"), by_round=True)
def results_table(contest: Contest, round: Round | None) -> Table:
    """Each round's entries per nomination in ranking order: place, every method's figure and rank, awards."""
    rounds = [round] if round is not None else list(Round.objects.filter(contest=contest).order_by("number"))
    header = [
        "round",
        "nomination",
        "place",
        "shared",
        "entry_code",
        "entry_title",
        "reviews",
        *(method.value for method in RESULT_METHODS),
        *(f"rank_{method.value}" for method in RESULT_METHODS),
        "award",
        "finalised",
    ]

    def rows() -> Iterator[list[Cell]]:
        round_ids = [each.pk for each in rounds]
        finalised = set(Results.objects.filter(round_id__in=round_ids).values_list("round_id", flat=True))
        # The keys of each entry's awards, by round: {round id: {entry id: [key, …]}}.
        awards: dict[int, dict[int, list[str]]] = {}
        for round_id, entry_id, key in (
            Award.objects.filter(results__round_id__in=round_ids)
            .order_by("results__round_id", "order", "id")
            .values_list("results__round_id", "entry_id", "key")
        ):
            awards.setdefault(round_id, {}).setdefault(entry_id, []).append(key)
        # One round's ranking in memory at a time: four queries each, whatever its number of entries.
        for each in rounds:
            yield from _result_rows(round_ranking(each), each, awards.get(each.pk, {}), each.pk in finalised)

    return Table(header=header, rows=_in_current_language(rows()))


# --- Statistics -------------------------------------------------------------------------------


def other_name_label(platform: Platform, name: str) -> str:
    """A name typed under "Other" as a row of the files: ``Other: Kahoot!``."""
    return f"{platform.name}: {name}"


def _platform_lines(table: PlatformTable) -> Iterator[tuple[str, list[Share]]]:
    """Each platform's name and shares, each "Other" followed by the names typed under it (``Other: Kahoot!``)."""
    for row in table.rows:
        yield row.platform.name, row.shares
        for other in row.others:
            yield other_name_label(row.platform, other.name), other.shares


def _named_lines(platform: Platform, line: Any, others: tuple[Any, ...]) -> Iterator[tuple[str, Any]]:
    """A platform's line, then its "Other" names' lines (``Other: Kahoot!``)."""
    yield platform.name, line
    for other in others:
        yield other_name_label(platform, other.name), other


def _platform_sheet(table: PlatformTable) -> Sheet:
    # Cells are text exactly as organisers report them ("6 (23.1%)"); the numbers are in CSV and JSON.
    return Sheet(
        title=_("Platforms"),
        header=[_("Platform"), *(column.label for column in table.columns)],
        rows=[[name, *(share_label(share) for share in shares)] for name, shares in _platform_lines(table)],
    )


def _nomination_sheet(table: NominationTable) -> Sheet:
    rows: list[list[Cell]] = [[row.nomination.name, *row.counts] for row in table.rows]
    rows.append([_("Total"), *table.totals])
    return Sheet(
        title=_("Nominations"),
        header=[_("Nomination"), *(column.name for column in table.columns)],
        rows=rows,
    )


def _scores_sheet(scores: list[tuple[Round, list[PlatformScore]]]) -> Sheet:
    return Sheet(
        title=pgettext("jury score", "Scores"),
        header=[
            pgettext("judging round", "Round"),
            _("Platform"),
            _("Entries scored"),
            _("Mean score"),
            _("Lowest"),
            _("Highest"),
        ],
        rows=[
            [
                _("Round %(number)d · %(name)s") % {"number": round.number, "name": round.name},
                name,
                figures.entries,
                figures.mean,
                figures.lowest,
                figures.highest,
            ]
            for round, round_scores in scores
            for score in round_scores
            for name, figures in _named_lines(score.platform, score, score.others)
        ],
        number_formats={3: "0.00", 4: "0.00", 5: "0.00"},
    )


def _winners_sheet(winners: list[PlatformWinners]) -> Sheet:
    return Sheet(
        title=_("Winners"),
        header=[
            _("Platform"),
            _("1st place"),
            _("2nd place"),
            _("3rd place"),
            _("Special awards"),
            _("Awarded entries"),
        ],
        rows=[
            [name, counts.first, counts.second, counts.third, counts.special, counts.total]
            for each in winners
            for name, counts in _named_lines(each.platform, each, each.others)
        ],
    )


def _column_document(column: Column) -> dict[str, Any]:
    return {"key": column.key, "name": column.name, "participants": column.participants}


def _platform_document(platform: Platform) -> dict[str, Any]:
    return {"slug": platform.slug, "name": platform.name, "other": platform.is_other}


def _cells_document(keys: list[str], shares: list[Share]) -> dict[str, dict[str, Any]]:
    return {key: {"count": share.count, "percent": share.percent} for key, share in zip(keys, shares, strict=True)}


def _score_document(score: PlatformScore | OtherScore) -> dict[str, Any]:
    return {"entries": score.entries, "mean": score.mean, "lowest": score.lowest, "highest": score.highest}


def _winners_document(each: PlatformWinners | OtherWinners) -> dict[str, Any]:
    return {
        "first": each.first,
        "second": each.second,
        "third": each.third,
        "special": each.special,
        "total": each.total,
    }


def _statistics_document(
    contest: Contest,
    platforms: PlatformTable,
    nominations: NominationTable,
    scores: list[tuple[Round, list[PlatformScore]]],
    winners: list[PlatformWinners],
) -> dict[str, Any]:
    keys = [column.key for column in platforms.columns]
    return {
        "contest": contest.slug,
        "columns": [_column_document(column) for column in platforms.columns],
        "platforms": [
            {
                **_platform_document(row.platform),
                "cells": _cells_document(keys, row.shares),
                **(
                    {
                        "names": [
                            {"name": other.name, "cells": _cells_document(keys, other.shares)} for other in row.others
                        ]
                    }
                    if row.platform.is_other
                    else {}
                ),
            }
            for row in platforms.rows
        ],
        "nominations": [
            {
                "slug": row.nomination.slug,
                "name": row.nomination.name,
                "entries": dict(zip(keys, row.counts, strict=True)),
            }
            for row in nominations.rows
        ],
        "scores": [
            {
                "round": round.number,
                "name": round.name,
                "platforms": [
                    {
                        **_platform_document(score.platform),
                        **_score_document(score),
                        **(
                            {"names": [{"name": other.name, **_score_document(other)} for other in score.others]}
                            if score.platform.is_other
                            else {}
                        ),
                    }
                    for score in round_scores
                ],
            }
            for round, round_scores in scores
        ],
        "winners": [
            {
                **_platform_document(each.platform),
                **_winners_document(each),
                **(
                    {"names": [{"name": other.name, **_winners_document(other)} for other in each.others]}
                    if each.platform.is_other
                    else {}
                ),
            }
            for each in winners
        ],
    }


@exporter_register("platform-stats", label=gettext_lazy("Statistics per platform"), by_round=False)
def platform_stats_table(contest: Contest, round: Round | None) -> Table:
    """Participants per platform and university (CSV: count and percent in separate columns).

    XLSX holds four sheets: the per-platform table as organisers report it, submitted entries per
    nomination and university, the entries' scores per platform in each round, and the awarded entries
    per platform over every round's finalised results; JSON holds the same.
    """
    columns = participant_columns(contest=contest)
    platforms = platform_table(contest=contest, columns=columns)
    nominations = nomination_table(contest=contest, columns=columns)
    scores = [(each, platform_scores(round=each)) for each in Round.objects.filter(contest=contest).order_by("number")]
    winners = platform_winners(contest=contest)
    header = ["platform"]
    for column in columns:
        header += [f"{column.key} count", f"{column.key} percent"]
    rows: list[list[Cell]] = []
    for name, shares in _platform_lines(platforms):
        cells: list[Cell] = [name]
        for share in shares:
            cells += [share.count, share.percent]
        rows.append(cells)
    return Table(
        header=header,
        rows=iter(rows),
        sheets=(
            _platform_sheet(platforms),
            _nomination_sheet(nominations),
            _scores_sheet(scores),
            _winners_sheet(winners),
        ),
        document=_statistics_document(contest, platforms, nominations, scores, winners),
    )


@exporter_register("entries", label=gettext_lazy("Entries"), by_round=False)
def entries_table(contest: Contest, round: Round | None) -> Table:
    """Every entry of the contest, drafts and withdrawn ones included, with its author and its media file."""
    entries = (
        Entry.objects.filter(contest=contest)
        .select_related("nomination", "author__profile__university", "author_university", "media")
        .prefetch_related("platforms")
        .order_by("code", "pk")
    )
    header = [
        "code",
        "title",
        "status",
        "nomination",
        "platforms",
        "other_platform",
        "author",
        "email",
        "university",
        "submitted_at",
        "media_kind",
        "media_status",
    ]

    def rows() -> Iterator[list[Cell]]:
        for entry in entries.iterator(chunk_size=CHUNK_SIZE):
            profile = getattr(entry.author, "profile", None)
            university = entry.university_of_author
            media = entry.media
            yield [
                entry.code,
                entry.title,
                entry.status,
                entry.nomination.name,
                "; ".join(platform.name for platform in entry.platforms.all()),
                entry.other_platform,
                profile.full_name if profile is not None else "",
                entry.author.email,
                university.name if university is not None else "",
                _local_iso(contest, entry.submitted_at),
                media.kind if media is not None else "",
                media.status if media is not None else "",
            ]

    return Table(header=header, rows=_in_current_language(rows()))
