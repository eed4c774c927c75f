"""Recording paper scoresheets: a spreadsheet (CSV or XLSX) of reviews, one line per juror and entry.

The columns are ``juror_email``, ``entry_code``, one column per criterion of the rubric (named by
the criterion's short name or its name in any language), and optional ``comment`` (the note for the
organisers), ``feedback`` (for the entrant) and ``<criterion short name>_comment`` (a comment on the
criterion for the entrant). Each line
goes through :func:`judging.services.reviews.review_submit` as if the juror had submitted it on the web,
so the same rules hold (assigned entry, open round, scores within the scale) and every change is
kept in the review's history. Every line is checked, the whole file runs in one transaction, and a
single bad line saves nothing: the result names every bad line with its number and the reason.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, NotAllowed
from contest.models import Entry
from contest.services import Actor
from contest.texts import TEXT_LANGUAGES
from exchange.sheets import FILE_LINE, HEADER_LINE, ImportRefused, LineError, SheetImportResult, SheetRow, sheet_read
from judging.enums import ReviewStatus
from judging.models import Assignment, Criterion, Juror, Review, Round
from judging.selectors.jury import entrant_pairs
from judging.selectors.rubric import criteria_of
from judging.services.reviews import MAX_TEXT_LENGTH, FeedbackMissing, review_feedback_check, review_submit
from judging.services.rounds import RoundNotOpen

JUROR_COLUMN = "juror_email"
ENTRY_COLUMN = "entry_code"
COMMENT_COLUMN = "comment"
FEEDBACK_COLUMN = "feedback"
#: Added to a criterion's short name, it names the column of the comments on that criterion.
CRITERION_COMMENT_SUFFIX = "_comment"
REVIEW_FIXED_COLUMNS = (JUROR_COLUMN, ENTRY_COLUMN)
TEXT_COLUMNS = (COMMENT_COLUMN, FEEDBACK_COLUMN)
WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")


@dataclass
class ReviewImportResult(SheetImportResult):
    """What an import of reviews did (or, in a dry run, would do)."""

    created: int = 0
    revised: int = 0
    unchanged: int = 0


@dataclass
class _ReviewLine:
    line: int
    juror: Juror
    entry: Entry
    scores: dict[int, int]
    comment: str | None
    feedback: str | None
    comments: dict[int, str]


#: A review as it stands: scores and comments by criterion id, the note for the organisers, the feedback.
_Standing = tuple[dict[int, int], dict[int, str], str, str]


def _standing(review: Review) -> _Standing:
    scores = list(review.scores.all())
    return (
        {score.criterion_id: score.value for score in scores},
        {score.criterion_id: score.comment for score in scores if score.comment},
        review.comment,
        review.feedback,
    )


def _header_key(text: str) -> str:
    # The spreadsheet reader compares header cells stripped and in lower case; spellings must match that.
    return text.strip().lower()


def criterion_columns(criteria: list[Criterion]) -> dict[str, Criterion]:
    """Every header a criterion's column may have: its short name and its name in each language."""
    columns: dict[str, Criterion] = {}
    for criterion in criteria:
        names = (getattr(criterion, f"name_{language}", "") for language in TEXT_LANGUAGES)
        for spelling in (criterion.slug, *names):
            key = _header_key(spelling or "")
            if key and key not in (*REVIEW_FIXED_COLUMNS, *TEXT_COLUMNS):
                columns.setdefault(key, criterion)
    return columns


def criterion_comment_columns(criteria: list[Criterion]) -> dict[str, Criterion]:
    """The column of the comments on each criterion: its short name followed by ``_comment``."""
    return {_header_key(criterion.slug + CRITERION_COMMENT_SUFFIX): criterion for criterion in criteria}


