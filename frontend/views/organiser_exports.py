"""The organiser's downloads: the contest's exports (assignments, reviews, …) as CSV or XLSX.

CSV is streamed as it is read from the database; an XLSX workbook is written to an anonymous
temporary file first (a zip cannot be streamed row by row) and then sent from it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contest.models import Contest
from frontend.http import AuthenticatedHttpRequest
from frontend.views.organiser import _contest_for_organiser
from judging.exports import (
    CONTENT_TYPES,
    EXPORTERS,
    FORMATS,
    ExportRefused,
    export_csv_lines,
    export_file_name,
    export_format_check,
    export_table,
    export_write_xlsx,
)
from judging.models import Round


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
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
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
    contest = _contest_for_organiser(request, slug)
    return _exports_page(request, contest)


def _round_number(text: str) -> int | None:
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise ExportRefused(_("“%(round)s” is not a round number.") % {"round": text})
    return int(text)


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """One export as a file: ``?what=reviews&format=csv[&round=1]``."""
    contest = _contest_for_organiser(request, slug)
    what = request.GET.get("what", "")
    file_format = request.GET.get("format", "")
    try:
        round_number = _round_number(request.GET.get("round", "").strip())
        export_format_check(file_format)
        table = export_table(actor=request.user, contest=contest, what=what, round_number=round_number)
    except ExportRefused as refused:
        return _exports_page(request, contest, error=str(refused), status=400)
    name = export_file_name(contest=contest, what=what, round_number=round_number, file_format=file_format)
    if file_format == "csv":
        # The byte-order mark lets spreadsheet programs read the file as UTF-8.
        response = StreamingHttpResponse(chain(["\ufeff"], export_csv_lines(table)), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # No "with": the response owns the file and closes it once sent.
    workbook = tempfile.TemporaryFile(suffix=".xlsx", dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
    try:
        export_write_xlsx(table, workbook)
    except BaseException:
        workbook.close()
        raise
    workbook.seek(0)
    # An anonymous temporary file is gone from the disk as soon as it is closed.
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])
