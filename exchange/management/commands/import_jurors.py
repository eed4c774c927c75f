"""``manage.py import_jurors --contest SLUG FILE``: bulk import of a contest's jury."""

from __future__ import annotations

from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from contest.models import Contest
from exchange.jurors_import import JUROR_COLUMNS, JurorImportResult, jurors_import
from exchange.management.spreadsheet_command import SpreadsheetImportCommand


class Command(SpreadsheetImportCommand):
    help = (
        "Import a contest's jurors from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(JUROR_COLUMNS)
        + ". Every line or nothing. New jurors are invited by e-mail with a link to set their password."
    )

    def run_import(self, *, contest: Contest, stream: BinaryIO, dry_run: bool) -> JurorImportResult:
        return jurors_import(actor=None, contest=contest, stream=stream, dry_run=dry_run)

    def counts(self, result: JurorImportResult) -> list[tuple[str | Promise, int]]:
        return [
            (_("Accounts created"), result.users_created),
            (_("Existing accounts linked"), result.users_existing),
            (_("Jurors created"), result.jurors_created),
            (_("Jurors updated"), result.jurors_updated),
            (_("Jurors unchanged"), result.jurors_unchanged),
            (_("Invitations sent"), result.invitations),
        ]
