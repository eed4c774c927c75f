"""Judging: the rubric, rounds, jurors and their conflicts, assignments, reviews and their history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry, University
from contest.names import person_name
from judging.enums import (
    DEFAULT_TIE_BREAKERS,
    AssignmentOrigin,
    ConflictReviewDecision,
    ConflictState,
    RankingMethod,
    ReviewChangeKind,
    ReviewStatus,
    RoundStatus,
    TieBreaker,
)

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in judging/translation.py.
    from modeltranslation.manager import MultilingualManager

#: The widest scale a criterion may have (0..100).
MAX_SCALE = 100


class Rubric(models.Model):
    """How a contest's entries are scored: its criteria. Frozen once the first score is saved."""

    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="rubric")
    frozen_at = models.DateTimeField(_("frozen since"), null=True, blank=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.contest)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(models.Model):
    """One criterion of a rubric: a weight and an integer scale 0..max_score."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    slug = models.SlugField(_("short name"), max_length=80)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(MAX_SCALE)]
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects: ClassVar[MultilingualManager[Criterion]]

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "slug"], name="criterion_slug_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(max_score__gte=1, max_score__lte=MAX_SCALE), name="criterion_scale_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CriterionLevel(models.Model):
    """What one score of a criterion means, shown to jurors beside the scale."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField(_("score"))
    descriptor = models.TextField(_("descriptor"))

    objects: ClassVar[MultilingualManager[CriterionLevel]]

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["criterion", "score"]
        constraints = [models.UniqueConstraint(fields=["criterion", "score"], name="criterion_level_unique")]

    def __str__(self) -> str:
        return f"{self.criterion} · {self.score}"


class Juror(models.Model):
    """A member of a contest's jury: where they come from, what they read, how much they can take."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats")
    university = models.ForeignKey(
        University, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("university")
    )
    #: Language codes (kk, ru, en) the juror reads; a list so that it works on every database.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    max_load = models.PositiveIntegerField(
        _("most entries per round"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: When the juror first opened the jury's welcome page: the invitation reached them and they took the seat.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="juror_unique")]

    def __str__(self) -> str:
        return person_name(self.user)


class Conflict(models.Model):
    """A conflict of interest declared for a juror: with one entry (by its code), or with everyone of a university.

    Every declaration is kept as it was made (who, when, what, why). An entry named by a code that
    matches no entry of the contest keeps the code as typed, without an entry. A declaration stays
    ``pending`` until the organisers act on it; from the moment it is made, the assignment treats it
    as a conflict for every new assignment.
    """

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("entry")
    )
    #: The entry's code as the declaration named it (upper case), whether or not an entry of the contest has it.
    code = models.CharField(_("entry code"), max_length=20, blank=True)
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("university")
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        pgettext_lazy("conflict", "state"), max_length=20, choices=ConflictState.choices, default=ConflictState.PENDING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    review_decision = models.CharField(
        _("submitted reviews"), max_length=20, choices=ConflictReviewDecision.choices, blank=True, default=""
    )
    resolution_reason = models.TextField(_("reason of the decision"), blank=True)
    #: Assignments taken from the juror when it was resolved, and how many of them went to another juror.
    withdrawn = models.PositiveIntegerField(_("assignments withdrawn"), default=0)
    replaced = models.PositiveIntegerField(_("assignments given to another juror"), default=0)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(university__isnull=True, entry__isnull=False)
                | Q(university__isnull=True, code__gt="")
                | Q(entry__isnull=True, university__isnull=False, code=""),
                name="conflict_entry_or_university",
            ),
            models.UniqueConstraint(
                fields=["juror", "entry"], condition=Q(entry__isnull=False), name="conflict_entry_unique"
            ),
            models.UniqueConstraint(fields=["juror", "code"], condition=Q(code__gt=""), name="conflict_code_unique"),
            models.UniqueConstraint(
                fields=["juror", "university"], condition=Q(university__isnull=False), name="conflict_university_unique"
            ),
            models.CheckConstraint(
                condition=Q(state=ConflictState.PENDING) | Q(resolved_at__isnull=False),
                name="conflict_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.university or self.named_code}"

    @property
    def named_code(self) -> str:
        """The entry's code as the declaration named it (its entry's, for a row made without one)."""
        if self.code:
            return self.code
        return self.entry.code if self.entry_id is not None and self.entry is not None else ""

    @property
    def is_pending(self) -> bool:
        return self.state == ConflictState.PENDING


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


class Review(models.Model):
    """One juror's review of one entry in one round: a score per criterion and a comment; in the round's contest."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    # A juror who has reviewed stays; RESTRICT still lets the whole contest be deleted.
    juror = models.ForeignKey(Juror, on_delete=models.RESTRICT, related_name="reviews")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        pgettext_lazy("review", "status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment = models.TextField(_("comment"), blank=True)
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
    #: ``{"scores": {"<criterion id>": value}, "comment": "..."}``; ``old`` is empty for the first submission.
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


class Results(models.Model):
    """A round's final results: its awards, frozen with the hash of the ranking they were chosen from."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="results")
    #: ``judging.ranking.RoundRanking.content_hash()`` of the ranking at finalisation.
    content_hash = models.CharField(_("content hash"), max_length=64)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"))
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
