"""``manage.py import_entries --contest SLUG FILE``: bulk import of participants and entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest.importing import ALL_COLUMNS, ImportResult, entries_import
from contest.models import Contest


class Command(BaseCommand):
    help = (
        "Import participants and their entries from a CSV (UTF-8, comma or semicolon) or XLSX file with the columns "
        + ", ".join(ALL_COLUMNS)
        + ". Every line or nothing: a file with a bad line imports nothing and lists every bad line."
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
            # Relative media paths start where the command runs, as a person typing them expects.
            result = entries_import(
                actor=None, contest=contest, stream=stream, dry_run=options["dry_run"], media_dir=Path.cwd()
            )
        if not result.ok:
            lines = [str(error) for error in result.errors]
            raise CommandError(
                "\n".join(
                    [
                        ngettext(
                            "Nothing was imported: %(count)d problem in %(file)s.",
                            "Nothing was imported: %(count)d problems in %(file)s.",
                            len(result.errors),
                        )
                        % {"count": len(result.errors), "file": path.name},
                        *lines,
                    ]
                )
            )
        self.stdout.write(self.summary(result))

    @staticmethod
    def summary(result: ImportResult) -> str:
        """The counts of an import, one per line."""
        heading = _("Dry run: nothing was saved.") if result.dry_run else _("Imported.")
        counts = [
            (_("Lines"), result.rows),
            (_("Participants created"), result.participants_created),
            (_("Participants updated"), result.participants_updated),
            (_("Entries created"), result.entries_created),
            (_("Entries updated"), result.entries_updated),
            (_("Entries unchanged"), result.entries_unchanged),
            (_("Universities created"), result.universities_created),
            (_("Platforms created"), result.platforms_created),
            (_("Media files attached"), result.media_attached),
        ]
        lines = [heading, *(f"  {label}: {value}" for label, value in counts)]
        lines.append(_("Took %(seconds).2f s.") % {"seconds": result.seconds})
        return "\n".join(lines)
