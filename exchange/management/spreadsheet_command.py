"""What the spreadsheet import commands share: arguments, loading the contest and file, reporting."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest.models import Contest


class SpreadsheetImportCommand(BaseCommand):
    """``--contest SLUG FILE [--dry-run]``; subclasses say how to import and what to count."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--contest", required=True, help="The contest's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count the changes, then undo.")

    def run_import(self, *, contest: Contest, stream: BinaryIO, dry_run: bool) -> Any:
        """Import the open file; returns a result with ``ok``, ``errors``, ``dry_run``, ``rows`` and ``seconds``."""
        raise NotImplementedError

    def counts(self, result: Any) -> list[tuple[str | Promise, int]]:
        """The labelled counts of a successful import."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(_("There is no contest “%(slug)s”.") % {"slug": options["contest"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        with path.open("rb") as stream:
            result = self.run_import(contest=contest, stream=stream, dry_run=options["dry_run"])
        if not result.ok:
            heading = ngettext(
                "Nothing was imported: %(count)d problem in %(file)s.",
                "Nothing was imported: %(count)d problems in %(file)s.",
                len(result.errors),
            ) % {"count": len(result.errors), "file": path.name}
            raise CommandError("\n".join([heading, *(str(error) for error in result.errors)]))
        self.stdout.write(self.summary(result))

    def summary(self, result: Any) -> str:
        """The counts of an import, one per line."""
        heading = _("Dry run: nothing was saved.") if result.dry_run else _("Imported.")
        counts = [(_("Lines"), result.rows), *self.counts(result)]
        lines = [heading, *(f"  {label}: {value}" for label, value in counts)]
        lines.append(_("Took %(seconds).2f s.") % {"seconds": result.seconds})
        return "\n".join(lines)