class _ReviewImport:
    """One run of the import: look-ups loaded once, every line checked, then each review submitted."""

    def __init__(self, *, round: Round, criteria: list[Criterion], result: ReviewImportResult) -> None:
        self.round = round
        self.contest = round.contest
        self.criteria = criteria
        self.result = result

    def error(self, line: int, column: str, message: str) -> None:
        self.result.errors.append(LineError(line, column, message))

    # Header ------------------------------------------------------------------------------------

    def check_header(self, header: list[str], columns: dict[str, Criterion]) -> dict[str, Criterion]:
        """The criterion of each score column; every criterion needs exactly one column."""
        found: dict[str, Criterion] = {}
        for name in header:
            criterion = columns.get(name)
            if criterion is None:
                continue
            twin = next((other for other, known in found.items() if known.pk == criterion.pk), None)
            if twin is not None:
                self.error(
                    HEADER_LINE,
                    name,
                    _("The columns “%(first)s” and “%(second)s” are both the criterion “%(criterion)s”.")
                    % {"first": twin, "second": name, "criterion": criterion.name},
                )
                continue
            found[name] = criterion
        present = {criterion.pk for criterion in found.values()}
        for criterion in self.criteria:
            if criterion.pk not in present:
                self.error(
                    HEADER_LINE,
                    criterion.slug,
                    _("Missing the column of the criterion “%(criterion)s”: name it “%(slug)s” or by its name.")
                    % {"criterion": criterion.name, "slug": criterion.slug},
                )
        return found

    # Loading -----------------------------------------------------------------------------------

    def load(self, rows: list[SheetRow]) -> None:
        self.jurors: dict[str, Juror] = {}
        for juror in Juror.objects.filter(contest=self.contest).select_related("user").order_by("pk"):
            self.jurors.setdefault(juror.user.email.lower(), juror)
        codes = {row.cells[ENTRY_COLUMN].upper() for row in rows} - {""}
        self.entries = {entry.code: entry for entry in Entry.objects.filter(contest=self.contest, code__in=codes)}
        self.assigned = set(Assignment.objects.filter(round=self.round).values_list("juror_id", "entry_id"))
        #: (juror id, entry id) where the juror wrote or co-wrote the entry: never reviewed by them.
        self.own = entrant_pairs(self.jurors.values(), [entry.pk for entry in self.entries.values()])
        #: Submitted reviews as they are now, by (juror id, entry id).
        self.submitted: dict[tuple[int, int], _Standing] = {}
        #: The feedback each started review holds now: what a line without the column keeps.
        self.feedback: dict[tuple[int, int], str] = {}
        reviews = Review.objects.filter(round=self.round).prefetch_related("scores")
        for review in reviews:
            pair = (review.juror_id, review.entry_id)
            self.feedback[pair] = review.feedback
            if review.status == ReviewStatus.SUBMITTED:
                self.submitted[pair] = _standing(review)

    # Checking ----------------------------------------------------------------------------------

    def check(
        self, rows: list[SheetRow], score_columns: dict[str, Criterion], comment_columns: dict[str, Criterion]
    ) -> list[_ReviewLine]:
        seen: dict[tuple[int, int], int] = {}
        lines: list[_ReviewLine] = []
        for row in rows:
            checked = self.check_row(row, score_columns, comment_columns)
            if checked is None:
                continue
            pair = (checked.juror.pk, checked.entry.pk)
            if pair in seen:
                self.error(
                    row.line,
                    ENTRY_COLUMN,
                    _("This juror's review of this entry is already on line %(line)d.") % {"line": seen[pair]},
                )
                continue
            seen[pair] = row.line
            lines.append(checked)
        return lines

    def check_row(
        self, row: SheetRow, score_columns: dict[str, Criterion], comment_columns: dict[str, Criterion]
    ) -> _ReviewLine | None:
        cells, line = row.cells, row.line
        errors_before = len(self.result.errors)
        juror = self.check_juror(line, cells[JUROR_COLUMN])
        entry = self.check_entry(line, cells[ENTRY_COLUMN])
        if juror is not None and entry is not None and (juror.pk, entry.pk) in self.own:
            self.error(
                line,
                ENTRY_COLUMN,
                _("%(juror)s is an author or co-author of entry %(code)s and cannot review it.")
                % {"juror": juror.user.email, "code": entry.code},
            )
        elif juror is not None and entry is not None and (juror.pk, entry.pk) not in self.assigned:
            self.error(
                line,
                ENTRY_COLUMN,
                _("%(juror)s is not assigned to entry %(code)s in round %(number)d.")
                % {"juror": juror.user.email, "code": entry.code, "number": self.round.number},
            )
        scores: dict[int, int] = {}
        for column, criterion in score_columns.items():
            value = self.check_score(line, column, criterion, cells[column])
            if value is not None:
                scores[criterion.pk] = value
        # Without its column a text stays as it is; an empty cell clears it.
        comment = self.check_text(line, COMMENT_COLUMN, cells.get(COMMENT_COLUMN))
        feedback = self.check_text(line, FEEDBACK_COLUMN, cells.get(FEEDBACK_COLUMN))
        comments: dict[int, str] = {}
        for column, criterion in comment_columns.items():
            text = self.check_text(line, column, cells.get(column))
            if text is not None:
                comments[criterion.pk] = text
        if juror is None or entry is None or len(self.result.errors) > errors_before:
            return None
        kept = self.feedback.get((juror.pk, entry.pk), "")
        try:
            review_feedback_check(round=self.round, feedback=kept if feedback is None else feedback)
        except FeedbackMissing as missing:
            self.error(line, FEEDBACK_COLUMN, str(missing))
            return None
        return _ReviewLine(
            line=line, juror=juror, entry=entry, scores=scores, comment=comment, feedback=feedback, comments=comments
        )

    def check_text(self, line: int, column: str, text: str | None) -> str | None:
        if text is not None and len(text) > MAX_TEXT_LENGTH:
            self.error(
                line,
                column,
                _("The text has %(count)d characters; at most %(max)d are kept.")
                % {"count": len(text), "max": MAX_TEXT_LENGTH},
            )
            return None
        return text

    def check_juror(self, line: int, email: str) -> Juror | None:
        if not email:
            self.error(line, JUROR_COLUMN, _("The juror's e-mail is empty."))
            return None
        juror = self.jurors.get(email.lower())
        if juror is None:
            self.error(line, JUROR_COLUMN, _("No juror of this contest has the e-mail “%(email)s”.") % {"email": email})
        return juror

    def check_entry(self, line: int, code: str) -> Entry | None:
        if not code:
            self.error(line, ENTRY_COLUMN, _("The entry code is empty."))
            return None
        entry = self.entries.get(code.upper())
        if entry is None:
            self.error(line, ENTRY_COLUMN, _("There is no entry “%(code)s” in this contest.") % {"code": code})
        return entry

    def check_score(self, line: int, column: str, criterion: Criterion, text: str) -> int | None:
        scale = {"criterion": criterion.name, "max": criterion.max_score}
        if not text:
            self.error(line, column, _("The score of “%(criterion)s” is empty: every criterion is scored.") % scale)
            return None
        if not text.isascii() or not WHOLE_NUMBER.match(text):
            self.error(
                line,
                column,
                _("“%(value)s” is not a whole number; “%(criterion)s” is scored from 0 to %(max)d.")
                % {**scale, "value": text},
            )
            return None
        value = int(text)
        if not 0 <= value <= criterion.max_score:
            self.error(
                line,
                column,
                _("%(value)d is outside the scale of “%(criterion)s”: from 0 to %(max)d.") % {**scale, "value": value},
            )
            return None
        return value

    # Writing -----------------------------------------------------------------------------------

    def write(self, lines: list[_ReviewLine], now: datetime) -> None:
        """Submit each line as its juror would on the web; the round being shut is reported once, for the file."""
        for item in lines:
            before = self.submitted.get((item.juror.pk, item.entry.pk))
            try:
                review = review_submit(
                    actor=item.juror.user,
                    round=self.round,
                    entry=item.entry,
                    scores=item.scores,
                    comment=item.comment,
                    feedback=item.feedback,
                    criterion_comments=item.comments,
                    now=now,
                )
            except RoundNotOpen as shut:
                # Every other line would be refused for the same reason: say it once.
                self.error(FILE_LINE, "", str(shut))
                return
            except FeedbackMissing as missing:
                self.error(item.line, FEEDBACK_COLUMN, str(missing))
                continue
            except BaigeError as refused:
                self.error(item.line, "", str(refused))
                continue
            if before is None:
                self.result.created += 1
            elif before == _standing(review):
                self.result.unchanged += 1
            else:
                self.result.revised += 1


