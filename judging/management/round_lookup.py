"""The contest and the round a judging command names by the contest's slug and the round's number: options, look-up."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from contest.models import Contest
from judging.models import Round


def contest_by_slug(contest_slug: str) -> Contest:
    """The contest, or a :class:`CommandError` saying it is missing."""
    contest = Contest.objects.filter(slug=contest_slug).first()
    if contest is None:
        raise CommandError(_("There is no contest “%(slug)s”.") % {"slug": contest_slug})
    return contest


def round_by_number(contest_slug: str, number: int) -> Round:
    """The round, or a :class:`CommandError` saying whether the contest or the round is missing."""
    contest = contest_by_slug(contest_slug)
    round = Round.objects.filter(contest=contest, number=number).select_related("contest").first()
    if round is None:
        raise CommandError(
            _("There is no round %(number)d in contest “%(slug)s”.") % {"number": number, "slug": contest_slug}
        )
    return round


def round_arguments_add(parser: CommandParser) -> None:
    """The ``--contest SLUG --round N`` of a command about one round."""
    parser.add_argument("--contest", required=True, help="The contest's slug.")
    parser.add_argument("--round", required=True, type=int, help="The round's number (1 for the first).")


def unjudged_arguments_add(parser: CommandParser, *, doing: str) -> None:
    """``--confirm`` (go on though submitted entries are in no round) and ``--no-input`` (never ask)."""
    parser.add_argument(
        "--confirm",
        action="store_true",
        help=f"{doing} even though submitted entries are in no round (they will not be judged).",
    )
    parser.add_argument(
        "--no-input", action="store_false", dest="interactive", help="Never ask; refuse unless --confirm."
    )
