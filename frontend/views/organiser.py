"""The organiser's pages: dashboard, contest settings, platforms, nominations, and bulk import.

The bulk import of participants and entries is one :class:`~frontend.views.spreadsheet_import.SpreadsheetImport`;
its file waits for the organiser's confirmation in the default storage under ``imports/<uuid>.<ext>``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest, Nomination, Platform
from contest.selectors import (
    contest_entry_counts,
    contests_organised_by,
    entries_for_organiser,
    get_contest_for_organiser,
    nominations_with_usage,
    platforms_with_usage,
)
from contest.services import contest_update, nomination_delete, nomination_save, platform_delete, platform_save
from exchange.entries_import import ALL_COLUMNS, OPTIONAL_COLUMNS, ImportResult, entries_import, import_template_csv
from frontend.forms_organiser import (
    COMMON_TIMEZONES,
    ContestSettingsForm,
    NominationForm,
    OrganiserEntryFilter,
    PlatformForm,
)
from frontend.http import AuthenticatedHttpRequest
from frontend.platform_table import platform_context
from frontend.views.spreadsheet_import import SpreadsheetImport
from judging.conflicts import conflicts_pending_count
from monitoring.selectors import RECENT_FAILURES_PERIOD, contest_task_failures

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


ENTRIES_PER_PAGE = 50


@login_required
def organiser_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The contests the person organises; straight to the dashboard when there is only one."""
    contests = list(contests_organised_by(request.user))
    if not contests and not request.user.is_superuser:
        raise PermissionDenied
    if len(contests) == 1:
        return redirect("frontend:organiser_dashboard", slug=contests[0].slug)
    return render(request, "frontend/organiser/home.html", {"contests": contests})


@login_required
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Counts, and the table of entries with filters and a search."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    entries = OrganiserEntryFilter(request.GET or None, queryset=entries_for_organiser(contest), contest=contest)
    page = Paginator(entries.qs, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "contest": contest,
        "section": "dashboard",
        "counts": contest_entry_counts(contest),
        **platform_context(contest),
        "filter": entries.form,
        "filtered": entries.is_bound,
        "page": page,
        "pending_conflicts": conflicts_pending_count(contest),
        "recent_task_failures": contest_task_failures(
            contest=contest, since=timezone.now() - RECENT_FAILURES_PERIOD, viewer=request.user
        ).count(),
    }
    return render(request, "frontend/organiser/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contest_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Texts, time zone, timeline on the contest's clock, and file limits."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    form = ContestSettingsForm(request.POST or None, contest=contest)
    if request.method == "POST":
        if form.is_valid():
            try:
                contest_update(actor=request.user, contest=contest, **form.service_fields())
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The contest's settings are saved."))
                return redirect("frontend:organiser_settings", slug=contest.slug)
        return _settings_page(request, contest, form, status=400)
    return _settings_page(request, contest, form)


def _settings_page(
    request: HttpRequest, contest: Contest, form: ContestSettingsForm, status: int = 200
) -> HttpResponse:
    context = {"contest": contest, "section": "settings", "form": form, "timezones": COMMON_TIMEZONES}
    return render(request, "frontend/organiser/settings.html", context, status=status)


@login_required
def platform_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = get_contest_for_organiser(request.user, slug=slug)
    context = {"contest": contest, "section": "platforms", "platforms": list(platforms_with_usage(contest))}
    return render(request, "frontend/organiser/platforms.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a platform (without ``pk``) or change one."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    platform: Platform | None = get_object_or_404(platforms_with_usage(contest), pk=pk) if pk is not None else None
    if request.method == "GET":
        form = PlatformForm.for_platform(platform) if platform else PlatformForm()
        return _platform_page(request, contest, platform, form)
    form = PlatformForm(request.POST)
    if form.is_valid():
        try:
            saved = platform_save(actor=request.user, contest=contest, platform=platform, **form.cleaned_data)
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            done = _("The platform “%(name)s” is saved.") if platform else _("The platform “%(name)s” is added.")
            messages.success(request, done % {"name": saved.name})
            return redirect("frontend:organiser_platforms", slug=contest.slug)
    return _platform_page(request, contest, platform, form, status=400)


def _platform_page(
    request: HttpRequest, contest: Contest, platform: Platform | None, form: PlatformForm, status: int = 200
) -> HttpResponse:
    context = {"contest": contest, "section": "platforms", "platform": platform, "form": form}
    return render(request, "frontend/organiser/platform_form.html", context, status=status)


@login_required
@require_POST
def platform_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a platform that no entry uses."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    platform: Platform = get_object_or_404(Platform.objects.select_related("contest"), contest=contest, pk=pk)
    name = platform.name
    try:
        platform_delete(actor=request.user, platform=platform)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The platform “%(name)s” is deleted.") % {"name": name})
    return redirect("frontend:organiser_platforms", slug=contest.slug)


@login_required
def nomination_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = get_contest_for_organiser(request.user, slug=slug)
    context = {"contest": contest, "section": "nominations", "nominations": list(nominations_with_usage(contest))}
    return render(request, "frontend/organiser/nominations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a nomination (without ``pk``) or change one."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    nomination: Nomination | None = (
        get_object_or_404(nominations_with_usage(contest), pk=pk) if pk is not None else None
    )
    if request.method == "GET":
        form = NominationForm.for_nomination(nomination) if nomination else NominationForm()
        return _nomination_page(request, contest, nomination, form)
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            saved = nomination_save(actor=request.user, contest=contest, nomination=nomination, **form.cleaned_data)
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            done = _("The nomination “%(name)s” is saved.") if nomination else _("The nomination “%(name)s” is added.")
            messages.success(request, done % {"name": saved.name})
            return redirect("frontend:organiser_nominations", slug=contest.slug)
    return _nomination_page(request, contest, nomination, form, status=400)


def _nomination_page(
    request: HttpRequest, contest: Contest, nomination: Nomination | None, form: NominationForm, status: int = 200
) -> HttpResponse:
    context = {"contest": contest, "section": "nominations", "nomination": nomination, "form": form}
    return render(request, "frontend/organiser/nomination_form.html", context, status=status)


@login_required
@require_POST
def nomination_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a nomination that no entry uses."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    nomination: Nomination = get_object_or_404(Nomination.objects.select_related("contest"), contest=contest, pk=pk)
    name = nomination.name
    try:
        nomination_delete(actor=request.user, nomination=nomination)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The nomination “%(name)s” is deleted.") % {"name": name})
    return redirect("frontend:organiser_nominations", slug=contest.slug)
