"""``manage.py results_finalise --contest SLUG --round N [--confirm]``: finalise a round's results, as the page does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError
from judging.coverage import UnjudgedEntries
from judging.enums import ParticipantView, RoundStatus
from judging.management.questions import answer_yes, may_ask
from judging.management.round_lookup import round_arguments_add, round_by_number, unjudged_arguments_add
from judging.models import Award, Results, Round
from judging.ranking import round_ranking
from judging.selectors.results import awards_without_ready_file, results_of_round
from judging.services.publication import award_in_nomination, award_name
from judging.services.results import AWARDED_PLACES, results_finalise


def _awards(count: int) -> str:
    return ngettext("%(count)d award", "%(count)d awards", count) % {"count": count}


def awards_listed(results: Results) -> list[str]:
    """The lines that list the results' awards: a heading per nomination (special awards last), an award a line."""
    groups: dict[int | None, list[Award]] = {}
    awards = Award.objects.filter(results=results).select_related("entry", "nomination")
    for award in awards.order_by("order", "pk"):
        groups.setdefault(award.nomination_id if award.place is not None else None, []).append(award)
    lines = []
    for key, group in sorted(groups.items(), key=lambda item: (item[0] is None, item[1][0].order)):
        heading = group[0].nomination.name if key is not None and group[0].nomination else _("Special awards")
        lines.append(f"{heading}: {_awards(len(group))}")
        lines += [f"  {award_name(award)} · {award.entry.code} “{award.entry.title}”" for award in group]
    return lines


class Command(BaseCommand):
    help = (
        "Finalise a closed round's results, with the same checks as the organiser's page: places 1 to 3 of "
        "every nomination are fixed for good from the round's ranking. While a submitted entry of the contest "
        "is in no round, the entries are listed and the results are finalised only with --confirm, or when you "
        "answer yes at the prompt (never with --no-input). Special awards are added afterwards on the page. "
        "--share nothing|outcome|scores|feedback fixes what the round's entrants see of the results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        round_arguments_add(parser)
        unjudged_arguments_add(parser, doing="Finalise")
        parser.add_argument(
            "--share",
            choices=ParticipantView.values,
            default=None,
            help="What the round's entrants see of the results once published (the round's setting unless given); "
            "fixed for good at finalisation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        round = round_by_number(options["contest"], options["round"])
        if round.status == RoundStatus.CLOSED and results_of_round(round) is None:
            self.warn_files_not_ready(round)
        try:
            try:
                results = results_finalise(
                    actor=None, round=round, confirm_unjudged=options["confirm"], participant_view=options["share"]
                )
            except UnjudgedEntries as unjudged:
                self.stdout.write(_("These submitted entries are in no round and would never be judged:"))
                for entry in unjudged.entries:
                    self.stdout.write(f"  {entry.code} “{entry.title}”")
                if not (may_ask(options) and answer_yes(_("Finalise the results all the same? [y/N] "))):
                    raise CommandError(
                        _(
                            "The results of round %(number)d are not finalised. Add them to a round, or run again "
                            "with --confirm."
                        )
                        % {"number": round.number}
                    ) from unjudged
                results = results_finalise(
                    actor=None, round=round, confirm_unjudged=True, participant_view=options["share"]
                )
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        count = Award.objects.filter(results=results).count()
        self.stdout.write(
            _("The results of round %(number)d “%(name)s” are final: %(awards)s.")
            % {"number": round.number, "name": round.name, "awards": _awards(count)}
        )
        for line in awards_listed(results):
            self.stdout.write(line)
        self.stdout.write(
            _("Entrants will see, once published: %(view)s") % {"view": ParticipantView(results.participant_view).label}
        )

    def warn_files_not_ready(self, round: Round) -> None:
        """Say which awards would go to entries without a ready file, as the page does before confirming."""
        found = awards_without_ready_file(round, round_ranking(round), places=AWARDED_PLACES)
        if not found:
            return
        self.stdout.write(
            ngettext(
                "Warning: %(count)d award would go to an entry without a ready file: its post would show no video "
                "or slides.",
                "Warning: %(count)d awards would go to entries without a ready file: their posts would show no "
                "video or slides.",
                len(found),
            )
            % {"count": len(found)}
        )
        for item in found:
            award = award_in_nomination(item.place, item.nomination, item.name)
            self.stdout.write(f"  {award}: {item.entry.code} “{item.entry.title}” — {item.problem}")
