"""Writes of reviews: a juror's draft (autosave) and submitted reviews, each change kept in the history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, NotAllowed
from contest.models import Entry
from contest.services import Actor, contest_format_time
from judging.enums import ReviewChangeKind, ReviewStatus, RoundStatus
from judging.models import Assignment, Criterion, Review, ReviewChange, Round, Rubric, Score
from judging.rules import round_is_open
from judging.selectors.jury import entrant_condition
from judging.services.rounds import RoundNotOpen

Scores = Mapping[int, int | None]
#: Comments for the entrant by criterion id; an empty one clears it, a criterion left out keeps its comment.
CriterionComments = Mapping[int, str]

#: The longest note, feedback or comment on a criterion, in characters.
MAX_TEXT_LENGTH = 5000


class FeedbackMissing(BaigeError):
    """The round asks for feedback for the entrant, and the review has none, or too little."""

    code = "feedback_required"


def review_texts_check(
    *, comment: str | None = None, feedback: str | None = None, criterion_comments: Mapping[str, str] | None = None
) -> None:
    """Refuse a note, a feedback or a comment on a criterion (named by its name) longer than :data:`MAX_TEXT_LENGTH`."""
    too_long = {"max": MAX_TEXT_LENGTH}
    if comment is not None and len(comment.strip()) > MAX_TEXT_LENGTH:
        raise BaigeError(
            _("The note for the organisers has more than %(max)d characters.") % too_long, code="text_too_long"
        )
    if feedback is not None and len(feedback.strip()) > MAX_TEXT_LENGTH:
        raise BaigeError(
            _("The feedback for the entrant has more than %(max)d characters.") % too_long, code="text_too_long"
        )
    for name, text in (criterion_comments or {}).items():
        if len(text.strip()) > MAX_TEXT_LENGTH:
            raise BaigeError(
                _("The comment on “%(criterion)s” has more than %(max)d characters.") % {**too_long, "criterion": name},
                code="text_too_long",
            )


def review_feedback_check(*, round: Round, feedback: str) -> None:
    """Refuse to submit, saying what is asked, when the round requires feedback and ``feedback`` falls short."""
    if not round.feedback_required:
        return
    written = len(feedback.strip())
    shortest = max(1, round.feedback_min_length)
    if written == 0:
        raise FeedbackMissing(
            _("This round asks for feedback for the entrant: write it before submitting the review.")
            if shortest == 1
            else _(
                "This round asks for feedback for the entrant of at least %(min)d characters: "
                "write it before submitting the review."
            )
            % {"min": shortest}
        )
    if written < shortest:
        raise FeedbackMissing(
            _(
                "The feedback for the entrant is too short: this round asks for at least %(min)d characters, "
                "it has %(count)d."
            )
            % {"min": shortest, "count": written}
        )


def _ensure_accepts_reviews(round: Round, now: datetime) -> None:
    """Refuse, saying why, unless the round takes reviews at ``now`` (``round_is_open``)."""
    if round_is_open(None, round, now=now):
        return
    if round.status == RoundStatus.CLOSED:
        raise RoundNotOpen(_("Round “%(round)s” is closed: its reviews can no longer change.") % {"round": round})
    if round.status == RoundStatus.DRAFT or (round.opens_at is not None and now < round.opens_at):
        # Only a time still to come: a round being prepared opens when the organisers open it.
        when = (
            _(" It opens on %(date)s.") % {"date": contest_format_time(round.contest, round.opens_at)}
            if round.opens_at is not None and now < round.opens_at
            else ""
        )
        raise RoundNotOpen(_("Round “%(round)s” is not open yet.") % {"round": round} + when)
    if round.closes_at is not None and now >= round.closes_at:
        raise RoundNotOpen(
            _("Round “%(round)s” closed on %(date)s: its reviews can no longer change.")
            % {"round": round, "date": contest_format_time(round.contest, round.closes_at)}
        )


def _round_share_locked(round: Round) -> Round:
    """The round, read under a lock that closing it waits for, but that other jurors' reviews share.

    Reviews of one round are written side by side; closing the round (``FOR UPDATE``) waits for those
    in progress and then keeps new ones out, so no review changes once the round is closed.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Round._meta.db_table)
        locked = list(Round.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [round.pk]))  # noqa: S608
        if locked:
            return locked[0]
    return Round.objects.select_for_update().get(pk=round.pk)


