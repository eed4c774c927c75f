"""The organiser's results of a round: every ranking side by side, the jury's agreement, finalising, awards.

One loader refuses anyone who may not manage the contest's judging (404 for a round the contest does
not have); every change goes through one service of :mod:`judging.services.results`, whose refusals are shown
on the page as they are. The page reads the same few queries whatever the size of the round: the
ranking, the agreement and the histogram each read the round's scores once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exceptions import BaigeError
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.results import (
    AwardAddForm,
    AwardChangeForm,
    FinaliseForm,
    RankingForm,
    SpecialAwardFormSet,
)
from judging.agreement import round_agreement
from judging.enums import ParticipantView, RankingMethod, RoundStatus, TieBreaker
from judging.models import Award, Round
from judging.ranking import METHODS, RankingRow, RoundRanking, round_ranking
from judging.selectors.results import (
    BIN_WIDTH,
    AwardWithoutFile,
    NominationHistogram,
    awards_without_ready_file,
    get_award_for_organiser,
    results_of_round,
    round_histograms,
    round_results,
)
from judging.selectors.rounds import entries_without_round, get_round_for_organiser
from judging.services.publication import award_in_nomination
from judging.services.results import (
    AWARDED_PLACES,
    award_add,
    award_change,
    results_finalise,
    round_ranking_configure,
)

# The histogram's geometry, in SVG units: ten bars over 0–100, the count above each, the bins below.
CHART_WIDTH = 440
CHART_HEIGHT = 150
PLOT_TOP = 16
PLOT_HEIGHT = 104
BAR_STEP = 42
BAR_WIDTH = 36
PLOT_LEFT = 10


@dataclass(frozen=True)
class _Figure:
    """One method's figure of an entry and its rank by that method."""

    method: str
    value: float | None
    rank: int | None


@dataclass(frozen=True)
class _Row:
    """An entry's line of the table: every method side by side and how its rank moves once normalised."""

    ranking: RankingRow
    figures: list[_Figure]
    decided_by: str | None
    #: Places gained (> 0) or lost (< 0) from the rank by the raw mean to the rank by the normalised value.
    move: int | None

    @property
    def move_size(self) -> int:
        return abs(self.move or 0)


def _rows(ranking: RoundRanking) -> list[tuple[Any, list[_Row]]]:
    labels = dict(TieBreaker.choices)
    groups = []
    for group in ranking.nominations:
        rows = []
        for row in group.rows:
            raw, normalised = row.ranks.get(RankingMethod.MEAN), row.ranks.get(RankingMethod.NORMALISED)
            rows.append(
                _Row(
                    ranking=row,
                    figures=[_Figure(method, row.value(method), row.ranks.get(method)) for method in METHODS],
                    decided_by=str(labels[row.separated_by]) if row.separated_by else None,
                    move=raw - normalised if raw is not None and normalised is not None else None,
                )
            )
        groups.append((group.nomination, rows))
    return groups


@dataclass(frozen=True)
class _Bar:
    low: int
    high: int
    count: int
    x: int
    y: float
    height: float
    #: The middle of the bar, for its count.
    middle_x: float
    #: The bar's left edge with half the gap: where its lower bound is written on the axis.
    edge_x: float
    count_y: float


def _bars(histogram: NominationHistogram) -> list[_Bar]:
    tallest = max(histogram.tallest, 1)
    bars = []
    for index, item in enumerate(histogram.bins):
        height = round(PLOT_HEIGHT * item.count / tallest, 1)
        x = PLOT_LEFT + index * BAR_STEP
        y = round(PLOT_TOP + PLOT_HEIGHT - height, 1)
        bars.append(
            _Bar(
                low=item.low,
                high=item.high,
                count=item.count,
                x=x,
                y=y,
                height=height,
                middle_x=x + BAR_WIDTH / 2,
                edge_x=x - (BAR_STEP - BAR_WIDTH) / 2,
                count_y=y - 4,
            )
        )
    return bars


def _files_not_ready(round: Round, ranking: RoundRanking, special_forms: Any) -> list[tuple[str, AwardWithoutFile]]:
    """The awards finalising would give to entries without a ready file, the special awards typed so far included,
    each with its name ("1st place · Design")."""
    special: dict[str, str] = {}
    if special_forms is not None and special_forms.is_bound and special_forms.is_valid():
        language = translation.get_language() or "en"
        for award in special_forms.special_awards():
            names = award.names()
            special[award.entry_code] = names.get(language) or next((name for name in names.values() if name), "")
    found = awards_without_ready_file(round, ranking, places=AWARDED_PLACES, special=special)
    return [(award_in_nomination(item.place, item.nomination, item.name), item) for item in found]


