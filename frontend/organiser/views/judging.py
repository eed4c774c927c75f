"""The organiser's judging pages: the rubric, the rounds, shortlists, and the assignment of jurors.

Every page loads the contest (and round) through one loader that refuses anyone who may not manage
its judging; every change goes through one service of :mod:`judging.services`, whose refusals are
shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest, Entry
from contest.selectors import get_contest_for_organiser
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.judging import (
    AssignmentAddForm,
    AssignmentRemoveForm,
    AssignmentRunForm,
    CriterionForm,
    RoundForm,
    ShortlistChoiceForm,
    ShortlistTopForm,
)
from frontend.organiser.item_pages import ItemPages
from judging.assignment import Infeasible, assignment_run
from judging.coverage import UnjudgedEntries
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Criterion, Juror, Round, Rubric
from judging.selectors.jury import jurors_of_contest
from judging.selectors.rounds import (
    entries_of_round,
    entries_without_round,
    get_round_for_organiser,
    round_assignment_pairs,
    round_entries_short,
    round_loads,
    rounds_of,
)
from judging.selectors.rubric import (
    get_criterion_for_organiser,
    get_criterion_with_levels_for_organiser,
    rubric_of,
    rubric_without_criteria,
)
from judging.services.assignments import assignment_add, assignment_change, assignment_preview, assignment_remove
from judging.services.rounds import round_close, round_configure, round_create, round_open, round_shortlist
from judging.services.rubric import rubric_criterion_delete, rubric_criterion_save, rubric_ensure_editable
from judging.services.schedule import schedule_problem_text
from judging.shortlist import round_standings, shortlist_top


def _frozen_message(rubric: Rubric | None) -> str | None:
    """Why the rubric cannot change any more, or ``None`` while it can."""
    if rubric is None:
        return None
    try:
        rubric_ensure_editable(rubric)
    except BaigeError as frozen:
        return str(frozen)
    return None


# --- Rubric ----------------------------------------------------------------------------------


def _describe_new_levels(
    request: HttpRequest, contest: Contest, saved: Criterion, form: CriterionForm
) -> HttpResponse | None:
    """After a save that widened the scale, back to the form: it has fields for the new levels now."""
    if saved.max_score <= form.scale_before:
        return None
    messages.info(request, _("Describe the new levels of the scale."))
    return redirect("frontend:organiser_criterion_edit", slug=contest.slug, pk=saved.pk)


CRITERIA: ItemPages[Criterion, CriterionForm] = ItemPages(
    section="rubric",
    list_name="criteria",
    item_name="criterion",
    list_template="frontend/organiser/judging/rubric.html",
    form_template="frontend/organiser/judging/criterion_form.html",
    list_url_name="frontend:organiser_rubric",
    added=gettext_lazy("The criterion “%(name)s” is added."),
    saved=gettext_lazy("The criterion “%(name)s” is saved."),
    deleted=gettext_lazy("The criterion “%(name)s” is deleted."),
    save=lambda actor, contest, criterion, form: rubric_criterion_save(
        actor=actor, contest=contest, criterion=criterion, **form.service_fields()
    ),
    delete=lambda actor, criterion: rubric_criterion_delete(actor=actor, criterion=criterion),
    after_save=_describe_new_levels,
)


@login_required
def rubric(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The rubric's criteria with their descriptors; read-only once jurors have scored with it."""
    contest = get_contest_for_organiser(request.user, slug=slug, permission="judging.manage_judging")
    found = rubric_of(contest)
    if found is not None:
        found.contest = contest
    criteria = list(found.criteria.all()) if found is not None else []
    return CRITERIA.list_page(request, contest, criteria, frozen=_frozen_message(found))


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a criterion (without ``pk``) or change one, while the rubric is not frozen."""
    contest = get_contest_for_organiser(request.user, slug=slug, permission="judging.manage_judging")
    criterion: Criterion | None = None
    if pk is not None:
        criterion = get_criterion_with_levels_for_organiser(contest, pk)
    current = rubric_without_criteria(contest)
    if current is not None:
        current.contest = contest
    frozen = _frozen_message(current)
    if frozen is not None:
        messages.error(request, frozen)
        return CRITERIA.back(contest)
    if request.method == "GET":
        form = CriterionForm(criterion=criterion)
    else:
        form = CriterionForm(request.POST, criterion=criterion)
    return CRITERIA.edit(request, request.user, contest, criterion, form)


@login_required
@require_POST
def criterion_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a criterion while the rubric is not frozen."""
    contest = get_contest_for_organiser(request.user, slug=slug, permission="judging.manage_judging")
    criterion = get_criterion_for_organiser(contest, pk)
    criterion.rubric.contest = contest
    return CRITERIA.remove(request, request.user, contest, criterion)


