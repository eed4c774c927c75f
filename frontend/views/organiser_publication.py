"""The organiser's click that publishes a round's finalised results to the blog now.

The same service publishes at the contest's announced time; clicking earlier publishes at once, and
clicking again brings the posts up to date with the awards.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.exceptions import BaigeError
from frontend.http import AuthenticatedHttpRequest
from judging.models import Results
from judging.publication import results_publish
from judging.selectors import get_round_for_organiser


@login_required
@require_POST
def results_publish_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Publish the round's finalised results now, and say what changed on the blog."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    results = Results.objects.filter(round=round).first()
    if results is None:
        messages.error(request, _("Finalise the results of this round before publishing them."))
    else:
        try:
            report = results_publish(
                actor=request.user, results=results, confirm_unjudged=request.POST.get("confirm_unjudged") == "1"
            )
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
