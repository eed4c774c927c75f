"""``manage.py contest_dump SLUG``: write a contest's definition as YAML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from contest.models import Contest
from exchange.definitions import contest_definition_dump
from exchange.definitions.files import FORMATS, definition_format_of, definition_render


class Command(BaseCommand):
    help = "Write a contest's definition (the format contest_load reads) to standard output or a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The contest's slug.")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")
        parser.add_argument("--format", choices=FORMATS, help="yaml (default) or json; by default from the file name.")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["slug"]).first()
        if contest is None:
            raise CommandError(_("There is no contest with the slug %(slug)s.") % {"slug": options["slug"]})
        output = options["output"]
        fmt = options["format"] or (definition_format_of(output) if output else None) or "yaml"
        text = definition_render(contest_definition_dump(contest=contest), fmt=fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": output, "error": error}) from error
        self.stderr.write(_("Wrote %(path)s.") % {"path": output})
