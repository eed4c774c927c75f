"""The organiser's statistics: participants per platform and university, entries per nomination, scores, winners.

The page shows the tables as organisers report them (``6 (23.1%)`` under ``University (26)``) and a
bar chart drawn on the server as inline SVG, so it needs no script. Its downloads are the
``platform-stats`` export of :mod:`exchange.exports` in CSV, XLSX or JSON. Every figure is counted by
the database: the page costs the same few queries whatever the number of entries.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contest.selectors import get_contest_for_organiser
from contest.statistics import nomination_table, participant_columns
from exchange.api import export_file_response
from exchange.exports import ALL_FORMATS, export_table
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.platform_table import platform_context
from judging.models import Round
from judging.selectors.rounds import rounds_in_order
from judging.statistics import platform_scores, platform_winners

WHAT = "platform-stats"


def _chosen_round(rounds: list[Round], text: str) -> Round | None:
    """The round asked for by its number, else the latest; a round the contest does not have is a 404."""
    if not text:
        return rounds[-1] if rounds else None
    for round in rounds:
        if str(round.number) == text:
            return round
    raise Http404


@login_required
@require_GET
def statistics(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's statistics: per platform, per nomination, and the scores per platform of a round."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    rounds = list(rounds_in_order(contest))
    chosen = _chosen_round(rounds, request.GET.get("round", "").strip())
    columns = participant_columns(contest=contest)
    context = {
        "contest": contest,
        "section": "statistics",
        **platform_context(contest, columns),
        "nominations": nomination_table(contest=contest, columns=columns),
        "rounds": rounds,
        "round": chosen,
        "scores": platform_scores(round=chosen) if chosen is not None else [],
        "winners": platform_winners(contest=contest),
        "formats": ALL_FORMATS,
    }
    return render(request, "frontend/organiser/statistics.html", context)


@login_required
@require_GET
def statistics_download(request: AuthenticatedHttpRequest, slug: str, file_format: str) -> HttpResponseBase:
    """The statistics as a CSV, XLSX or JSON file."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    if file_format not in ALL_FORMATS:
        raise Http404
    table = export_table(actor=request.user, contest=contest, what=WHAT)
    return export_file_response(contest=contest, table=table, what=WHAT, round_number=None, file_format=file_format)
