"""``manage.py export --contest SLUG --what KIND --format csv|xlsx|json [--round N] [-o FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from contest.models import Contest
from exchange.exports import ALL_FORMATS, EXPORTERS, export_table
from exchange.sheet_writers import (
    export_csv_lines,
    export_json_pieces,
    export_write_csv,
    export_write_json,
    export_write_xlsx,
)

STDOUT = "-"


class Command(BaseCommand):
    help = (
        "Export a contest's data as CSV, XLSX or JSON: "
        + ", ".join(EXPORTERS)
        + ". Without --round, every round. CSV and JSON go to standard output unless -o names a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contest", required=True, help="The contest's slug.")
        parser.add_argument("--what", required=True, choices=sorted(EXPORTERS), help="What to export.")
        parser.add_argument("--format", default="csv", choices=ALL_FORMATS, help="csv (the default), xlsx or json.")
        parser.add_argument("--round", type=int, default=None, help="Only this round (its number).")
        parser.add_argument("-o", "--output", default=STDOUT, help="The file to write; - (the default) for stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(_("There is no contest “%(slug)s”.") % {"slug": options["contest"]})
        output: str = options["output"]
        file_format: str = options["format"]
        if file_format == "xlsx" and output == STDOUT:
            raise CommandError(_("An XLSX workbook is written to a file: name it with -o FILE."))
        try:
            table = export_table(actor=None, contest=contest, what=options["what"], round_number=options["round"])
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        if output == STDOUT:
            pieces = export_json_pieces(table) if file_format == "json" else export_csv_lines(table)
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("There is no folder %(path)s.") % {"path": path.parent})
        if file_format == "xlsx":
            export_write_xlsx(table, str(path))
        elif file_format == "json":
            with path.open("w", encoding="utf-8") as stream:
                export_write_json(table, stream)
        else:
            # The byte-order mark lets spreadsheet programs read the file as UTF-8.
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                export_write_csv(table, stream)
        self.stdout.write(_("Written to %(path)s.") % {"path": path})
