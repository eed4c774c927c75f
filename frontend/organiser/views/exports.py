"""The organiser's downloads: the contest's exports (assignments, reviews, results, …) as CSV or XLSX.

The files are :func:`exchange.api.export_file_response`'s, the same as the API's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contest.models import Contest
from contest.selectors import get_contest_for_organiser
from exchange.api import export_file_response
from exchange.exports import EXPORTERS, FORMATS, ExportRefused, export_format_check, export_round_number, export_table
from frontend.http import AuthenticatedHttpRequest
from judging.models import Round
from judging.selectors.rounds import rounds_in_order


@dataclass(frozen=True)
class _Download:
    """One line of the page: an export of the whole contest or of one round, with a link per format."""

    label: str | Promise
    scope: str | Promise
    links: list[tuple[str, str]]


def _download_url(contest: Contest, what: str, file_format: str, round: Round | None) -> str:
    params = {"what": what, "format": file_format}
    if round is not None:
        params["round"] = str(round.number)
    return reverse("frontend:organiser_export_download", kwargs={"slug": contest.slug}) + "?" + urlencode(params)


def _exports_page(request: HttpRequest, contest: Contest, *, error: str = "", status: int = 200) -> HttpResponse:
    rounds = list(rounds_in_order(contest))
    downloads: list[_Download] = []
    for exporter in EXPORTERS.values():
        scopes: list[Round | None] = [None, *rounds] if exporter.by_round else [None]
        for round in scopes:
            scope: str | Promise
            if round is None:
                scope = _("All rounds") if exporter.by_round else _("Whole contest")
            else:
                scope = _("Round %(number)d · %(name)s") % {"number": round.number, "name": round.name}
            links = [
                (file_format, _download_url(contest, exporter.name, file_format, round)) for file_format in FORMATS
            ]
            downloads.append(_Download(label=exporter.label, scope=scope, links=links))
    context = {"contest": contest, "section": "exports", "downloads": downloads, "error": error}
    return render(request, "frontend/organiser/exports.html", context, status=status)


@login_required
@require_GET
def exports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The list of the contest's downloads."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    return _exports_page(request, contest)


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """One export as a file: ``?what=reviews&format=csv[&round=1]``."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    what = request.GET.get("what", "")
    file_format = request.GET.get("format", "")
    try:
        round_number = export_round_number(request.GET.get("round", ""))
        export_format_check(file_format)
        table = export_table(actor=request.user, contest=contest, what=what, round_number=round_number)
    except ExportRefused as refused:
        return _exports_page(request, contest, error=str(refused), status=400)
    return export_file_response(
        contest=contest, table=table, what=what, round_number=round_number, file_format=file_format
    )
