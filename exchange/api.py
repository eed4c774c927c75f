"""API v1 exports of a contest for its organisers: the files of ``manage.py export`` and of the exports page.

``GET /api/v1/contests/<slug>/exports/<what>/?format=csv|xlsx|json&round=N`` answers the same bytes as the
organiser's downloads: CSV and JSON are streamed as they are read from the database; an XLSX workbook is
written to an anonymous temporary file first (a zip cannot be streamed row by row) and sent from it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from itertools import chain

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from contest.models import Contest
from contest.selectors import get_contest_for_organiser
from contest.serializers import ErrorSerializer
from exchange.exports import (
    ALL_FORMATS,
    CONTENT_TYPES,
    EXPORTERS,
    export_file_name,
    export_format_check,
    export_round_number,
    export_table,
)
from exchange.sheet_writers import Table, export_csv_lines, export_json_pieces, export_write_xlsx

#: What the API answers when no format is asked for, as the command does.
DEFAULT_FORMAT = "csv"


def export_file_response(
    *, contest: Contest, table: Table, what: str, round_number: int | None, file_format: str
) -> HttpResponseBase:
    """The table as a file to download, named ``<slug>-<what>[-round-N].<ext>``."""
    name = export_file_name(contest=contest, what=what, round_number=round_number, file_format=file_format)
    if file_format in ("csv", "json"):
        # The byte-order mark lets spreadsheet programs read the CSV as UTF-8; JSON needs none.
        pieces: Iterator[str] = (
            chain(["\ufeff"], export_csv_lines(table)) if file_format == "csv" else export_json_pieces(table)
        )
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
    # An anonymous temporary file is gone from the disk as soon as it is closed.
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])


class FileFormatNegotiation(DefaultContentNegotiation):
    """Errors always in JSON: here ``?format=`` names the file asked for, not how DRF renders its answer."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


def _contest_for_organiser(request: Request, slug: str) -> Contest:
    """The contest if the requester organises it: 404 for no such contest, 403 for anyone else."""
    refusal = _("Only the contest's organisers can download its exports.")
    return get_contest_for_organiser(request.user, slug=slug, refusal=refusal)


REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Not logged in (`not_authenticated`), or not an organiser of this contest (`not_allowed`).",
)


@extend_schema(tags=["exports"])
class ContestExportView(APIView):
    """One of a contest's exports as a file, for the contest's organisers."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        summary="Download an export of a contest",
        description="The same file as `manage.py export` and the organiser's exports page: "
        + ", ".join(f"`{name}`" for name in EXPORTERS)
        + ". CSV (UTF-8 with a byte-order mark) and JSON are streamed; column names are never translated. "
        "Without `round`, every round.",
        parameters=[
            OpenApiParameter(
                "what", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(EXPORTERS), description="What to export."
            ),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(ALL_FORMATS),
                default=DEFAULT_FORMAT,
                description="The file's format.",
            ),
            OpenApiParameter(
                "round",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="Only this round (its number), for the exports kept per round.",
            ),
        ],
        responses={
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY, description="CSV."),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX workbook."),
            (200, CONTENT_TYPES["json"]): OpenApiResponse(
                OpenApiTypes.ANY, description="A list of one object per row, or a summary's document."
            ),
            400: OpenApiResponse(ErrorSerializer, description="Unknown export, format or round (`export_refused`)."),
            401: REFUSED,
            403: REFUSED,
            404: OpenApiResponse(description="No such contest."),
        },
    )
    def get(self, request: Request, slug: str, what: str) -> HttpResponseBase:
        contest = _contest_for_organiser(request, slug)
        file_format = export_format_check(request.query_params.get("format", DEFAULT_FORMAT), ALL_FORMATS)
        round_number = export_round_number(request.query_params.get("round", ""))
        table = export_table(actor=request.user, contest=contest, what=what, round_number=round_number)
        return export_file_response(
            contest=contest, table=table, what=what, round_number=round_number, file_format=file_format
        )
