"""A round's final results and its awards."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contest.models import Contest, Entry
from judging.enums import (
    ParticipantView,
)

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in judging/translation.py.
    from modeltranslation.manager import MultilingualManager

from judging.models.rounds import Round


class Results(models.Model):
    """A round's final results: its awards, frozen with the hash of the ranking they were chosen from."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="results")
    #: ``judging.ranking.RoundRanking.content_hash()`` of the ranking at finalisation.
    content_hash = models.CharField(_("content hash"), max_length=64)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"))
    #: What the round's entrants see of these results, chosen at finalisation and fixed from then on.
    participant_view = models.CharField(
        _("what entrants see of the results"),
        max_length=20,
        choices=ParticipantView.choices,
        default=ParticipantView.OUTCOME,
    )
    #: When the awards were last published to the blog; ``None`` until then.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    #: When the participants were e-mailed their results; they are told once.
    participants_notified_at = models.DateTimeField(_("participants notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("results")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return str(self.round)


class Award(models.Model):
    """A place in a nomination (1–3, shared places allowed) or a named special award, given to one entry.

    ``key`` names the award's slot for good (``nomination-<slug>/place-<p>/<n>``, ``special/<slug>``):
    the blog post that publishes it is found by that key, so publishing again or correcting the
    award's entry updates the same post.
    """

    results = models.ForeignKey(Results, on_delete=models.CASCADE, related_name="awards")
    key = models.CharField(_("key"), max_length=200)
    nomination = models.ForeignKey(
        "contest.Nomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("nomination"),
    )
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    #: The special award's name (kk/ru/en); empty for a place.
    name = models.CharField(_("name"), max_length=255, blank=True)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards", verbose_name=_("entry"))
    order = models.PositiveIntegerField(_("order"), default=0)

    objects: ClassVar[MultilingualManager[Award]]

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["results", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["results", "key"], name="award_key_unique"),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1, place__lte=3), name="award_place_range"
            ),
            # A place belongs to a nomination; a special award (no place) is named, which the services check
            # (its name lives in a column per language).
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(nomination__isnull=False), name="award_place_has_nomination"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.results} · {self.key} · {self.entry}"


class AwardChange(models.Model):
    """A change to a finalised award: who, when, why, and the award before and after."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="history")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    #: ``{"entry": "<code>", "place": 1, "name": "..."}``
    old = models.JSONField(_("before"))
    new = models.JSONField(_("after"))

    class Meta:
        verbose_name = _("change of an award")
        verbose_name_plural = _("changes of awards")
        ordering = ["award", "changed_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="award_change_has_reason")]

    def __str__(self) -> str:
        return f"{self.award} · {self.changed_at:%Y-%m-%d %H:%M}"


class ResultNotice(models.Model):
    """The claim to tell one e-mail address the contest's results: one per contest and address (any case).

    Taken before anything is sent, so two publications or two workers never e-mail the same address
    twice; ``sent_at`` is set, under a row lock, in the transaction that sends it.
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="result_notices")
    #: The address as an entry gave it.
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result e-mail")
        verbose_name_plural = _("result e-mails")
        constraints = [models.UniqueConstraint("contest", Lower("email"), name="result_notice_unique")]

    def __str__(self) -> str:
        return f"{self.contest} · {self.email}"
