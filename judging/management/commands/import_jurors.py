"""``manage.py import_jurors --contest SLUG FILE``: bulk import of a contest's jury."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest.models import Contest
from judging.importing import JUROR_COLUMNS, JurorImportResult, jurors_import


class Command(BaseCommand):
    help = (
        "Import a contest's jurors from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(JUROR_COLUMNS)
        + ". Every line or nothing. New jurors are invited by e-mail with a link to set their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--contest", required=True, help="The contest's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count the changes, then undo.")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(_("There is no contest “%(slug)s”.") % {"slug": options["contest"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        with path.open("rb") as stream:
            result = jurors_import(actor=None, contest=contest, stream=stream, dry_run=options["dry_run"])
        if not result.ok:
            raise CommandError(
                "\n".join(
                    [
                        ngettext(
                            "Nothing was imported: %(count)d problem in %(file)s.",
                            "Nothing was imported: %(count)d problems in %(file)s.",
                            len(result.errors),
                        )
                        % {"count": len(result.errors), "file": path.name},
                        *(str(error) for error in result.errors),
                    ]
                )
            )
        self.stdout.write(self.summary(result))

    @staticmethod
    def summary(result: JurorImportResult) -> str:
        """The counts of an import, one per line."""
        heading = _("Dry run: nothing was saved.") if result.dry_run else _("Imported.")
        counts = [
            (_("Lines"), result.rows),
            (_("Accounts created"), result.users_created),
            (_("Jurors created"), result.jurors_created),
            (_("Jurors updated"), result.jurors_updated),
            (_("Jurors unchanged"), result.jurors_unchanged),
            (_("Invitations sent"), result.invitations),
        ]
        lines = [heading, *(f"  {label}: {value}" for label, value in counts)]
        lines.append(_("Took %(seconds).2f s.") % {"seconds": result.seconds})
        return "\n".join(lines)
