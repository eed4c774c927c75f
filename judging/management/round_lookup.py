"""Finding the contest and the round a judging command names by the contest's slug and the round's number."""

from __future__ import annotations

from django.core.management.base import CommandError
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
