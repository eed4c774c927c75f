"""A juror's first steps: the welcome page the invitation leads to, and declaring conflicts of interest.

Only the juror reaches these pages: their own seats are loaded from the signed-in person, so there
is nothing to ask for another juror's, and a person without a seat gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontend.http import AuthenticatedHttpRequest
from frontend.jury.forms import ConflictForm
from judging.models import Juror
from judging.selectors.jury import seats_of
from judging.selectors.panel import rounds_of_juror
from judging.selectors.rubric import rubric_of
from judging.services.invitations import jurors_accept


def _seat_of(request: AuthenticatedHttpRequest, slug: str) -> Juror:
    """The signed-in person's seat on the contest's jury; 404 for anyone without one."""
    for seat in seats_of(request.user):
        if seat.contest.slug == slug:
            return seat
    raise Http404


@login_required
def welcome(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The juries the person sits on, how judging works, and where to declare conflicts of interest."""
    seats = seats_of(request.user)
    if not seats:
        raise Http404
    jurors_accept(actor=request.user, seats=seats)
    rounds = rounds_of_juror(request.user)
    panels = [
        {
            "seat": seat,
            "rubric": rubric_of(seat.contest),
            "rounds": [round for round in rounds if round.contest_id == seat.contest_id],
            "form": ConflictForm(juror=seat),
        }
        for seat in seats
    ]
    return render(request, "frontend/jury_welcome/welcome.html", {"panels": panels})


def _conflicts_page(request: HttpRequest, seat: Juror, form: ConflictForm, status: int = 200) -> HttpResponse:
    context = {"seat": seat, "contest": seat.contest, "form": form}
    return render(request, "frontend/jury_welcome/conflicts.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The juror's declared conflicts in a contest, and the form to declare more."""
    seat = _seat_of(request, slug)
    if request.method == "GET":
        return _conflicts_page(request, seat, ConflictForm(juror=seat))
    form = ConflictForm(request.POST, juror=seat)
    declared = form.declare(actor=request.user)
    if declared is None:
        return _conflicts_page(request, seat, form, status=400)
    messages.success(request, declared.summary())
    return redirect("frontend:jury_conflicts", slug=seat.contest.slug)
