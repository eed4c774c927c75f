"""``manage.py assign_jury --contest SLUG --round N --k K --seed S``: the automatic assignment of a round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from judging.assignment import AssignmentRun, assignment_run
from judging.management.round_lookup import round_arguments_add, round_by_number


class Command(BaseCommand):
    help = (
        "Assign the jurors of a round to its entries: every entry gets K distinct jurors without a conflict of "
        "interest, loads as even as the jurors' limits allow, platforms spread over the jurors. Assignments made "
        "by hand, and those with a review, are kept. The same seed gives the same assignment. If it cannot be "
        "done, nothing changes and the entries that cannot be covered are listed with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        round_arguments_add(parser)
        parser.add_argument(
            "--k", type=int, default=None, help="Reviews per entry; by default the round's own setting."
        )
        parser.add_argument("--seed", type=int, default=0, help="The seed that breaks ties (default 0).")
        parser.add_argument("--dry-run", action="store_true", help="Compute and show the loads, save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        round = round_by_number(options["contest"], options["round"])
        try:
            result = assignment_run(
                actor=None, round=round, k=options["k"], seed=options["seed"], dry_run=options["dry_run"]
            )
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(self.summary(result))

    @staticmethod
    def summary(result: AssignmentRun) -> str:
        """What was assigned, then one line per juror with their load."""
        if result.k is None:
            rule = _("every juror scores every entry")
        else:
            rule = _("%(k)d reviews per entry") % {"k": result.k}
        heading = _("Dry run: nothing was saved.") if result.dry_run else _("Assigned.")
        lines = [
            heading,
            _("Round %(number)d “%(name)s”: %(rule)s, seed %(seed)d.")
            % {"number": result.round.number, "name": result.round.name, "rule": rule, "seed": result.seed},
            _("%(created)d new assignments, %(kept)d kept, %(dropped)d automatic ones replaced.")
            % {"created": result.created, "kept": result.kept, "dropped": result.dropped},
            _("Entries per juror:"),
        ]
        for juror, load in result.loads:
            limit = _("limit %(cap)d") % {"cap": juror.max_load} if juror.max_load is not None else _("no limit")
            lines.append(f"  {load:>5}  {juror} ({limit})")
        return "\n".join(lines)