# --- Rounds ----------------------------------------------------------------------------------


@login_required
def round_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's rounds with their state, size and way of judging."""
    contest = get_contest_for_organiser(request.user, slug=slug, permission="judging.manage_judging")
    rounds = list(rounds_of(contest).select_related("source_round"))
    for round in rounds:
        round.schedule_problem_text = schedule_problem_text(round)  # type: ignore[attr-defined]
    context = {
        "contest": contest,
        "section": "rounds",
        "rounds": rounds,
        "now": timezone.now(),
    }
    return render(request, "frontend/organiser/judging/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: AuthenticatedHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    """Add the next round (without ``number``) or change a round's settings and jurors."""
    round: Round | None = None
    if number is not None:
        round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
        contest = round.contest
    else:
        contest = get_contest_for_organiser(request.user, slug=slug, permission="judging.manage_judging")
    jury = jurors_of_contest(contest)
    form = RoundForm(request.POST or None, contest=contest, round=round, jury=jury)
    if request.method == "GET":
        return _round_page(request, contest, round, form)
    if form.is_valid():
        try:
            if round is None:
                saved = round_create(
                    actor=request.user,
                    contest=contest,
                    source_round=form.source_round(),
                    jurors=list(form.cleaned_data["jurors"]),
                    **form.settings_fields(),
                )
            else:
                saved = round_configure(
                    actor=request.user, round=round, jurors=list(form.cleaned_data["jurors"]), **form.settings_fields()
                )
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            done = _("Round “%(round)s” is saved.") if round else _("Round “%(round)s” is added.")
            messages.success(request, done % {"round": saved})
            return redirect("frontend:organiser_rounds", slug=contest.slug)
    return _round_page(request, contest, round, form, status=400)


def _round_page(
    request: HttpRequest, contest: Contest, round: Round | None, form: RoundForm, status: int = 200
) -> HttpResponse:
    context = {
        "contest": contest,
        "section": "rounds",
        "round": round,
        "form": form,
        "schedule_problem": schedule_problem_text(round) if round is not None else "",
    }
    return render(request, "frontend/organiser/judging/round_form.html", context, status=status)


def _round_status_change(request: AuthenticatedHttpRequest, slug: str, number: int, *, opening: bool) -> HttpResponse:
    """Ask to confirm opening or closing a round (GET), then do it (POST)."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    context = {"contest": round.contest, "section": "rounds", "round": round, "opening": opening}
    if request.method == "GET":
        context["unjudged"] = [] if opening else entries_without_round(round.contest)
        return render(request, "frontend/organiser/judging/round_confirm.html", context)
    try:
        if opening:
            round_open(actor=request.user, round=round)
        else:
            round_close(actor=request.user, round=round, confirm_unjudged=request.POST.get("confirm_unjudged") == "1")
    except UnjudgedEntries as unjudged:
        # The list in front of the organiser again, to confirm (it may have changed since the page was shown).
        context["unjudged"] = unjudged.entries
        return render(request, "frontend/organiser/judging/round_confirm.html", context, status=unjudged.status_code)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        done = _("Round “%(round)s” is open.") if opening else _("Round “%(round)s” is closed.")
        messages.success(request, done % {"round": round})
        short = round_entries_short(round) if opening else []
        if short:
            messages.warning(
                request,
                ngettext(
                    "%(count)d entry has fewer jurors than it needs: see the round's progress.",
                    "%(count)d entries have fewer jurors than they need: see the round's progress.",
                    len(short),
                )
                % {"count": len(short)},
            )
    return redirect("frontend:organiser_rounds", slug=round.contest.slug)


@login_required
@require_http_methods(["GET", "POST"])
def round_open_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    return _round_status_change(request, slug, number, opening=True)


@login_required
@require_http_methods(["GET", "POST"])
def round_close_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    return _round_status_change(request, slug, number, opening=False)


@login_required
@require_http_methods(["GET", "POST"])
def round_shortlist_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """The entries of each nomination by the round's ranking; shortlist the top ones of each, or tick them by hand."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    standings = round_standings(round)
    top_form = ShortlistTopForm()
    status = 200
    if request.method == "POST":
        chosen: list[Entry] | None = None
        if request.POST.get("action") == "top":
            top_form = ShortlistTopForm(request.POST)
            if top_form.is_valid():
                chosen = shortlist_top(standings, per_nomination=top_form.cleaned_data["per_nomination"])
        else:
            choice = ShortlistChoiceForm(request.POST, round=round)
            if choice.is_valid():
                chosen = list(choice.cleaned_data["entries"])
            else:
                messages.error(request, _("Only entries of this round can be shortlisted from it."))
        status = 400
        if chosen is not None:
            try:
                round_shortlist(actor=request.user, round=round, entries=chosen)
            except BaigeError as refused:
                messages.error(request, str(refused))
                status = 409
            else:
                messages.success(request, _("The shortlist of round “%(round)s” is saved.") % {"round": round})
                return redirect("frontend:organiser_round_shortlist", slug=round.contest.slug, number=round.number)
    context = {
        "contest": round.contest,
        "section": "rounds",
        "round": round,
        "standings": standings,
        "top_form": top_form,
        "closed": round.status == RoundStatus.CLOSED,
    }
    return render(request, "frontend/organiser/judging/shortlist.html", context, status=status)


# --- Assignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryJurors:
    """An entry of the round with its jurors (and which of them were assigned by hand)."""

    entry: Entry
    jurors: list[Juror]
    manual: frozenset[int] = frozenset()


def _entry_jurors(
    round: Round, pairs: Iterable[tuple[int, int]], jurors: Iterable[Juror], manual: Iterable[tuple[int, int]] = ()
) -> list[EntryJurors]:
    """Every entry of the round, by code, with its jurors from ``pairs`` of (entry id, juror id)."""
    by_id = {juror.pk: juror for juror in jurors}
    given: dict[int, list[Juror]] = {}
    for entry_id, juror_id in pairs:
        # Only the round's own jurors are listed: a row changed in the admin must not break the page.
        if juror_id in by_id:
            given.setdefault(entry_id, []).append(by_id[juror_id])
    by_hand: dict[int, set[int]] = {}
    for entry_id, juror_id in manual:
        by_hand.setdefault(entry_id, set()).add(juror_id)
    entries = entries_of_round(round)
    return [
        EntryJurors(entry=entry, jurors=given.get(entry.pk, []), manual=frozenset(by_hand.get(entry.pk, ())))
        for entry in entries
    ]


def _load_span(loads: list[tuple[Juror, int]]) -> tuple[int, int] | None:
    values = [load for _juror, load in loads]
    return (min(values), max(values)) if values else None


def _assign_page(
    request: HttpRequest, round: Round, form: AssignmentRunForm, status: int = 200, **extra: Any
) -> HttpResponse:
    loads = round_loads(round)
    pairs = round_assignment_pairs(round)
    context = {
        "contest": round.contest,
        "section": "rounds",
        "round": round,
        "form": form,
        "add_form": extra.pop("add_form", None) or AssignmentAddForm(round=round),
        "loads": loads,
        "span": _load_span(loads),
        "assigned": len(pairs),
        "current": _entry_jurors(
            round,
            ((entry_id, juror_id) for entry_id, juror_id, _origin in pairs),
            (juror for juror, _load in loads),
            manual=((e, j) for e, j, origin in pairs if origin == AssignmentOrigin.MANUAL),
        ),
        "closed": round.status == RoundStatus.CLOSED,
        "removable": round.status != RoundStatus.CLOSED,
        **extra,
    }
    return render(request, "frontend/organiser/judging/assign.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_assign(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Preview the automatic assignment (nothing saved), then save it with the same reviews per entry and seed."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    if request.method == "GET":
        return _assign_page(request, round, AssignmentRunForm(round=round))
    form = AssignmentRunForm(request.POST, round=round)
    if not form.is_valid():
        return _assign_page(request, round, form, status=400)
    k, seed = form.cleaned_data["k"], form.cleaned_data["seed"]
    try:
        if request.POST.get("action") == "save":
            # Re-saving in an open round takes assignments away from jurors who may be scoring: ask first.
            if round.status == RoundStatus.OPEN and request.POST.get("confirm") != "1":
                change = assignment_change(actor=request.user, round=round, k=k, seed=seed)
                if change.removed:
                    context = {"contest": round.contest, "section": "rounds", "round": round, "change": change}
                    context |= {"k": k, "seed": seed}
                    return render(request, "frontend/organiser/judging/assign_confirm.html", context)
            run = assignment_run(actor=request.user, round=round, k=k, seed=seed)
            messages.success(
                request,
                _("Assigned: %(created)d new assignments, %(kept)d kept, %(dropped)d automatic ones replaced.")
                % {"created": run.created, "kept": run.kept, "dropped": run.dropped},
            )
            return redirect("frontend:organiser_round_assign", slug=round.contest.slug, number=round.number)
        preview = assignment_preview(actor=request.user, round=round, k=k, seed=seed)
    except Infeasible as refused:
        heading, *problems = str(refused).splitlines()
        return _assign_page(
            request, round, form, status=409, infeasible=heading, problems=[line.strip() for line in problems]
        )
    except BaigeError as refused:
        form.add_error(None, str(refused))
        return _assign_page(request, round, form, status=400)
    return _assign_page(
        request,
        round,
        form,
        preview=preview,
        preview_span=_load_span(preview.run.loads),
        preview_entries=_entry_jurors(round, preview.pairs, (juror for juror, _load in preview.run.loads)),
    )


@login_required
@require_POST
def assignment_add_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Assign a juror to an entry by hand."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    form = AssignmentAddForm(request.POST, round=round)
    if not form.is_valid():
        return _assign_page(request, round, AssignmentRunForm(round=round), status=400, add_form=form)
    juror, entry = form.cleaned_data["juror"], form.cleaned_data["code"]
    try:
        assignment_add(actor=request.user, round=round, juror=juror, entry=entry)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(juror)s is assigned to entry %(code)s.") % {"juror": juror, "code": entry.code})
    return redirect("frontend:organiser_round_assign", slug=round.contest.slug, number=round.number)


@login_required
@require_POST
def assignment_remove_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Take an entry away from a juror by hand."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    form = AssignmentRemoveForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("This juror or entry is not part of the round."))
    else:
        juror, entry = form.cleaned_data["juror"], form.cleaned_data["entry"]
        try:
            assignment_remove(actor=request.user, round=round, juror=juror, entry=entry)
        except BaigeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("%(juror)s is no longer assigned to entry %(code)s.") % {"juror": juror, "code": entry.code}
            )
    return redirect("frontend:organiser_round_assign", slug=round.contest.slug, number=round.number)
