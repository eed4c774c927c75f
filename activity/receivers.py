"""The log of reviews: a juror's submissions and revisions with the scores before and after; set-asides only.

A draft is the juror's own until it is submitted, and saved at every keystroke: auditlog, which reads
the row before each save, would log each one. So reviews are not registered with auditlog: each
submission or revision (a :class:`~judging.models.ReviewChange`, made once per submit) is logged here
as a change of the review (its status, each criterion's score by the criterion's id, the comment and
feedback), and so is a review an organiser sets aside.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from activity.models import ActivityEntry
from judging.enums import ReviewChangeKind, ReviewStatus
from judging.models import Review, ReviewChange

#: How the changes name a criterion's score and its comment, by the criterion's id (the page shows its name).
SCORE_PREFIX = "score:"
COMMENT_PREFIX = "criterion-comment:"


def _log_set_aside(
    sender: Any, instance: Review, created: bool, update_fields: Any = None, raw: bool = False, **kwargs: Any
) -> None:
    """A submitted review set aside (only submitted ones can be), with why; no read of the row before."""
    if raw or created or instance.status != ReviewStatus.SET_ASIDE or "set_aside_at" not in (update_fields or ()):
        return
    changes = {
        "status": [ReviewStatus.SUBMITTED.value, ReviewStatus.SET_ASIDE.value],
        "set_aside_reason": ["None", instance.set_aside_reason],
    }
    ActivityEntry.objects.log_create(instance, action=ActivityEntry.Action.UPDATE, changes=changes)


def _text(value: Any) -> str:
    return "None" if value in (None, "") else str(value)


def review_change_changes(change: ReviewChange) -> dict[str, list[str]]:
    """The change as "field: before → after": status, each criterion's score and comment, comment, feedback."""
    old = change.old or {}
    new = change.new or {}
    changes: dict[str, list[str]] = {}
    if change.kind == ReviewChangeKind.SUBMITTED:
        changes["status"] = [ReviewStatus.DRAFT.value, ReviewStatus.SUBMITTED.value]
    ids = sorted({*old.get("scores", {}), *new.get("scores", {}), *old.get("comments", {}), *new.get("comments", {})})
    for key in ids:
        name = key
        before, after = old.get("scores", {}).get(key), new.get("scores", {}).get(key)
        if before != after:
            changes[f"{SCORE_PREFIX}{name}"] = [_text(before), _text(after)]
        before, after = old.get("comments", {}).get(key), new.get("comments", {}).get(key)
        if (before or "") != (after or ""):
            changes[f"{COMMENT_PREFIX}{name}"] = [_text(before), _text(after)]
    for field in ("comment", "feedback"):
        if (old.get(field) or "") != (new.get(field) or ""):
            changes[field] = [_text(old.get(field)), _text(new.get(field))]
    return changes


def _log_review_change(sender: Any, instance: ReviewChange, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    changes = review_change_changes(instance)
    if changes:
        review = instance.review
        # The juror is the row's actor; naming them again in the label would cost queries at every submit.
        label = f"{review.round} · {review.entry}"
        ActivityEntry.objects.log_create(review, action=ActivityEntry.Action.UPDATE, changes=changes, object_repr=label)


def connect() -> None:
    """Connect the receivers (from the app's ``ready()``)."""
    post_save.connect(_log_set_aside, sender=Review, dispatch_uid="activity_review_set_aside")
    post_save.connect(_log_review_change, sender=ReviewChange, dispatch_uid="activity_review_change")
