"""Founding a contest (staff), and a contest's organisers adding and removing co-organisers."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest
from contest.organisers import contest_create, contest_organiser_add, contest_organiser_remove, organisers_of
from contest.selectors import get_contest_for_organiser
from exchange.contest_copy import contest_copy
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.contests import COMMON_TIMEZONES
from frontend.organiser.forms.organisers import NewContestForm, OrganiserAddForm


@login_required
@require_http_methods(["GET", "POST"])
def contest_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff found a contest: blank, or a copy of another with its dates moved; its first organisers are told."""
    if not cast(Any, request.user).has_perm("contest.create_contest"):
        raise PermissionDenied
    form = NewContestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                contest = _found(request, data, form.names())
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The contest “%(contest)s” is created.") % {"contest": contest})
                return redirect("frontend:organiser_organisers", slug=contest.slug)
    context = {"form": form, "timezones": COMMON_TIMEZONES}
    return render(request, "frontend/organiser/contest_new.html", context, status=status)


def _found(request: AuthenticatedHttpRequest, data: dict[str, Any], names: dict[str, str]) -> Contest:
    if data["source"] is not None:
        return contest_copy(
            actor=request.user,
            source=data["source"],
            slug=data["slug"],
            names=names,
            years=data["shift_years"],
            days=data["shift_days"],
            organiser_emails=data["organisers"],
            language=data["language"],
        )
    return contest_create(
        actor=request.user,
        slug=data["slug"],
        names=names,
        timezone=data["timezone"],
        submissions_open=data["submissions_open"],
        submissions_close=data["submissions_close"],
        organiser_emails=data["organisers"],
        language=data["language"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def organiser_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's organisers; add a co-organiser by e-mail."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    form = OrganiserAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                added = contest_organiser_add(
                    actor=request.user,
                    contest=contest,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                if added is None:
                    messages.info(
                        request, _("%(email)s already organises this contest.") % {"email": form.cleaned_data["email"]}
                    )
                else:
                    messages.success(
                        request, _("%(email)s is an organiser now and is told by e-mail.") % {"email": added.email}
                    )
                return redirect("frontend:organiser_organisers", slug=contest.slug)
    context = {
        "contest": contest,
        "section": "organisers",
        "roles": list(organisers_of(contest)),
        "form": form,
    }
    return render(request, "frontend/organiser/organisers.html", context, status=status)


@login_required
@require_POST
def organiser_remove(request: AuthenticatedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Take a person's organiser role in the contest away; never the last organiser's."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    role = organisers_of(contest).filter(user_id=user_id).first()
    if role is None:
        messages.error(request, _("This person is not an organiser of this contest."))
        return redirect("frontend:organiser_organisers", slug=contest.slug)
    try:
        contest_organiser_remove(actor=request.user, contest=contest, user=role.user)
    except BaigeError as refused:
        messages.error(request, str(refused))
        return redirect("frontend:organiser_organisers", slug=contest.slug)
    messages.success(request, _("%(email)s no longer organises this contest.") % {"email": role.user.email})
    if role.user_id == request.user.pk:
        return redirect("frontend:organiser_home")
    return redirect("frontend:organiser_organisers", slug=contest.slug)
