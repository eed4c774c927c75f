"""The organiser's bulk import of participants and entries from a spreadsheet.

The import is one :class:`~frontend.organiser.spreadsheet_import.SpreadsheetImport`; its file waits for the
organiser's confirmation in the default storage under ``imports/<uuid>.<ext>``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contest.selectors import get_contest_for_organiser
from exchange.entries_import import ALL_COLUMNS, OPTIONAL_COLUMNS, ImportResult, entries_import, import_template_csv
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.spreadsheet_import import SpreadsheetImport

PENDING_KEY = "baige_pending_import"


def _summary(result: ImportResult) -> str:
    return _(
        "Imported %(rows)d lines. Entries created: %(entries_created)d, updated: %(entries_updated)d, "
        "unchanged: %(entries_unchanged)d. Participants created: %(participants_created)d, "
        "existing accounts linked: %(participants_existing)d. Universities created: %(universities_created)d. "
        "Platforms created: %(platforms_created)d."
    ) % {
        "rows": result.rows,
        "entries_created": result.entries_created,
        "entries_updated": result.entries_updated,
        "entries_unchanged": result.entries_unchanged,
        "participants_created": result.participants_created,
        "participants_existing": result.participants_existing,
        "universities_created": result.universities_created,
        "platforms_created": result.platforms_created,
    }


ENTRIES_IMPORT = SpreadsheetImport(
    importer=entries_import,
    summary=_summary,
    url_name="frontend:organiser_import",
    done_url_name="frontend:organiser_import",
    template_dir="frontend/organiser/",
    session_key=PENDING_KEY,
    storage_prefix="",
    template_csv=import_template_csv,
    template_suffix="import",
    context={"columns": ALL_COLUMNS, "optional_columns": OPTIONAL_COLUMNS},
)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload a file and see what importing it would do (a dry run), or every bad line."""
    return ENTRIES_IMPORT.upload(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file for real."""
    return ENTRIES_IMPORT.confirm(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Drop the previewed file without importing it."""
    return ENTRIES_IMPORT.cancel(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
def import_template(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A CSV file with the import's columns and one example line."""
    return ENTRIES_IMPORT.template(get_contest_for_organiser(request.user, slug=slug))
