"""``manage.py round_open --contest SLUG --round N``: open a round for reviews, as the organiser's page does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError
from judging.management.round_lookup import round_arguments_add, round_by_number
from judging.models import Assignment, RoundEntry, RoundJuror
from judging.selectors.rounds import round_entries_short
from judging.services.rounds import round_open


class Command(BaseCommand):
    help = (
        "Open a round for reviews, with the same checks as the organiser's page: the rubric has criteria, the "
        "round has entries and jurors, its closing time is still to come. A round without entries takes them "
        "now (the first round: every submitted entry; a later one: the shortlist of the round before it), a "
        "round without jurors the whole jury, and every entry gets the jurors it lacks through the assignment "
        "rules. Entries that cannot get them all are listed; the round opens all the same."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        round_arguments_add(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        round = round_by_number(options["contest"], options["round"])
        try:
            round = round_open(actor=None, round=round)
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        entries = RoundEntry.objects.filter(round=round).count()
        jurors = RoundJuror.objects.filter(round=round).count()
        assignments = Assignment.objects.filter(round=round).count()
        lines = [
            _("Round %(number)d “%(name)s” is open.") % {"number": round.number, "name": round.name},
            ngettext("%(count)d entry", "%(count)d entries", entries) % {"count": entries}
            + ", "
            + ngettext("%(count)d juror", "%(count)d jurors", jurors) % {"count": jurors}
            + ", "
            + ngettext("%(count)d assignment", "%(count)d assignments", assignments) % {"count": assignments}
            + ".",
        ]
        short = round_entries_short(round)
        if short:
            lines.append(_("These entries have fewer jurors than they need; assign them by hand:"))
            needed = round.reviews_per_entry or 1
            lines += [
                f"  {entry.code} “{entry.title}”: "
                + _("%(assigned)d of %(needed)d") % {"assigned": assigned, "needed": needed}
                for entry, assigned in short
            ]
        self.stdout.write("\n".join(lines))
