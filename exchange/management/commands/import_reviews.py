"""``manage.py import_reviews --contest SLUG --round NUMBER FILE``: record paper scoresheets of a round."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.core.management.base import CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from contest.models import Contest
from exchange.management.spreadsheet_command import SpreadsheetImportCommand
from exchange.reviews_import import COMMENT_COLUMN, REVIEW_FIXED_COLUMNS, ReviewImportResult, reviews_import
from judging.models import Round


class Command(SpreadsheetImportCommand):
    help = (
        "Record a round's reviews from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(REVIEW_FIXED_COLUMNS)
        + ", one column per criterion (its short name or its name in any language) and "
        + COMMENT_COLUMN
        + ". Each line is submitted in its juror's name under the same rules as on the web. Every line or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--round", required=True, type=int, help="The round's number.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.round_number: int = options["round"]
        super().handle(*args, **options)

    def run_import(self, *, contest: Contest, stream: BinaryIO, dry_run: bool) -> ReviewImportResult:
        round = Round.objects.filter(contest=contest, number=self.round_number).select_related("contest").first()
        if round is None:
            numbers = ", ".join(str(n) for n in Round.objects.filter(contest=contest).values_list("number", flat=True))
            raise CommandError(
                _("Contest “%(slug)s” has no round %(number)d; its rounds are: %(numbers)s.")
                % {"slug": contest.slug, "number": self.round_number, "numbers": numbers or "—"}
            )
        return reviews_import(actor=None, round=round, stream=stream, dry_run=dry_run)

    def counts(self, result: ReviewImportResult) -> list[tuple[str | Promise, int]]:
        return [
            (_("Reviews created"), result.created),
            (_("Reviews revised"), result.revised),
            (_("Reviews unchanged"), result.unchanged),
        ]
