"""The organiser's pages of a contest itself: the list of contests, dashboard, settings, platforms and nominations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest, Nomination, Platform
from contest.selectors import (
    contest_entry_counts,
    contests_organised_by,
    entries_for_organiser,
    get_contest_for_organiser,
    get_nomination_for_organiser,
    get_platform_for_organiser,
    nominations_with_usage,
    platforms_with_usage,
)
from contest.services import contest_update, nomination_delete, nomination_save, platform_delete, platform_save
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.contests import (
    COMMON_TIMEZONES,
    ContestSettingsForm,
    NominationForm,
    OrganiserEntryFilter,
    PlatformForm,
)
from frontend.organiser.item_pages import ItemPages
from frontend.organiser.platform_table import platform_context
from judging.conflicts import conflicts_pending_count
from monitoring.selectors import RECENT_FAILURES_PERIOD, contest_task_failures

ENTRIES_PER_PAGE = 50


@login_required
def organiser_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The contests the person organises; straight to the dashboard when there is only one."""
    contests = list(contests_organised_by(request.user))
    # Staff found contests from this page, so they always see it.
    founder = request.user.has_perm("contest.create_contest")
    if not contests and not founder:
        raise PermissionDenied
    if len(contests) == 1 and not founder:
        return redirect("frontend:organiser_dashboard", slug=contests[0].slug)
    return render(request, "frontend/organiser/home.html", {"contests": contests, "founder": founder})


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


PLATFORMS: ItemPages[Platform, PlatformForm] = ItemPages(
    section="platforms",
    list_name="platforms",
    item_name="platform",
    list_template="frontend/organiser/platforms.html",
    form_template="frontend/organiser/platform_form.html",
    list_url_name="frontend:organiser_platforms",
    added=gettext_lazy("The platform “%(name)s” is added."),
    saved=gettext_lazy("The platform “%(name)s” is saved."),
    deleted=gettext_lazy("The platform “%(name)s” is deleted."),
    save=lambda actor, contest, platform, form: platform_save(
        actor=actor, contest=contest, platform=platform, **form.cleaned_data
    ),
    delete=lambda actor, platform: platform_delete(actor=actor, platform=platform),
)

NOMINATIONS: ItemPages[Nomination, NominationForm] = ItemPages(
    section="nominations",
    list_name="nominations",
    item_name="nomination",
    list_template="frontend/organiser/nominations.html",
    form_template="frontend/organiser/nomination_form.html",
    list_url_name="frontend:organiser_nominations",
    added=gettext_lazy("The nomination “%(name)s” is added."),
    saved=gettext_lazy("The nomination “%(name)s” is saved."),
    deleted=gettext_lazy("The nomination “%(name)s” is deleted."),
    save=lambda actor, contest, nomination, form: nomination_save(
        actor=actor, contest=contest, nomination=nomination, **form.cleaned_data
    ),
    delete=lambda actor, nomination: nomination_delete(actor=actor, nomination=nomination),
)


@login_required
def platform_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = get_contest_for_organiser(request.user, slug=slug)
    return PLATFORMS.list_page(request, contest, list(platforms_with_usage(contest)))


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a platform (without ``pk``) or change one."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    platform: Platform | None = get_object_or_404(platforms_with_usage(contest), pk=pk) if pk is not None else None
    if request.method == "GET":
        form = PlatformForm.for_platform(platform) if platform else PlatformForm()
    else:
        form = PlatformForm(request.POST)
    return PLATFORMS.edit(request, request.user, contest, platform, form)


@login_required
@require_POST
def platform_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a platform that no entry uses."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    platform = get_platform_for_organiser(contest, pk)
    return PLATFORMS.remove(request, request.user, contest, platform)


@login_required
def nomination_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = get_contest_for_organiser(request.user, slug=slug)
    return NOMINATIONS.list_page(request, contest, list(nominations_with_usage(contest)))


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
    else:
        form = NominationForm(request.POST)
    return NOMINATIONS.edit(request, request.user, contest, nomination, form)


@login_required
@require_POST
def nomination_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a nomination that no entry uses."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    nomination = get_nomination_for_organiser(contest, pk)
    return NOMINATIONS.remove(request, request.user, contest, nomination)
