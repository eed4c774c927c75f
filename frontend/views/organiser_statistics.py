"""The organiser's statistics: participants per platform and university, entries per nomination, scores.

The page shows the tables as organisers report them (``6 (23.1%)`` under ``University (26)``) and a
bar chart drawn on the server as inline SVG, so it needs no script. Its downloads are the
``platform-stats`` export of :mod:`judging.exports` in CSV, XLSX or JSON. Every figure is counted by
the database: the page costs the same few queries whatever the number of entries.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contest.models import Contest, Platform
from contest.statistics import PlatformTable, nomination_table, participant_columns, platform_table, share_label
from frontend.http import AuthenticatedHttpRequest
from frontend.views.organiser import _contest_for_organiser
from judging.exports import (
    ALL_FORMATS,
    CONTENT_TYPES,
    Table,
    export_csv_lines,
    export_file_name,
    export_json_pieces,
    export_table,
    export_write_xlsx,
)
from judging.models import Round
from judging.statistics import platform_scores

WHAT = "platform-stats"

# The chart's geometry, in SVG units: platform names on the left, bars up to BAR_WIDTH for 100 %.
CHART_WIDTH = 720
LABEL_WIDTH = 230
BAR_WIDTH = 400
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class _Row:
    """A platform's line of the table: its name and its cells as organisers write them."""

    platform: Platform
    cells: list[str]


@dataclass(frozen=True)
class _Bar:
    """One bar of the chart: the share of all participants who used a platform."""

    name: str
    label: str
    y: int
    text_y: int
    width: float
    value_x: float


def _rows(table: PlatformTable) -> list[_Row]:
    return [_Row(platform=row.platform, cells=[share_label(share) for share in row.shares]) for row in table.rows]


def _bars(table: PlatformTable) -> list[_Bar]:
    bars = []
    for index, row in enumerate(table.rows):
        total = row.shares[-1]
        width = float(total.percent / Decimal(100)) * BAR_WIDTH
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            _Bar(
                name=row.platform.name,
                label=share_label(total),
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=round(width, 1),
                value_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    return bars


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
    contest = _contest_for_organiser(request, slug)
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    chosen = _chosen_round(rounds, request.GET.get("round", "").strip())
    columns = participant_columns(contest=contest)
    platforms = platform_table(contest=contest, columns=columns)
    context = {
        "contest": contest,
        "section": "statistics",
        "columns": columns,
        "rows": _rows(platforms),
        "bars": _bars(platforms),
        "chart": {
            "width": CHART_WIDTH,
            "height": max(len(platforms.rows), 1) * ROW_HEIGHT,
            "label_x": LABEL_WIDTH - 8,
            "bar_x": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
        },
        "participants": columns[-1].participants,
        "nominations": nomination_table(contest=contest, columns=columns),
        "rounds": rounds,
        "round": chosen,
        "scores": platform_scores(round=chosen) if chosen is not None else [],
        "formats": ALL_FORMATS,
    }
    return render(request, "frontend/organiser/statistics.html", context)


def _download(contest: Contest, table: Table, file_format: str) -> HttpResponseBase:
    name = export_file_name(contest=contest, what=WHAT, round_number=None, file_format=file_format)
    if file_format in ("csv", "json"):
        # The byte-order mark lets spreadsheet programs read the CSV as UTF-8; JSON needs none.
        pieces = chain(["\ufeff"], export_csv_lines(table)) if file_format == "csv" else export_json_pieces(table)
        response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[file_format])
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
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])


@login_required
@require_GET
def statistics_download(request: AuthenticatedHttpRequest, slug: str, file_format: str) -> HttpResponseBase:
    """The statistics as a CSV, XLSX or JSON file."""
    contest = _contest_for_organiser(request, slug)
    if file_format not in ALL_FORMATS:
        raise Http404
    return _download(contest, export_table(actor=request.user, contest=contest, what=WHAT), file_format)
