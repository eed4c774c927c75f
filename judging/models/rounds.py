"""Rounds: their entries and jurors, and who is assigned what."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry
from judging.enums import (
    DEFAULT_TIE_BREAKERS,
    AssignmentOrigin,
    ParticipantView,
    RankingMethod,
    RoundStatus,
    TieBreaker,
)

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in judging/translation.py.
    from modeltranslation.manager import MultilingualManager

from judging.models.jury import Juror

#: The longest a round may ask the feedback for the entrant to be at least, in characters.
MAX_FEEDBACK_MIN_LENGTH = 2000


def default_tie_breakers() -> list[str]:
    """A new round's tie-breakers (a new list each time: a mutable default must not be shared)."""
    return list(DEFAULT_TIE_BREAKERS)


def validate_tie_breakers(value: object) -> None:
    """A list of known tie-breakers, each at most once."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give the tie-breakers as a list of names."), code="not_a_list")
    unknown = [item for item in value if item not in TieBreaker.values]
    if unknown:
        raise ValidationError(
            _("Unknown tie-breaker: %(names)s. Choose from: %(choices)s."),
            code="unknown_tie_breaker",
            params={"names": ", ".join(unknown), "choices": ", ".join(TieBreaker.values)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each tie-breaker may be given only once."), code="duplicate")


class Round(models.Model):
    """A judging round: its entries and jurors, how many reviews each entry gets, when it runs."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(pgettext_lazy("judging round", "number"))
    name = models.CharField(_("name"), max_length=255)
    status = models.CharField(
        pgettext_lazy("judging round", "status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    reviews_per_entry = models.PositiveSmallIntegerField(
        _("reviews per entry"),
        null=True,
        blank=True,
        help_text=_("Empty: every juror of the round scores every entry."),
    )
    blind = models.BooleanField(
        _("blind"), default=True, help_text=_("Jurors never see who made an entry or their university.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: Why the round did not open or close by itself at its time (a :data:`judging.enums.ScheduleProblem`
    #: code), kept so that the organisers are told once, not every minute; empty once it moved on.
    schedule_problem = models.CharField(_("why it did not open or close by itself"), max_length=40, blank=True)
    source_round = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("entries from the shortlist of"),
    )
    assignment_seed = models.BigIntegerField(_("seed of the last automatic assignment"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    #: Whether jurors must write feedback for the entrant, and at least how many characters of it.
    feedback_required = models.BooleanField(
        _("feedback for the entrant required"),
        default=False,
        help_text=_("A juror cannot submit a review without feedback for the entrant."),
    )
    feedback_min_length = models.PositiveSmallIntegerField(
        _("shortest feedback (characters)"), default=0, validators=[MaxValueValidator(MAX_FEEDBACK_MIN_LENGTH)]
    )
    #: What the entrants will see of the results; the choice is fixed on :class:`Results` at finalisation.
    participant_view = models.CharField(
        _("what entrants see of the results"),
        max_length=20,
        choices=ParticipantView.choices,
        default=ParticipantView.OUTCOME,
    )
    ranking_method = models.CharField(
        _("ranking method"), max_length=20, choices=RankingMethod.choices, default=RankingMethod.MEAN
    )
    #: Names of :class:`~judging.enums.TieBreaker`, tried in this order; entries still tied share a place.
    tie_breakers = models.JSONField(
        _("tie-breakers"), default=default_tie_breakers, blank=True, validators=[validate_tie_breakers]
    )
    entries = models.ManyToManyField(Entry, through="RoundEntry", related_name="judging_rounds")
    jurors = models.ManyToManyField(Juror, through="RoundJuror", related_name="rounds")

    objects: ClassVar[MultilingualManager[Round]]

    class Meta:
        verbose_name = pgettext_lazy("judging round", "round")
        verbose_name_plural = pgettext_lazy("judging round", "rounds")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_number_unique"),
            models.CheckConstraint(
                condition=Q(reviews_per_entry__isnull=True) | Q(reviews_per_entry__gte=1),
                name="round_reviews_per_entry_positive",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(status=RoundStatus.CLOSED) | Q(closed_at__isnull=False), name="round_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(ranking_method__in=RankingMethod.values), name="round_ranking_method_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.contest} · {self.number}"

    @property
    def every_juror_scores_every_entry(self) -> bool:
        return self.reviews_per_entry is None

    def accepts_reviews(self, now: datetime | None = None) -> bool:
        """Open, and ``now`` inside its opening hours when it has them."""
        now = now or timezone.now()
        if self.status != RoundStatus.OPEN:
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


class RoundEntry(models.Model):
    """An entry taking part in a round; ``shortlisted`` ones go on to the next round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_entries")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="round_links")
    shortlisted = models.BooleanField(_("shortlisted"), default=False)

    class Meta:
        verbose_name = _("entry of a round")
        verbose_name_plural = _("entries of a round")
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="round_entry_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.entry}"


class RoundJuror(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_jurors")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="round_links")

    class Meta:
        verbose_name = _("juror of a round")
        verbose_name_plural = _("jurors of a round")
        constraints = [models.UniqueConstraint(fields=["round", "juror"], name="round_juror_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror}"


class Assignment(models.Model):
    """A juror is to review an entry in a round; its ``contest`` (the round's) is what permissions ask of it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="jury_assignments")
    origin = models.CharField(
        _("origin"), max_length=20, choices=AssignmentOrigin.choices, default=AssignmentOrigin.AUTOMATIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "juror", "entry"]
        constraints = [models.UniqueConstraint(fields=["round", "juror", "entry"], name="assignment_unique")]
        indexes = [models.Index(fields=["round", "entry"], name="assignment_round_entry")]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror} · {self.entry}"

    @property
    def contest(self) -> Contest:
        return self.round.contest


class AssignmentRemoval(models.Model):
    """An assignment an organiser removed by hand: the automatic assignment never puts it back."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignment_removals")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("removed assignment")
        verbose_name_plural = _("removed assignments")
        constraints = [models.UniqueConstraint(fields=["round", "juror", "entry"], name="assignment_removal_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.juror} · {self.entry}"