def _own_entry(user_id: int) -> Q:
    """On assignments: whether the person wrote or co-wrote the assignment's entry."""
    return entrant_condition(user_id, entry_id="entry_id", author_id="entry__author_id")


def _review_locked(actor: Actor, round: Round, entry: Entry, now: datetime) -> Review:
    """The actor's review of the entry (created empty if new) with its scores, the round share-locked."""
    if not actor.is_authenticated:
        raise NotAllowed(_("Log in to review entries."))
    round = _round_share_locked(round)
    assignment = (
        Assignment.objects.filter(round=round, juror__user=actor, entry=entry)
        .select_related("juror")
        # Nobody judges their own entry, whatever assignment exists: read in the same query.
        .annotate(own_entry=ExpressionWrapper(_own_entry(actor.pk), output_field=BooleanField()))
        .first()
    )
    if assignment is None:
        raise NotAllowed(_("This entry is not assigned to you in this round."), code="not_assigned")
    juror = assignment.juror
    if assignment.own_entry:
        raise NotAllowed(_("You cannot review an entry you wrote or co-wrote."), code="own_entry")
    _ensure_accepts_reviews(round, now)
    # ``of=("self",)``: only the review row; the default ordering would join (and lock) the round, entry and juror.
    reviews = (
        Review.objects.select_for_update(of=("self",))
        .filter(round=round, juror=juror, entry=entry)
        .order_by()
        .prefetch_related("scores")
    )
    review = reviews.first()
    if review is None:
        try:
            with transaction.atomic():
                review = Review.objects.create(round=round, juror=juror, entry=entry)
        except IntegrityError:
            # The same juror saved from another tab a moment ago.
            review = reviews.first()
        assert review is not None
    review.round = round
    review.juror = juror
    review.entry = entry
    return review


def _rubric_criteria(contest_id: int) -> list[Criterion]:
    return list(
        Criterion.objects.filter(rubric__contest_id=contest_id).select_related("rubric").order_by("order", "id")
    )


def _freeze_rubric(criteria: Sequence[Criterion], now: datetime) -> None:
    """Freeze the rubric at its first score; a no-op (and no lock) once it is frozen."""
    if criteria and criteria[0].rubric.frozen_at is None:
        # Waits for an organiser editing the rubric; the criteria are read again after it.
        Rubric.objects.filter(pk=criteria[0].rubric_id, frozen_at__isnull=True).update(frozen_at=now)


def _snapshot(review: Review) -> dict[str, Any]:
    """The review as the history keeps it: scores and comments on criteria by criterion id, note and feedback."""
    scores = sorted(review.scores.all(), key=lambda score: score.criterion_id)
    return {
        "scores": {str(score.criterion_id): score.value for score in scores},
        "comments": {str(score.criterion_id): score.comment for score in scores if score.comment},
        "comment": review.comment,
        "feedback": review.feedback,
    }


def _apply_scores(
    review: Review, scores: Scores, now: datetime, comments: CriterionComments | None = None
) -> list[Criterion]:
    """Check every score against its criterion's scale, then write them and their comments (freezing the rubric).

    A comment lives with its criterion's score: one given for a criterion left unscored is refused.

    Returns the rubric's criteria in order; the review's ``scores`` are left as they now are.
    """
    contest_id = review.round.contest_id
    criteria = _rubric_criteria(contest_id)
    if any(value is not None for value in scores.values()) and criteria and criteria[0].rubric.frozen_at is None:
        _freeze_rubric(criteria, now)
        criteria = _rubric_criteria(contest_id)
    by_id = {criterion.pk: criterion for criterion in criteria}
    comments = {criterion_id: text.strip() for criterion_id, text in (comments or {}).items()}
    if any(criterion_id not in by_id for criterion_id in (*scores, *comments)):
        raise BaigeError(_("This criterion is not part of the contest's rubric."))
    review_texts_check(criterion_comments={str(by_id[key]): text for key, text in comments.items()})
    for criterion_id, value in scores.items():
        criterion = by_id[criterion_id]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            raise BaigeError(
                _("“%(criterion)s” is scored with a whole number from 0 to %(max)d.")
                % {"criterion": criterion, "max": criterion.max_score},
                code="score_out_of_range",
            )
    existing = {score.criterion_id: score for score in review.scores.all()}
    changed: dict[int, Score] = {}
    created: list[Score] = []
    removed: list[int] = []
    for criterion_id, value in scores.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                removed.append(existing.pop(criterion_id).pk)
        elif score is None:
            existing[criterion_id] = Score(
                review=review, criterion_id=criterion_id, value=value, max_score=by_id[criterion_id].max_score
            )
            created.append(existing[criterion_id])
        elif score.value != value:
            score.value = value
            changed[criterion_id] = score
    for criterion_id, text in comments.items():
        score = existing.get(criterion_id)
        if score is None:
            if text:
                raise BaigeError(
                    _("Score “%(criterion)s” to keep your comment on it.") % {"criterion": by_id[criterion_id]},
                    code="comment_without_score",
                )
            continue
        if score.comment != text:
            score.comment = text
            if score.pk is not None:
                changed[criterion_id] = score
    if removed:
        Score.objects.filter(pk__in=removed).delete()
    if created:
        Score.objects.bulk_create(created)
    if changed:
        Score.objects.bulk_update(list(changed.values()), ["value", "comment"])
    # The review's scores as they now stand, with their criteria, for whoever reads them next.
    for score in existing.values():
        score.criterion = by_id[score.criterion_id]
    ordered = sorted(existing.values(), key=lambda score: (score.criterion.order, score.criterion_id))
    review._prefetched_objects_cache = {"scores": ordered}  # type: ignore[attr-defined]
    return criteria


