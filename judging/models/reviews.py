"""Reviews: a juror's scores of an entry, their history, and reminders to finish them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry
from judging.enums import (
    ReviewChangeKind,
    ReviewStatus,
    RoundNoticeKind,
)

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in judging/translation.py.
    pass

from judging.models.jury import Juror
from judging.models.rounds import Round
from judging.models.rubric import Criterion


class Review(models.Model):
    """One juror's review of one entry in one round: a score per criterion and a comment; in the round's contest."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    # A juror who has reviewed stays; RESTRICT still lets the whole contest be deleted.
    juror = models.ForeignKey(Juror, on_delete=models.RESTRICT, related_name="reviews")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        pgettext_lazy("review", "status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    #: The note for the organisers: never shown to the entrant.
    comment = models.TextField(_("comment"), blank=True)
    #: Feedback for the entrant, shown to them (anonymised) only if the round's results share feedback.
    feedback = models.TextField(_("feedback for the entrant"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    #: When, by whom and why an organiser set the submitted review aside: it no longer counts anywhere.
    set_aside_at = models.DateTimeField(_("set aside at"), null=True, blank=True)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_aside_reason = models.TextField(_("why it was set aside"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("jury review", "review")
        verbose_name_plural = pgettext_lazy("jury review", "reviews")
        ordering = ["round", "entry", "juror"]
        constraints = [
            models.UniqueConstraint(fields=["round", "juror", "entry"], name="review_unique"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.SET_ASIDE)
                | Q(set_aside_at__isnull=False, submitted_at__isnull=False, set_aside_reason__gt=""),
                name="review_set_aside_has_time_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror} · {self.entry}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def contest(self) -> Contest:
        return self.round.contest


class Score(models.Model):
    """A juror's score of one criterion.

    ``max_score`` is the criterion's scale when the score was given. The rubric is frozen from the
    first score on, so it never differs from the criterion's; keeping it on the row lets the
    database itself refuse a score outside the scale.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.RESTRICT, related_name="scores")
    value = models.PositiveSmallIntegerField(pgettext_lazy("score", "value"))
    max_score = models.PositiveSmallIntegerField(_("highest score"))
    #: The juror's comment on this criterion, for the entrant (shared like the feedback).
    comment = models.TextField(_("comment on the criterion"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("jury score", "score")
        verbose_name_plural = pgettext_lazy("jury score", "scores")
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=F("max_score"), max_score__gte=1), name="score_within_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}/{self.max_score}"


class ReviewChange(models.Model):
    """One change to a submitted review: who, when, and the scores and comment before and after."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("change"), max_length=20, choices=ReviewChangeKind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    #: ``{"scores": {"<criterion id>": value}, "comments": {"<criterion id>": "..."}, "comment": "...",
    #: "feedback": "..."}`` (``comments`` holds the non-empty ones); ``old`` is empty for the first submission.
    old = models.JSONField(_("before"), null=True, blank=True)
    new = models.JSONField(_("after"))

    class Meta:
        verbose_name = _("review change")
        verbose_name_plural = _("review changes")
        ordering = ["review", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.review} · {self.get_kind_display()} · {self.changed_at:%Y-%m-%d %H:%M}"


class JurorReminder(models.Model):
    """When a juror was last reminded of their unfinished reviews in a round: at most one reminder per interval."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(_("reminded at"))

    class Meta:
        verbose_name = _("reminder to a juror")
        verbose_name_plural = _("reminders to jurors")
        constraints = [models.UniqueConstraint(fields=["round", "juror"], name="juror_reminder_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror} · {self.sent_at:%Y-%m-%d %H:%M}"


class JurorRoundNotice(models.Model):
    """An e-mail a juror gets at most once per round: that it opened, or that it closes soon.

    The row is claimed (inserted) in the transaction that queues the e-mail, so two workers or a click
    and the clock never send it twice.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="juror_notices")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="round_notices")
    kind = models.CharField(_("kind"), max_length=20, choices=RoundNoticeKind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("notice to a juror about a round")
        verbose_name_plural = _("notices to jurors about rounds")
        constraints = [models.UniqueConstraint(fields=["round", "juror", "kind"], name="juror_round_notice_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror} · {self.kind}"
