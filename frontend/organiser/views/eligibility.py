"""The organiser's page of an entry's eligibility: its state and history, disqualifying it, reinstating it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.exceptions import BaigeError
from contest.models import Entry
from contest.selectors import entry_eligibility_history, get_entry_for_organiser
from contest.services import entry_disqualify, entry_reinstate
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.eligibility import DisqualifyForm, ReinstateForm
from judging.coverage import following_round
from judging.selectors.eligibility import disqualification_effects, entry_awards


def _context(entry: Entry, form: DisqualifyForm | ReinstateForm) -> dict[str, Any]:
    effects = disqualification_effects(entry)
    return {
        "contest": entry.contest,
        "entry": entry,
        "section": "dashboard",
        "form": form,
        "history": entry_eligibility_history(entry),
        "effects": effects,
        "withdrawn": sum(effect.assignments for effect in effects),
        "awards": entry_awards(entry) if not entry.is_disqualified else [],
        "returns_to": following_round(entry.contest) if entry.is_disqualified else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry_eligibility(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """Disqualify a submitted entry with a reason, or reinstate a disqualified one, after saying what it does."""
    entry = get_entry_for_organiser(request.user, slug=slug, code=code)
    form: DisqualifyForm | ReinstateForm
    if entry.is_disqualified:
        form = ReinstateForm(request.POST or None, auto_id="reinstate_%s")
    else:
        form = DisqualifyForm(request.POST or None, auto_id="disqualify_%s")
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, ReinstateForm):
                entry_reinstate(actor=request.user, entry=entry)
                done = _("The entry %(code)s is reinstated; its authors are told by e-mail.")
            else:
                entry_disqualify(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
                done = _("The entry %(code)s is disqualified; its authors are told by e-mail.")
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done % {"code": entry.code})
            return redirect("frontend:organiser_entry_eligibility", slug=slug, code=code)
    status = 400 if request.method == "POST" else 200
    return render(request, "frontend/organiser/entry_eligibility.html", _context(entry, form), status=status)
