"""The organiser's jury pages: the jurors, inviting one, changing a seat, conflicts on a juror's behalf, bulk import.

Every page loads the contest (and juror) through one loader that refuses anyone who may not manage
the contest; every change goes through one service, whose refusals are shown as they are. The bulk
import keeps the uploaded file in the default storage until the organiser confirms, exactly like the
entries import (see :mod:`frontend.views.organiser`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.importing import PREVIEW_ROWS, XLSX_MAGIC
from contest.models import Contest
from frontend.forms_jury import ConflictForm, JurorInviteForm, JurorSeatForm
from frontend.http import AuthenticatedHttpRequest
from frontend.views.organiser import ImportFileForm
from judging.importing import JUROR_COLUMNS, JurorImportResult, juror_invite, jurors_import
from judging.invitations import (
    juror_conflicts_declare,
    juror_has_accepted,
    juror_invitation_resend,
    jury_of,
)
from judging.models import Juror
from judging.services import juror_update

PENDING_KEY = "baige_pending_jury_import"


def _contest_for_organiser(request: HttpRequest, slug: str) -> Contest:
    """The contest, if the person may manage it; anyone else is refused."""
    contest = get_object_or_404(Contest, slug=slug)
    if not request.user.has_perm("contest.manage_contest", contest):
        raise PermissionDenied
    return contest


def _juror_for_organiser(request: HttpRequest, slug: str, pk: int) -> Juror:
    """A juror of the contest, if the person may manage it; 404 for a juror of another contest."""
    contest = _contest_for_organiser(request, slug)
    juror = get_object_or_404(jury_of(contest), pk=pk)
    juror.contest = contest
    return juror


def _with_state(jurors: list[Juror]) -> list[Juror]:
    for juror in jurors:
        juror.accepted = juror_has_accepted(juror)  # type: ignore[attr-defined]
    return jurors


def _list_page(request: HttpRequest, contest: Contest, form: JurorInviteForm, status: int = 200) -> HttpResponse:
    context = {"contest": contest, "section": "jury", "jurors": _with_state(list(jury_of(contest))), "form": form}
    return render(request, "frontend/organiser/jury/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The jurors with their seats, conflicts and invitations; the form posts an invitation to one more."""
    contest = _contest_for_organiser(request, slug)
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
        "conflict_form": conflict_form or ConflictForm(juror=juror),
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
    form = ConflictForm(request.POST, juror=juror)
    if form.is_valid():
        data = form.cleaned_data
        try:
            declared = juror_conflicts_declare(
                actor=request.user,
                juror=juror,
                universities=list(data["universities"]),
                entries=data["entry_codes"],
                reason=data["reason"],
            )
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, declared.summary())
            return redirect("frontend:organiser_juror", slug=juror.contest.slug, pk=juror.pk)
    return _juror_page(request, juror, conflict_form=form, status=400)


# Bulk import -------------------------------------------------------------------------------------


def _pending_name(pending: Any) -> str | None:
    """The storage name of the file waiting for confirmation, rebuilt from the session's uuid."""
    if not isinstance(pending, dict):
        return None
    try:
        token = uuid.UUID(str(pending.get("token", ""))).hex
    except ValueError:
        return None
    extension = "xlsx" if pending.get("extension") == "xlsx" else "csv"
    return f"imports/jury-{token}.{extension}"


def _discard_pending(request: HttpRequest) -> None:
    name = _pending_name(request.session.pop(PENDING_KEY, None))
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _import_page(
    request: HttpRequest, contest: Contest, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "contest": contest,
        "section": "jury",
        "columns": JUROR_COLUMNS,
        "preview_rows": PREVIEW_ROWS,
        "form": ImportFileForm(),
        **extra,
    }
    return render(request, f"frontend/organiser/jury/{template}", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_import_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload a file of jurors and see what importing it would do (a dry run), or every bad line."""
    contest = _contest_for_organiser(request, slug)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _import_page(request, contest, "import.html", status=status, form=form)
    upload = form.cleaned_data["file"]
    head = upload.read(len(XLSX_MAGIC))
    upload.seek(0)
    _discard_pending(request)
    token = uuid.uuid4().hex
    extension = "xlsx" if head == XLSX_MAGIC else "csv"
    name = default_storage.save(f"imports/jury-{token}.{extension}", upload)
    with default_storage.open(name, "rb") as stream:
        result = jurors_import(actor=request.user, contest=contest, stream=stream, dry_run=True)
    if result.ok:
        request.session[PENDING_KEY] = {"contest": contest.pk, "token": token, "extension": extension}
    else:
        default_storage.delete(name)
    return _import_page(request, contest, "import_preview.html", result=result, filename=upload.name, token=token)


def _import_summary(result: JurorImportResult) -> str:
    return _(
        "Imported %(rows)d lines. Jurors added: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d. "
        "Accounts created: %(users)d. Invitations sent: %(invitations)d."
    ) % {
        "rows": result.rows,
        "created": result.jurors_created,
        "updated": result.jurors_updated,
        "unchanged": result.jurors_unchanged,
        "users": result.users_created,
        "invitations": result.invitations,
    }


@login_required
@require_POST
def jury_import_confirm(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file for real; new jurors get their invitations."""
    contest = _contest_for_organiser(request, slug)
    pending = request.session.get(PENDING_KEY)
    name = _pending_name(pending)
    if (
        name is None
        or not isinstance(pending, dict)
        or pending.get("contest") != contest.pk
        or request.POST.get("token") != pending.get("token")
        or not default_storage.exists(name)
    ):
        messages.error(request, _("The previewed file is no longer available: upload it again."))
        return redirect("frontend:organiser_jury_import", slug=contest.slug)
    try:
        with default_storage.open(name, "rb") as stream:
            result = jurors_import(actor=request.user, contest=contest, stream=stream)
    finally:
        _discard_pending(request)
    if not result.ok:
        # The data changed since the preview; show what is wrong now.
        return _import_page(request, contest, "import_preview.html", status=409, result=result, filename="", token="")
    messages.success(request, _import_summary(result))
    return redirect("frontend:organiser_jury", slug=contest.slug)


@login_required
@require_POST
def jury_import_cancel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Drop the previewed file without importing it."""
    contest = _contest_for_organiser(request, slug)
    _discard_pending(request)
    messages.info(request, _("The import was cancelled; nothing was changed."))
    return redirect("frontend:organiser_jury_import", slug=contest.slug)


@login_required
def jury_import_template(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A CSV file with the jury import's columns and one example line."""
    contest = _contest_for_organiser(request, slug)
    example = ["juror@example.org", "Aigerim Sadykova", "Taraz University", "kk;ru", "20"]
    body = "\ufeff" + ",".join(JUROR_COLUMNS) + "\r\n" + ",".join(example) + "\r\n"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-jury.csv"'
    return response
