"""The jury panel: a juror's rounds, the entries assigned to them, and the page where they score one.

Every page loads what it shows through the juror's own seat and assignments (``judging.selectors``),
so an entry that is not assigned to them, or a round still being prepared, answers 404 like a missing
one. Scores are written only by ``judging.services``; the page's script autosaves drafts through the
jurors' API and the same form works as a plain post without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from certificates.selectors import juror_letters_of
from config.exceptions import BaigeError
from frontend.context_processors import panels_of
from frontend.http import AuthenticatedHttpRequest
from frontend.jury.forms import ConflictForm, WorklistFilter
from judging.models import Assignment, Criterion, Review, Round
from judging.selectors.panel import entry_for_jury, get_assignment_for_panel, get_round_for_juror, rounds_of_juror
from judging.selectors.reviews import own_review
from judging.selectors.rubric import rubric_criteria
from judging.selectors.worklist import juror_worklist, worklist_place
from judging.serializers import NO_REVIEW
from judging.services.reviews import MAX_TEXT_LENGTH, review_save_draft, review_submit
from media_pipeline.selectors import asset_preview

#: Entries on one page of a juror's list.
ENTRIES_PER_PAGE = 20
#: What the entry page's script tells the next page after it submitted a review.
DONE_MESSAGES = {
    "submitted": gettext_lazy("Your review is submitted."),
    "changed": gettext_lazy("Your changes to the review are submitted."),
}

#: Up to this highest score a criterion is scored with one button per level; wider scales take a number.
MOST_LEVELS_AS_BUTTONS = 10


@dataclass
class CriterionRow:
    """One criterion of the rubric form: its levels with their descriptors, and the score shown as chosen."""

    criterion: Criterion
    value: str
    comment: str = ""

    @property
    def field(self) -> str:
        return f"score-{self.criterion.slug}"

    @property
    def comment_field(self) -> str:
        return f"comment-{self.criterion.slug}"

    @property
    def as_buttons(self) -> bool:
        return self.criterion.max_score <= MOST_LEVELS_AS_BUTTONS

    @property
    def levels(self) -> list[tuple[str, str]]:
        descriptors = {level.score: level.descriptor for level in self.criterion.levels.all()}
        return [(str(score), descriptors.get(score, "")) for score in range(self.criterion.max_score + 1)]


@dataclass
class ReviewTexts:
    """What the juror wrote: comments by criterion short name, feedback for the entrant, the note for the organisers."""

    comments: Mapping[str, str]
    feedback: str
    comment: str


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The juror's rounds; straight to the round when there is only one."""
    if not panels_of(request).jury:
        raise Http404
    rounds = rounds_of_juror(request.user)
    letters = juror_letters_of(request.user)
    # A juror with a letter of thanks stays here to download it.
    if len(rounds) == 1 and not letters:
        return redirect("frontend:jury_round", round_id=rounds[0].pk)
    return render(request, "frontend/jury/home.html", {"rounds": rounds, "letters": letters})


