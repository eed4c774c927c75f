"""The organiser's click that publishes a round's finalised results to the blog now.

The same service publishes at the contest's announced time; clicking earlier publishes at once, and
clicking again brings the posts up to date with the awards.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.exceptions import BaigeError
from contest.models import Contest
from frontend.http import AuthenticatedHttpRequest
from judging.models import Results, Round
from judging.publication import results_publish


def _round_for_organiser(request: AuthenticatedHttpRequest, slug: str, number: int) -> Round:
    """A round of the contest, if the person may manage the contest's judging; 404 for a round it does not have."""
    contest = get_object_or_404(Contest, slug=slug)
    if not request.user.has_perm("judging.manage_judging", contest):
        raise PermissionDenied
    round = get_object_or_404(Round, contest=contest, number=number)
    round.contest = contest
    return round


@login_required
@require_POST
def results_publish_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Publish the round's finalised results now, and say what changed on the blog."""
    round = _round_for_organiser(request, slug, number)
    results = Results.objects.filter(round=round).first()
    if results is None:
        messages.error(request, _("Finalise the results of this round before publishing them."))
    else:
        try:
            report = results_publish(actor=request.user, results=results)
        except BaigeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _(
                    "The results are published: %(created)d new posts, %(updated)d updated, "
                    "%(unchanged)d unchanged, %(unpublished)d withdrawn."
                )
                % {
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "unchanged": len(report.unchanged),
                    "unpublished": len(report.unpublished),
                },
            )
    return redirect("frontend:organiser_results", slug=round.contest.slug, number=round.number)
