"""``manage.py contest_load FILE``: create or update a contest from a definition file (YAML or JSON)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from exchange.definitions import contest_definition_load, definition_parse
from exchange.definitions.files import FORMATS, definition_format_of, definition_read
from exchange.definitions.schema import DefinitionInvalid


class Command(BaseCommand):
    help = (
        "Create or update a contest from a definition file (YAML or JSON, see docs/contest-definition.md). "
        "Rows are matched by slug; a file with any error changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The definition file, or - to read standard input.")
        parser.add_argument("--format", choices=FORMATS, help="yaml or json; by default from the file name or content.")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete nominations and platforms missing from the file that no entry uses, "
            "and unlink universities missing from the file.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show the changes, then undo.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        if source == "-":
            text = sys.stdin.read()
            source_name = "<stdin>"
        else:
            path = Path(source)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
            source_name = path.name
        fmt = options["format"] or (definition_format_of(source) if source != "-" else None)
        try:
            definition = definition_parse(definition_read(text, source=source_name, fmt=fmt))
            report = contest_definition_load(definition=definition, prune=options["prune"], dry_run=options["dry_run"])
        except DefinitionInvalid as error:
            raise CommandError(str(error)) from error

        slug = report.contest.slug
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        if report.created:
            self.stdout.write(self.style.SUCCESS(_("Created contest %(slug)s.") % {"slug": slug}))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(_("Updated contest %(slug)s.") % {"slug": slug}))
        else:
            self.stdout.write(_("Contest %(slug)s: no changes.") % {"slug": slug})
        for line in [*report.changes, *report.removed]:
            self.stdout.write(f"  {line}")
        if report.kept:
            self.stdout.write(self.style.WARNING(_("Kept, although the file does not list them (see --prune):")))
            for line in report.kept:
                self.stdout.write(f"  {line}")