def reviews_import(
    *,
    actor: Actor | None,
    round: Round,
    stream: IO[bytes],
    dry_run: bool = False,
    now: datetime | None = None,
) -> ReviewImportResult:
    """Record a round's reviews from a CSV or XLSX file: every line, or nothing if any line is wrong.

    ``actor`` is None for the command line, which the server's operator runs; each review is
    submitted in its juror's name. A dry run checks and counts, then rolls back.
    """
    started = time.monotonic()
    now = now or timezone.now()
    contest = round.contest
    if actor is not None and not actor.has_perm("judging.manage_judging", contest):
        raise NotAllowed(_("Only the contest's organisers can record reviews from a file."))
    result = ReviewImportResult(dry_run=dry_run)
    criteria = list(criteria_of(contest))
    if not criteria:
        result.errors.append(LineError(FILE_LINE, "", _("The rubric has no criteria yet.")))
        return result
    columns = criterion_columns(criteria)
    comment_columns = {
        name: criterion for name, criterion in criterion_comment_columns(criteria).items() if name not in columns
    }
    try:
        sheet = sheet_read(
            stream=stream, required=REVIEW_FIXED_COLUMNS, optional=(*TEXT_COLUMNS, *columns, *comment_columns)
        )
    except ImportRefused as refused:
        result.errors.extend(refused.errors)
        result.seconds = time.monotonic() - started
        return result
    result.errors.extend(sheet.errors)
    result.rows = len(sheet.rows) + len(sheet.errors)
    run = _ReviewImport(round=round, criteria=criteria, result=result)
    header = list(sheet.rows[0].cells) if sheet.rows else []
    errors_before = len(result.errors)
    score_columns = run.check_header(header, columns)
    header_ok = len(result.errors) == errors_before
    with transaction.atomic():
        run.load(sheet.rows)
        lines = run.check(sheet.rows, score_columns, comment_columns)
        if header_ok:
            # Lines that passed the checks are submitted even when others failed: the services may
            # refuse more, and a complete report is worth more than the work rolled back below.
            run.write(lines, now)
        if dry_run or not result.ok:
            transaction.set_rollback(True)
    if not result.ok:
        result.created = result.revised = result.unchanged = 0
    order = (*REVIEW_FIXED_COLUMNS, *score_columns, *comment_columns, *TEXT_COLUMNS, "")
    result.errors.sort(key=lambda error: (error.line, order.index(error.column) if error.column in order else -1))
    result.seconds = time.monotonic() - started
    return result