def _page(
    request: HttpRequest,
    round: Round,
    *,
    status: int = 200,
    ranking_form: RankingForm | None = None,
    special_forms: Any = None,
    finalise_form: FinaliseForm | None = None,
    refusal: str | None = None,
    changed: AwardChangeForm | None = None,
    add_form: AwardAddForm | None = None,
) -> HttpResponse:
    results = round_results(round)
    ranking = round_ranking(round)
    agreement = round_agreement(round)
    histograms = round_histograms(round, ranking)
    awards: list[Award] = list(results.awards.all()) if results is not None else []
    change_forms = [
        changed if changed is not None and changed.award.pk == award.pk else AwardChangeForm(award=award, round=round)
        for award in awards
    ]
    context = {
        "contest": round.contest,
        "section": "rounds",
        "round": round,
        "closed": round.status == RoundStatus.CLOSED,
        "results": results,
        "awards": list(zip(awards, change_forms, strict=True)),
        "ranking": ranking,
        "ranking_hash": ranking.content_hash(),
        "methods": [(method, RankingMethod(method).label) for method in METHODS],
        "method_label": RankingMethod(ranking.method).label,
        "tie_breaker_labels": [TieBreaker(name).label for name in ranking.tie_breakers],
        "groups": _rows(ranking),
        "agreement": agreement,
        "histograms": [(histogram, _bars(histogram)) for histogram in histograms],
        "chart": {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "bar_width": BAR_WIDTH,
            "axis_y": PLOT_TOP + PLOT_HEIGHT,
            "label_y": PLOT_TOP + PLOT_HEIGHT + 14,
            "axis_end": PLOT_LEFT + (100 // BIN_WIDTH) * BAR_STEP - (BAR_STEP - BAR_WIDTH) / 2,
        },
        "ranking_form": ranking_form or RankingForm(round=round),
        "special_forms": special_forms or SpecialAwardFormSet(round=round, prefix="special"),
        "finalise_form": finalise_form or FinaliseForm(initial={"share": round.participant_view}),
        "participant_view": ParticipantView(results.participant_view).label if results is not None else "",
        "refusal": refusal,
        "add_form": add_form or AwardAddForm(round=round),
        "unjudged": entries_without_round(round.contest),
        "files_not_ready": (
            _files_not_ready(round, ranking, special_forms)
            if results is None and round.status == RoundStatus.CLOSED
            else []
        ),
    }
    return render(request, "frontend/organiser/results/results.html", context, status=status)


def _back(round: Round) -> HttpResponse:
    return redirect("frontend:organiser_results", slug=round.contest.slug, number=round.number)


@login_required
@require_GET
def results(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """The round's ranking by every method, the jury's agreement, the scores' spread; then its final awards."""
    return _page(request, get_round_for_organiser(request.user, contest_slug=slug, number=number))


@login_required
@require_POST
def results_ranking(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Choose the round's ranking method and tie-breakers, until the results are final."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    form = RankingForm(request.POST, round=round)
    if not form.is_valid():
        return _page(request, round, status=400, ranking_form=form)
    try:
        round_ranking_configure(
            actor=request.user,
            round=round,
            method=form.cleaned_data["method"],
            tie_breakers=form.cleaned_data["tie_breakers"],
        )
    except BaigeError as refused:
        # Shown above the page: once the results are final the form is no longer there.
        return _page(request, round, status=refused.status_code, ranking_form=form, refusal=str(refused))
    messages.success(request, _("The ranking of round “%(round)s” is saved.") % {"round": round})
    return _back(round)


@login_required
@require_POST
def results_finalise_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Fix the round's places and special awards for good."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    specials = SpecialAwardFormSet(request.POST, round=round, prefix="special")
    confirm = FinaliseForm(request.POST)
    if not (specials.is_valid() and confirm.is_valid()):
        return _page(request, round, status=400, special_forms=specials, finalise_form=confirm)
    try:
        results_finalise(
            actor=request.user,
            round=round,
            special_awards=specials.special_awards(),
            confirm_unjudged=request.POST.get("confirm_unjudged") == "1",
            participant_view=confirm.cleaned_data["share"] or None,
        )
    except BaigeError as refused:
        return _page(
            request,
            round,
            status=refused.status_code,
            special_forms=specials,
            finalise_form=confirm,
            refusal=str(refused),
        )
    messages.success(request, _("The results of round “%(round)s” are final.") % {"round": round})
    return _back(round)


@login_required
@require_POST
def results_award_change(request: AuthenticatedHttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    """Give a finalised award to another entry, place or name, with the reason."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    award = get_award_for_organiser(round, pk)
    form = AwardChangeForm(request.POST, award=award, round=round)
    if not form.is_valid():
        return _page(request, round, status=400, changed=form)
    try:
        award_change(actor=request.user, award=award, **form.service_fields())
    except BaigeError as refused:
        form.add_error(None, str(refused))
        return _page(request, round, status=refused.status_code, changed=form)
    messages.success(request, _("The award is changed; the change is kept in its history."))
    return _back(round)


@login_required
@require_POST
def results_award_add(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Add a special award to the round's final results, with the reason."""
    round = get_round_for_organiser(request.user, contest_slug=slug, number=number)
    results = results_of_round(round)
    form = AwardAddForm(request.POST, round=round)
    if results is None:
        messages.error(request, _("Finalise the results before adding awards to them."))
        return _back(round)
    if not form.is_valid():
        return _page(request, round, status=400, add_form=form)
    special = form.special_award()
    assert special is not None
    try:
        award_add(actor=request.user, results=results, special=special, reason=form.cleaned_data["reason"])
    except BaigeError as refused:
        form.add_error(None, str(refused))
        return _page(request, round, status=refused.status_code, add_form=form)
    messages.success(request, _("The special award is added; the addition is kept in its history."))
    return _back(round)
