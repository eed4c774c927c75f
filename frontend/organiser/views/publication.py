"""The organiser's publication of a round's finalised results to the blog, after a confirmation page.

The page says what will become public (awards by nomination, which authors are named and which stay
anonymous) and who will be e-mailed; publishing takes a ticked box, and a second one before the
contest's announced results time, and one more while a submitted entry of the contest is in no
round (the page lists them). The service refuses on its own whatever the page sends: before
submissions close, early without the second confirmation, and with unjudged entries unconfirmed.
The same service publishes at the announced time; clicking again brings the posts up to date with
the awards.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.exceptions import BaigeError
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.publication import PublishForm
from judging.models import Round
from judging.selectors.results import finalised_results_of
from judging.selectors.rounds import entries_without_round, get_round_for_organiser
from judging.services.publication import PublishPreview, results_publish, results_publish_preview


def _page(
    request: AuthenticatedHttpRequest,
    round: Round,
    preview: PublishPreview,
    form: PublishForm,
    *,
    status: int = 200,
    refusal: str | None = None,
) -> HttpResponse:
    contest = round.contest
    context = {
        "contest": contest,
        "section": "rounds",
        "round": round,
        "preview": preview,
        "form": form,
        "refusal": refusal or preview.refusal,
        # Submitted entries in no round: publishing anyway takes one more ticked box.
        "unjudged": entries_without_round(contest),
    }
    return render(request, "frontend/organiser/results/publish.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def results_publish_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """GET: what publishing would make public and whom it would e-mail. POST: publish, once confirmed."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    results = finalised_results_of(round)
    if results is None:
        messages.error(request, _("Finalise the results of this round before publishing them."))
        return redirect("frontend:organiser_results", slug=round.contest.slug, number=round.number)
    preview = results_publish_preview(results)
    if request.method == "GET":
        return _page(request, round, preview, PublishForm(early=preview.early))
    form = PublishForm(request.POST, early=preview.early)
    if not form.is_valid():
        return _page(request, round, preview, form, status=400)
    try:
        report = results_publish(
            actor=request.user,
            results=results,
            confirm_early=bool(form.cleaned_data.get("early")),
            confirm_unjudged=request.POST.get("confirm_unjudged") == "1",
        )
    except BaigeError as refused:
        return _page(
            request, round, results_publish_preview(results), form, status=refused.status_code, refusal=str(refused)
        )
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