def _current_scores(review: Review) -> dict[int, int]:
    return {score.criterion_id: score.value for score in review.scores.all()}


@transaction.atomic
def review_save_draft(
    *,
    actor: Actor,
    round: Round,
    entry: Entry,
    scores: Scores,
    comment: str | None = None,
    feedback: str | None = None,
    criterion_comments: CriterionComments | None = None,
    now: datetime | None = None,
) -> Review:
    """Save a juror's unfinished review of an assigned entry while the round is open (autosave).

    A text left as ``None`` keeps its value. A draft is never refused for missing feedback: only submitting is.
    """
    now = now or timezone.now()
    review_texts_check(comment=comment, feedback=feedback)
    review = _review_locked(actor, round, entry, now)
    if review.is_submitted:
        raise BaigeError(
            _("This review is already submitted: submit your changes to it instead."), code="review_submitted"
        )
    _apply_scores(review, scores, now, criterion_comments)
    fields = ["updated_at"]
    if comment is not None:
        review.comment = comment.strip()
        fields.append("comment")
    if feedback is not None:
        review.feedback = feedback.strip()
        fields.append("feedback")
    review.save(update_fields=fields)
    return review


@transaction.atomic
def review_submit(
    *,
    actor: Actor,
    round: Round,
    entry: Entry,
    scores: Scores | None = None,
    comment: str | None = None,
    feedback: str | None = None,
    criterion_comments: CriterionComments | None = None,
    now: datetime | None = None,
) -> Review:
    """Submit a review (every criterion scored), or a change to a submitted one; each is kept in the history.

    A round with ``feedback_required`` refuses a review without feedback for the entrant of its shortest length;
    a refused submission changes nothing.
    """
    now = now or timezone.now()
    review_texts_check(comment=comment, feedback=feedback)
    review = _review_locked(actor, round, entry, now)
    before = _snapshot(review) if review.is_submitted else None
    criteria = _apply_scores(review, scores or {}, now, criterion_comments)
    if comment is not None:
        review.comment = comment.strip()
    if feedback is not None:
        review.feedback = feedback.strip()
    if not criteria:
        raise BaigeError(_("The rubric has no criteria yet."))
    scored = _current_scores(review)
    missing = [str(criterion) for criterion in criteria if criterion.pk not in scored]
    if missing:
        raise BaigeError(
            _("Score every criterion before submitting; missing: %(criteria)s") % {"criteria": ", ".join(missing)},
            code="review_incomplete",
        )
    review_feedback_check(round=review.round, feedback=review.feedback)
    after = _snapshot(review)
    if before == after:
        return review
    kind = ReviewChangeKind.REVISED if review.is_submitted else ReviewChangeKind.SUBMITTED
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = review.submitted_at or now
    review.save(update_fields=["status", "submitted_at", "comment", "feedback", "updated_at"])
    ReviewChange.objects.create(review=review, kind=kind, changed_by_id=actor.pk, changed_at=now, old=before, new=after)
    return review
