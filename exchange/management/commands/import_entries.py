"""``manage.py import_entries --contest SLUG FILE``: bulk import of participants and entries."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from contest.models import Contest
from exchange.entries_import import ALL_COLUMNS, ImportResult, entries_import
from exchange.management.spreadsheet_command import SpreadsheetImportCommand


class Command(SpreadsheetImportCommand):
    help = (
        "Import participants and their entries from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(ALL_COLUMNS)
        + ". Every line or nothing: a file with a bad line imports nothing and lists every bad line."
    )

    def run_import(self, *, contest: Contest, stream: BinaryIO, dry_run: bool) -> ImportResult:
        # Relative media paths start where the command runs, as a person typing them expects.
        return entries_import(actor=None, contest=contest, stream=stream, dry_run=dry_run, media_dir=Path.cwd())

    def counts(self, result: ImportResult) -> list[tuple[str | Promise, int]]:
        return [
            (_("Participants created"), result.participants_created),
            (_("Existing accounts linked"), result.participants_existing),
            (_("Entries created"), result.entries_created),
            (_("Entries updated"), result.entries_updated),
            (_("Entries unchanged"), result.entries_unchanged),
            (_("Universities created"), result.universities_created),
            (_("Platforms created"), result.platforms_created),
            (_("Media files attached"), result.media_attached),
        ]
