"""``manage.py round_close --contest SLUG --round N [--confirm]``: close a round, as the organiser's page does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from judging.coverage import UnjudgedEntries
from judging.management.questions import answer_yes, may_ask
from judging.management.round_lookup import round_arguments_add, round_by_number, unjudged_arguments_add
from judging.services.rounds import round_close


class Command(BaseCommand):
    help = (
        "Close an open round: from then on its reviews cannot change. While a submitted entry of the contest is "
        "in no round, the entries are listed and the round is closed only with --confirm, or when you answer "
        "yes at the prompt (never with --no-input)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        round_arguments_add(parser)
        unjudged_arguments_add(parser, doing="Close it")

    def handle(self, *args: Any, **options: Any) -> None:
        round = round_by_number(options["contest"], options["round"])
        confirmed = options["confirm"]
        try:
            try:
                round = round_close(actor=None, round=round, confirm_unjudged=confirmed)
            except UnjudgedEntries as unjudged:
                self.stdout.write(_("These submitted entries are in no round and would never be judged:"))
                for entry in unjudged.entries:
                    self.stdout.write(f"  {entry.code} “{entry.title}”")
                if not (may_ask(options) and answer_yes(_("Close the round all the same? [y/N] "))):
                    raise CommandError(
                        _("Round %(number)d is not closed. Add them to a round, or run again with --confirm.")
                        % {"number": round.number}
                    ) from unjudged
                round = round_close(actor=None, round=round, confirm_unjudged=True)
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(_("Round %(number)d “%(name)s” is closed.") % {"number": round.number, "name": round.name})
