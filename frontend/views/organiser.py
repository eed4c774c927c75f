"""The organiser's pages: bulk import of participants and entries from a spreadsheet.

The uploaded file waits for the organiser's confirmation in the default storage under
``imports/<uuid>.<ext>``; only the uuid, kept in the server-side session, points at it,
so no path ever comes from the browser.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from contest.importing import (
    ALL_COLUMNS,
    MAX_FILE_BYTES,
    OPTIONAL_COLUMNS,
    PREVIEW_ROWS,
    XLSX_MAGIC,
    ImportResult,
    entries_import,
    import_template_csv,
)
from contest.models import Contest

PENDING_KEY = "baige_pending_import"


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_FILE_BYTES)}
            )
        return upload


def _contest_for_organiser(request: HttpRequest, slug: str) -> Contest:
    """The contest, if the person may manage it; anyone else is refused."""
    contest = get_object_or_404(Contest, slug=slug)
    if not request.user.has_perm("contest.manage_contest", contest):
        raise PermissionDenied
    return contest


def _pending_name(pending: dict[str, Any]) -> str | None:
    """The storage name of the file waiting for confirmation, rebuilt from the session's uuid."""
    try:
        token = uuid.UUID(str(pending.get("token", ""))).hex
    except ValueError:
        return None
    extension = "xlsx" if pending.get("extension") == "xlsx" else "csv"
    return f"imports/{token}.{extension}"


def _discard_pending(request: HttpRequest) -> None:
    """Forget the file waiting for confirmation and delete it from storage."""
    pending = request.session.pop(PENDING_KEY, None)
    name = _pending_name(pending) if isinstance(pending, dict) else None
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _page_context(contest: Contest, **extra: Any) -> dict[str, Any]:
    return {
        "contest": contest,
        "columns": ALL_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "preview_rows": PREVIEW_ROWS,
        **extra,
    }


def _summary(result: ImportResult) -> str:
    return _(
        "Imported %(rows)d lines. Entries created: %(entries_created)d, updated: %(entries_updated)d, "
        "unchanged: %(entries_unchanged)d. Participants created: %(participants_created)d, "
        "updated: %(participants_updated)d. Universities created: %(universities_created)d. "
        "Platforms created: %(platforms_created)d."
    ) % {
        "rows": result.rows,
        "entries_created": result.entries_created,
        "entries_updated": result.entries_updated,
        "entries_unchanged": result.entries_unchanged,
        "participants_created": result.participants_created,
        "participants_updated": result.participants_updated,
        "universities_created": result.universities_created,
        "platforms_created": result.platforms_created,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a file and see what importing it would do (a dry run), or every bad line."""
    contest = _contest_for_organiser(request, slug)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "frontend/organiser/import.html", _page_context(contest, form=form))
    upload = form.cleaned_data["file"]
    head = upload.read(len(XLSX_MAGIC))
    upload.seek(0)
    _discard_pending(request)
    token = uuid.uuid4().hex
    extension = "xlsx" if head == XLSX_MAGIC else "csv"
    name = default_storage.save(f"imports/{token}.{extension}", upload)
    with default_storage.open(name, "rb") as stream:
        result = entries_import(actor=request.user, contest=contest, stream=stream, dry_run=True)
    if result.ok:
        request.session[PENDING_KEY] = {"contest": contest.pk, "token": token, "extension": extension}
    else:
        # Nothing to confirm: the organiser fixes the file and uploads it again.
        default_storage.delete(name)
    context = _page_context(contest, result=result, filename=upload.name, token=token, form=ImportFileForm())
    return render(request, "frontend/organiser/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file for real."""
    contest = _contest_for_organiser(request, slug)
    pending = request.session.get(PENDING_KEY)
    name = _pending_name(pending) if isinstance(pending, dict) else None
    if (
        name is None
        or pending.get("contest") != contest.pk
        or request.POST.get("token") != pending.get("token")
        or not default_storage.exists(name)
    ):
        messages.error(request, _("The previewed file is no longer available: upload it again."))
        return redirect("frontend:organiser_import", slug=contest.slug)
    try:
        with default_storage.open(name, "rb") as stream:
            result = entries_import(actor=request.user, contest=contest, stream=stream)
    finally:
        _discard_pending(request)
    if not result.ok:
        # The data changed since the preview; show what is wrong now.
        context = _page_context(contest, result=result, filename="", token="", form=ImportFileForm())
        return render(request, "frontend/organiser/import_preview.html", context, status=409)
    messages.success(request, _summary(result))
    return redirect("frontend:organiser_import", slug=contest.slug)


@login_required
@require_POST
def import_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """Drop the previewed file without importing it."""
    contest = _contest_for_organiser(request, slug)
    _discard_pending(request)
    messages.info(request, _("The import was cancelled; nothing was changed."))
    return redirect("frontend:organiser_import", slug=contest.slug)


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """A CSV file with the import's columns and one example line."""
    contest = _contest_for_organiser(request, slug)
    response = HttpResponse("\ufeff" + import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-import.csv"'
    return response
