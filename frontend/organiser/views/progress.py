"""The organiser's view of a round's judging: progress per juror and per entry, reminders, reassignment.

Every page loads the round through :func:`~judging.selectors.rounds.get_round_for_organiser`, which refuses
anyone who may not manage the contest's judging; every change goes through one service of
:mod:`judging.services.reminders`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.exceptions import BaigeError
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.progress import ReassignForm, RemindForm
from judging.conflicts import conflicts_pending
from judging.enums import RoundStatus
from judging.models import Juror, Round
from judging.progress import jurors_progress, round_progress
from judging.selectors.reviews import submitted_reviews_of_juror
from judging.selectors.rounds import (
    entries_without_round,
    get_juror_of_round,
    get_round_for_organiser,
    juror_assignments_with_review_state,
)
from judging.services.reminders import Reminders, assignment_reassign, jurors_remind


@login_required
def round_progress_page(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Per juror and per entry: how far the round's judging has got, who is behind; remind them."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    context = {
        "contest": round.contest,
        "section": "rounds",
        "round": round,
        "progress": round_progress(round),
        "open": round.status == RoundStatus.OPEN,
        "pending_conflicts": conflicts_pending(round.contest, round=round),
        "unjudged": entries_without_round(round.contest),
    }
    return render(request, "frontend/organiser/progress/round.html", context)


def _reminders_message(request: HttpRequest, done: Reminders) -> None:
    if done.sent:
        messages.success(
            request,
            ngettext(
                "%(count)d juror is reminded: %(names)s.", "%(count)d jurors are reminded: %(names)s.", len(done.sent)
            )
            % {"count": len(done.sent), "names": ", ".join(str(juror) for juror in done.sent)},
        )
    if done.recent:
        messages.info(
            request,
            _("Already reminded in the last 12 hours, so not again: %(names)s.")
            % {"names": ", ".join(str(juror) for juror in done.recent)},
        )
    if done.finished:
        messages.info(
            request,
            _("Nothing left to score, so not reminded: %(names)s.")
            % {"names": ", ".join(str(juror) for juror in done.finished)},
        )
    if not (done.sent or done.recent or done.finished):
        messages.info(request, _("Nobody is behind: no reminder was sent."))


@login_required
@require_POST
def remind(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Remind one juror, or every juror who is behind, of their unfinished reviews."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    form = RemindForm(request.POST)
    if form.is_valid() and form.cleaned_data["juror"] is not None:
        jurors = [get_juror_of_round(round, form.cleaned_data["juror"])]
    else:
        jurors = [row.juror for row in jurors_progress(round) if row.behind]
    try:
        done = jurors_remind(actor=request.user, round=round, jurors=jurors)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        _reminders_message(request, done)
    return redirect("frontend:organiser_progress", slug=round.contest.slug, number=round.number)


@login_required
def juror_page(request: AuthenticatedHttpRequest, slug: str, number: int, juror_id: int) -> HttpResponse:
    """One juror's entries in the round and their state; move the unfinished ones to other jurors."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    juror = get_juror_of_round(round, juror_id)
    return _juror_page(request, round, juror, ReassignForm(round=round, juror=juror))


def _juror_page(
    request: HttpRequest, round: Round, juror: Juror, form: ReassignForm, status: int = 200
) -> HttpResponse:
    assignments = list(juror_assignments_with_review_state(round, juror))
    reviews = submitted_reviews_of_juror(round, juror)
    context = {
        "contest": round.contest,
        "section": "rounds",
        "round": round,
        "juror": juror,
        "row": next(iter(jurors_progress(round, juror=juror)), None),
        "assignments": assignments,
        # Each assignment with the juror's submitted review of it: scores, comments, feedback and note.
        "assignment_rows": [(assignment, reviews.get(assignment.entry_id)) for assignment in assignments],
        "form": form,
        "choices": list(form.fields["to"].queryset),  # type: ignore[attr-defined]
        "closed": round.status == RoundStatus.CLOSED,
    }
    return render(request, "frontend/organiser/progress/juror.html", context, status=status)


@login_required
@require_POST
def reassign(request: AuthenticatedHttpRequest, slug: str, number: int, juror_id: int) -> HttpResponse:
    """Move one unfinished entry, or all of them, from a juror to a chosen juror or the least loaded one who may."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    juror = get_juror_of_round(round, juror_id)
    form = ReassignForm(request.POST, round=round, juror=juror)
    if not form.is_valid():
        return _juror_page(request, round, juror, form, status=400)
    entry, to = form.cleaned_data["entry"], form.cleaned_data["to"]
    try:
        moves = assignment_reassign(
            actor=request.user, round=round, juror=juror, entries=[entry] if entry else None, to=to
        )
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext("%(count)d entry is moved: %(moves)s.", "%(count)d entries are moved: %(moves)s.", len(moves))
            % {"count": len(moves), "moves": ", ".join(f"{move.entry.code} → {move.to}" for move in moves)},
        )
    return redirect(
        "frontend:organiser_progress_juror", slug=round.contest.slug, number=round.number, juror_id=juror.pk
    )
