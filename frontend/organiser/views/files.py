"""The organiser's ZIPs of the entries' files: ask for one with the dashboard's filters, follow it, download it.

A worker builds each ZIP (:mod:`exchange.entry_files`); the page refreshes itself while one is under way.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.exceptions import BaigeError
from contest.models import Contest, Entry
from contest.selectors import get_contest_for_organiser
from exchange.entry_files import files_archive_name, files_archive_start
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.contests import ENTRY_STATUS_CHOICES, OrganiserEntryFilter
from frontend.organiser.forms.files import FilesArchiveForm
from media_pipeline import files
from media_pipeline.models import FilesArchive
from media_pipeline.selectors import files_archives_recent, get_files_archive_for_organiser

#: The dashboard's filters, in the order the page describes them.
FILTERS = ("q", "status", "nomination", "platform", "university")


def _filter_value(value: Any) -> str:
    if isinstance(value, Model):
        return str(value.pk)
    return str(value or "").strip()


def _described(archives: list[FilesArchive], entries: OrganiserEntryFilter) -> list[tuple[FilesArchive, str]]:
    """Each ZIP with its filters in words (``Status: Submitted · Platform: Kahoot``); one query per kind of choice."""
    names: dict[str, dict[str, str]] = {"status": {value: str(label) for value, label in ENTRY_STATUS_CHOICES}}
    wanted = {key for archive in archives for key in archive.filters}
    for key in ("nomination", "platform", "university"):
        if key in wanted:
            names[key] = {str(choice.pk): str(choice) for choice in entries.filters[key].queryset}
    labels = {key: str(entries.form.fields[key].label) for key in FILTERS}
    described = []
    for archive in archives:
        parts = [
            f"{labels[key]}: {names.get(key, {}).get(str(archive.filters[key]), archive.filters[key])}"
            for key in FILTERS
            if key in archive.filters
        ]
        described.append((archive, " · ".join(parts) or _("Every entry")))
    return described


def _page(
    request: AuthenticatedHttpRequest,
    contest: Contest,
    form: FilesArchiveForm,
    entries: OrganiserEntryFilter,
    status: int = 200,
) -> HttpResponse:
    archives = files_archives_recent(contest.pk)
    context = {
        "contest": contest,
        "section": "files",
        "form": form,
        "filter": entries.form,
        "archives": _described(archives, entries),
        "running": any(archive.is_running for archive in archives),
    }
    return render(request, "frontend/organiser/files.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def files_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The form (the dashboard's filters pre-filled from the query string) and the latest ZIPs; POST asks for one."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    queryset = Entry.objects.filter(contest=contest).order_by()
    if request.method == "GET":
        entries = OrganiserEntryFilter(request.GET or None, queryset=queryset, contest=contest)
        return _page(request, contest, FilesArchiveForm(), entries)
    form = FilesArchiveForm(request.POST)
    entries = OrganiserEntryFilter(request.POST, queryset=queryset, contest=contest)
    if form.is_valid() and entries.form.is_valid():
        cleaned = entries.form.cleaned_data
        try:
            files_archive_start(
                actor=request.user,
                contest=contest,
                kind=form.cleaned_data["kind"],
                entry_ids=list(set(entries.qs.values_list("pk", flat=True))),
                filters={key: _filter_value(cleaned.get(key)) for key in FILTERS},
            )
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The ZIP is being built: this page shows how far it got."))
            return redirect("frontend:organiser_files", slug=contest.slug)
    return _page(request, contest, form, entries, status=400)


@login_required
@require_GET
def files_download(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A built ZIP of this contest: a signed address on S3, else the file streamed."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    archive = get_files_archive_for_organiser(contest.pk, pk)
    if not archive.is_ready:
        raise Http404
    name = str(archive.file.name)
    download_name = files_archive_name(archive)
    url = files.signed_url(name, download_name=download_name)
    if url is not None:
        return HttpResponseRedirect(url)
    return FileResponse(
        archive.file.open("rb"), as_attachment=True, filename=download_name, content_type="application/zip"
    )
