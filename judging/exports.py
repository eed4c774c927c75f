"""Exports of a contest's data as tables, and writers for CSV and XLSX.

An exporter is registered under a name (``assignments``, ``reviews``, …) and builds a
:class:`Table`: a header and an iterator of rows. Rows are read from the database in chunks
(``.iterator(chunk_size=...)``, with related rows prefetched per chunk), so an export of any size
holds one chunk in memory and costs a fixed number of queries per chunk, never one per row.
The column names are a fixed, machine-readable interface: they are not translated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from config.exceptions import BaigeError, NotAllowed
from contest.models import Contest
from contest.services import Actor
from judging.enums import ReviewStatus
from judging.models import Assignment, Review, Round
from judging.selectors import criteria_of, review_total

#: Rows read from the database at a time.
CHUNK_SIZE = 1000
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The review status of an assignment whose juror has not opened the entry yet.
NOT_STARTED = "not_started"
#: What a spreadsheet program would run as a formula when a text cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CENT = Decimal("0.01")
#: Characters of CSV sent at a time while streaming.
CSV_PIECE = 64 * 1024

Cell = str | int | Decimal | None


class ExportRefused(BaigeError):
    """The export asked for does not exist: an unknown kind, format or round."""

    code = "export_refused"


@dataclass(frozen=True)
class Table:
    """An export's column names and its rows, read lazily."""

    header: list[str]
    rows: Iterator[Sequence[Cell]]


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
    if actor is not None and not actor.has_perm("contest.manage_contest", contest):
        raise NotAllowed(_("Only the contest's organisers can download its exports."))
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


def export_format_check(file_format: str) -> str:
    """The format if Baige writes it, else a clear refusal."""
    if file_format not in FORMATS:
        raise ExportRefused(
            _("Unknown format “%(format)s”; choose one of: %(known)s.")
            % {"format": file_format, "known": ", ".join(FORMATS)}
        )
    return file_format


# --- Writers ----------------------------------------------------------------------------------


def _csv_text(value: Cell) -> Cell:
    # Exports hold text typed by participants and jurors; a spreadsheet program opening the CSV
    # would run "=HYPERLINK(...)" as a formula, so such text is kept as text with a leading quote.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, in pieces of a few tens of kilobytes, for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_csv_text(value) for value in row])
        if buffer.tell() >= CSV_PIECE:
            yield _flush(buffer)
    yield _flush(buffer)


def _flush(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def export_write_csv(table: Table, stream: IO[str]) -> None:
    """Write the table as CSV to a text stream."""
    for line in export_csv_lines(table):
        stream.write(line)


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell) -> Any:
    if not isinstance(value, str):
        return value
    # XML cannot hold control characters; openpyxl refuses them rather than dropping them.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        # openpyxl stores text starting with "=" as a formula; participants' text stays text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_write_xlsx(table: Table, target: IO[bytes] | str) -> None:
    """Write the table as an XLSX workbook of one sheet, row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="export")
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


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
    """Every review with its score per criterion, its total T (0–100) and its comment."""
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
        "submitted_at",
    ]

    def rows() -> Iterator[list[Cell]]:
        for review in reviews.iterator(chunk_size=CHUNK_SIZE):
            scores = {score.criterion_id: score.value for score in review.scores.all()}
            total = review_total(scores, criteria) if review.status == ReviewStatus.SUBMITTED else None
            yield [
                *_work_cells(review),
                review.status,
                *(scores.get(criterion.pk) for criterion in criteria),
                total.quantize(CENT, rounding=ROUND_HALF_UP) if total is not None else None,
                review.comment,
                _local_iso(contest, review.submitted_at),
            ]

    return Table(header=header, rows=_in_current_language(rows()))
