"""The organiser's jury pages: the jurors, inviting one, changing a seat, conflicts on a juror's behalf, bulk import.

Every page loads the contest (and juror) through one loader that refuses anyone who may not manage
the contest; every change goes through one service, whose refusals are shown as they are. The bulk
import keeps the uploaded file in the default storage until the organiser confirms, exactly like the
entries import (see :mod:`frontend.organiser.spreadsheet_import`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest
from contest.selectors import get_contest_for_organiser
from exchange.jurors_import import JUROR_COLUMNS, JurorImportResult, jurors_import, jurors_template_csv
from frontend.http import AuthenticatedHttpRequest
from frontend.jury.forms import ConflictForm
from frontend.organiser.forms.jury import ConflictResolveForm, JurorInviteForm, JurorSeatForm
from frontend.organiser.spreadsheet_import import SpreadsheetImport
from judging.conflicts import conflict_resolve, conflicts_pending
from judging.models import Juror
from judging.selectors.jury import (
    get_conflict_for_organiser,
    get_juror_for_organiser,
    juror_has_accepted,
    jurors_who_entered,
    jury_of,
)
from judging.services.invitations import juror_invitation_resend
from judging.services.jury import juror_invite, juror_update

PENDING_KEY = "baige_pending_jury_import"


def _juror_for_organiser(request: HttpRequest, slug: str, pk: int) -> Juror:
    """A juror of the contest, if the person may manage it; 404 for a juror of another contest."""
    return get_juror_for_organiser(get_contest_for_organiser(request.user, slug=slug), pk)


def _with_state(jurors: list[Juror]) -> list[Juror]:
    for juror in jurors:
        juror.accepted = juror_has_accepted(juror)  # type: ignore[attr-defined]
    return jurors


def _list_page(request: HttpRequest, contest: Contest, form: JurorInviteForm, status: int = 200) -> HttpResponse:
    jurors = _with_state(list(jury_of(contest)))
    context = {
        "contest": contest,
        "section": "jury",
        "jurors": jurors,
        "form": form,
        # Jurors who also wrote or co-wrote an entry: never assigned it, but the organiser should know.
        "entrants": jurors_who_entered(contest, jurors),
        "pending_conflicts": conflicts_pending(contest),
    }
    return render(request, "frontend/organiser/jury/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The jurors with their seats, conflicts and invitations; the form posts an invitation to one more."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    if request.method == "GET":
        return _list_page(request, contest, JurorInviteForm())
    form = JurorInviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            juror = juror_invite(
                actor=request.user,
                contest=contest,
                email=data["email"],
                full_name=data["full_name"],
                **form.seat_fields(),
            )
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("%(email)s is on the jury; the invitation is sent.") % {"email": juror.user.email}
            )
            return redirect("frontend:organiser_jury", slug=contest.slug)
    return _list_page(request, contest, form, status=400)


def _juror_page(
    request: HttpRequest,
    juror: Juror,
    *,
    form: JurorSeatForm | None = None,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "contest": juror.contest,
        "section": "jury",
        "juror": _with_state([juror])[0],
        "form": form or JurorSeatForm.for_juror(juror),
        "conflict_form": conflict_form or ConflictForm(juror=juror, strict_codes=True),
        "pending_conflicts": conflicts_pending(juror.contest, juror=juror),
    }
    return render(request, "frontend/organiser/jury/juror.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def juror_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A juror's seat (university, languages, most entries per round) and their conflicts."""
    juror = _juror_for_organiser(request, slug, pk)
    if request.method == "GET":
        return _juror_page(request, juror)
    form = JurorSeatForm(request.POST)
    if form.is_valid():
        try:
            juror_update(actor=request.user, juror=juror, **form.seat_fields())
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The juror %(juror)s is saved.") % {"juror": juror})
            return redirect("frontend:organiser_jury", slug=juror.contest.slug)
    return _juror_page(request, juror, form=form, status=400)


@login_required
@require_POST
def juror_resend(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send a juror's invitation again, with a fresh link."""
    juror = _juror_for_organiser(request, slug, pk)
    juror_invitation_resend(actor=request.user, juror=juror)
    messages.success(request, _("The invitation is sent again to %(email)s.") % {"email": juror.user.email})
    return redirect("frontend:organiser_jury", slug=juror.contest.slug)


@login_required
@require_POST
def juror_conflicts(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record conflicts of interest on a juror's behalf."""
    juror = _juror_for_organiser(request, slug, pk)
    form = ConflictForm(request.POST, juror=juror, strict_codes=True)
    declared = form.declare(actor=request.user)
    if declared is None:
        return _juror_page(request, juror, conflict_form=form, status=400)
    messages.success(request, declared.summary())
    return redirect("frontend:organiser_juror", slug=juror.contest.slug, pk=juror.pk)


@login_required
@require_POST
def conflict_resolve_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Resolve a pending declaration in one step; back to the page the organiser came from (jury or progress)."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    conflict = get_conflict_for_organiser(contest, pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    form = ConflictResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    else:
        try:
            done = conflict_resolve(actor=request.user, conflict=conflict, **form.cleaned_data)
        except BaigeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                ngettext(
                    "The declaration of %(juror)s is resolved: %(withdrawn)d assignment withdrawn, "
                    "%(replaced)d given to another juror.",
                    "The declaration of %(juror)s is resolved: %(withdrawn)d assignments withdrawn, "
                    "%(replaced)d given to other jurors.",
                    done.withdrawn,
                )
                % {"juror": conflict.juror, "withdrawn": done.withdrawn, "replaced": done.replaced},
            )
    if back:
        return redirect(back)
    return redirect("frontend:organiser_jury", slug=contest.slug)


# Bulk import -------------------------------------------------------------------------------------


def _import_summary(result: JurorImportResult) -> str:
    return _(
        "Imported %(rows)d lines. Jurors added: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d. "
        "Accounts created: %(users)d, existing accounts linked: %(existing)d. Invitations sent: %(invitations)d."
    ) % {
        "rows": result.rows,
        "created": result.jurors_created,
        "updated": result.jurors_updated,
        "unchanged": result.jurors_unchanged,
        "users": result.users_created,
        "existing": result.users_existing,
        "invitations": result.invitations,
    }


JURY_IMPORT = SpreadsheetImport(
    importer=jurors_import,
    summary=_import_summary,
    url_name="frontend:organiser_jury_import",
    done_url_name="frontend:organiser_jury",
    template_dir="frontend/organiser/jury/",
    session_key=PENDING_KEY,
    storage_prefix="jury-",
    template_csv=jurors_template_csv,
    template_suffix="jury",
    context={"section": "jury", "columns": JUROR_COLUMNS},
    refused_upload_status=400,
)


@login_required
@require_http_methods(["GET", "POST"])
def jury_import_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload a file of jurors and see what importing it would do (a dry run), or every bad line."""
    return JURY_IMPORT.upload(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
@require_POST
def jury_import_confirm(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file for real; new jurors get their invitations."""
    return JURY_IMPORT.confirm(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
@require_POST
def jury_import_cancel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Drop the previewed file without importing it."""
    return JURY_IMPORT.cancel(request, get_contest_for_organiser(request.user, slug=slug))


@login_required
def jury_import_template(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A CSV file with the jury import's columns and one example line."""
    return JURY_IMPORT.template(get_contest_for_organiser(request.user, slug=slug))