@login_required
def round_page(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """The entries assigned to the juror in a round, with "x of y scored" and filters."""
    round = get_round_for_juror(request.user, round_id=round_id)
    filters = WorklistFilter(request.GET, contest=round.contest)
    worklist = juror_worklist(request.user, round, narrow=filters.narrowing, order=filters.order)
    page = Paginator(worklist.assignments, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    prefetch_related_objects(list(page.object_list), "entry__platforms")
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "round": round,
        "contest": round.contest,
        "assignments": page.object_list,
        "page": page,
        "shown": len(worklist.assignments),
        "filters": filters,
        "scored": worklist.scored,
        "total": worklist.total,
        "query": request.GET.urlencode(),
        "list_query": others.urlencode(),
        "accepts_reviews": round.accepts_reviews(),
    }
    return render(request, "frontend/jury/round.html", context)


def _posted_scores(data: Mapping[str, str], criteria: Sequence[Criterion]) -> tuple[dict[int, int | None], str]:
    """The scores of the posted form by criterion id (a blank one clears it), and the first input error."""
    scores: dict[int, int | None] = {}
    for criterion in criteria:
        raw = (data.get(f"score-{criterion.slug}") or "").strip()
        if not raw:
            scores[criterion.pk] = None
            continue
        try:
            scores[criterion.pk] = int(raw)
        except ValueError:
            # Worded as the judging services word a score outside the scale: it is the same mistake.
            return scores, _("“%(criterion)s” is scored with a whole number from 0 to %(max)d.") % {
                "criterion": criterion,
                "max": criterion.max_score,
            }
    return scores, ""


def _posted_texts(data: Mapping[str, str], criteria: Sequence[Criterion]) -> tuple[dict[str, str], str, str]:
    """The posted comments by criterion short name, the feedback for the entrant and the note for the organisers."""
    comments = {criterion.slug: data.get(f"comment-{criterion.slug}", "") for criterion in criteria}
    return comments, data.get("feedback", ""), data.get("comment", "")


def _save_posted(request: AuthenticatedHttpRequest, assignment: Assignment, criteria: Sequence[Criterion]) -> str:
    """Save the posted draft or submit the review; returns the message to show once it is done."""
    scores, error = _posted_scores(request.POST, criteria)
    if error:
        raise BaigeError(error, code="score_out_of_range")
    comments, feedback, comment = _posted_texts(request.POST, criteria)
    # A blank comment on a criterion left unscored has nowhere to go and nothing to keep.
    criterion_comments = {
        criterion.pk: comments[criterion.slug]
        for criterion in criteria
        if scores.get(criterion.pk) is not None or comments[criterion.slug].strip()
    }
    if request.POST.get("action") == "submit":
        # Unscored criteria are not sent: the service then names each one that is missing.
        given = {criterion_id: value for criterion_id, value in scores.items() if value is not None}
        before = own_review(assignment)
        review_submit(
            actor=request.user,
            round=assignment.round,
            entry=assignment.entry,
            scores=given,
            comment=comment,
            feedback=feedback,
            criterion_comments=criterion_comments,
        )
        if before is not None and before.is_submitted:
            return _("Your changes to the review are submitted.")
        return _("Your review is submitted.")
    review_save_draft(
        actor=request.user,
        round=assignment.round,
        entry=assignment.entry,
        scores=scores,
        comment=comment,
        feedback=feedback,
        criterion_comments=criterion_comments,
    )
    return _("Your draft is saved.")


@login_required
@require_http_methods(["GET", "POST"])
def entry_page(request: AuthenticatedHttpRequest, round_id: int, code: str) -> HttpResponse:
    """An assigned entry beside the rubric form; a plain post saves a draft or submits the review."""
    assignment = get_assignment_for_panel(request.user, round_id=round_id, entry_code=code)
    criteria = rubric_criteria(assignment.round.contest)
    if request.method == "POST":
        try:
            done = _save_posted(request, assignment, criteria)
        except BaigeError as refused:
            # Shown again as typed: nothing the juror wrote is lost to a refusal.
            posted = {
                criterion.slug: (request.POST.get(f"score-{criterion.slug}") or "").strip() for criterion in criteria
            }
            comments, feedback, comment = _posted_texts(request.POST, criteria)
            return _render_entry(
                request,
                assignment,
                criteria,
                own_review(assignment),
                values=posted,
                texts=ReviewTexts(comments=comments, feedback=feedback, comment=comment),
                error=str(refused),
                status=refused.status_code,
            )
        messages.success(request, done)
        if request.POST.get("action") == "submit":
            return _to_next_unscored(request, assignment.round, assignment.entry.code)
        return redirect(request.get_full_path())
    review = own_review(assignment)
    ids = {criterion.pk: criterion.slug for criterion in criteria}
    scores = review.scores.all() if review else []
    values = {ids[score.criterion_id]: str(score.value) for score in scores}
    texts = ReviewTexts(
        comments={ids[score.criterion_id]: score.comment for score in scores},
        feedback=review.feedback if review else "",
        comment=review.comment if review else "",
    )
    return _render_entry(request, assignment, criteria, review, values=values, texts=texts)


def _render_entry(
    request: AuthenticatedHttpRequest,
    assignment: Assignment,
    criteria: Sequence[Criterion],
    review: Review | None,
    *,
    values: Mapping[str, str],
    texts: ReviewTexts,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    round: Round = assignment.round
    show_authors = request.user.has_perm("judging.view_authors", assignment)
    entry = entry_for_jury(assignment, authors=show_authors)
    filters = WorklistFilter(request.GET, contest=round.contest)
    place = worklist_place(request.user, round, code=entry.code, narrow=filters.narrowing, order=filters.order)
    context = {
        "round": round,
        "contest": round.contest,
        "entry": entry,
        "review": review,
        "review_status": review.status if review else NO_REVIEW,
        "rows": [
            CriterionRow(
                criterion=criterion,
                value=values.get(criterion.slug, ""),
                comment=texts.comments.get(criterion.slug, ""),
            )
            for criterion in criteria
        ],
        "comment": texts.comment,
        "feedback": texts.feedback,
        "max_text_length": MAX_TEXT_LENGTH,
        "error": error,
        "accepts_reviews": round.accepts_reviews(),
        "show_authors": show_authors,
        "preview": asset_preview(entry.media),
        "media_url": "frontend:jury_rendition",
        "media_scope": round.pk,
        "next_url": reverse("frontend:jury_next", args=[round.pk, entry.code]),
        "seat": assignment.juror,
        "previous": place.previous,
        "following": place.following,
        "query": request.GET.urlencode(),
        "scored": place.scored,
        "total": place.total,
    }
    return render(request, "frontend/jury/entry.html", context, status=status)


def _to_next_unscored(request: AuthenticatedHttpRequest, round: Round, code: str) -> HttpResponse:
    """On to the next entry of the juror's list whose review is not submitted; the list, all done, when none is."""
    query = request.GET.copy()
    query.pop("done", None)
    filters = WorklistFilter(query, contest=round.contest)
    place = worklist_place(request.user, round, code=code, narrow=filters.narrowing, order=filters.order)
    suffix = f"?{query.urlencode()}" if query else ""
    if place.next_unscored is not None:
        return redirect(reverse("frontend:jury_entry", args=[round.pk, place.next_unscored]) + suffix)
    if place.scored == place.total:
        messages.success(request, _("All done: every entry assigned to you in this round is scored."))
    else:
        messages.info(request, _("Every entry of this list is scored; others are left in your full list."))
    query.pop("page", None)
    return redirect(reverse("frontend:jury_round", args=[round.pk]) + (f"?{query.urlencode()}" if query else ""))


@login_required
@require_http_methods(["GET"])
def next_unscored(request: AuthenticatedHttpRequest, round_id: int, code: str) -> HttpResponse:
    """Where the entry page's script goes once it has submitted a review: the next entry to score.

    It tells only what the juror's own list shows: the code is compared, never looked up.
    """
    round = get_round_for_juror(request.user, round_id=round_id)
    done = DONE_MESSAGES.get(request.GET.get("done", ""))
    if done:
        messages.success(request, done)
    return _to_next_unscored(request, round, code)


@login_required
@require_POST
def entry_conflict(request: AuthenticatedHttpRequest, round_id: int, code: str) -> HttpResponse:
    """The juror declares a conflict of interest with the entry before them, then goes on to the next one to score."""
    assignment = get_assignment_for_panel(request.user, round_id=round_id, entry_code=code)
    form = ConflictForm(
        {"entry_codes": assignment.entry.code, "reason": request.POST.get("reason", "")}, juror=assignment.juror
    )
    declared = form.declare(actor=request.user)
    if declared is None:
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
        page = reverse("frontend:jury_entry", args=[round_id, assignment.entry.code])
        return redirect(page + (f"?{request.GET.urlencode()}" if request.GET else ""))
    messages.success(request, declared.summary())
    return _to_next_unscored(request, assignment.round, assignment.entry.code)
