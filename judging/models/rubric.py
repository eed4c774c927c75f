"""The rubric: criteria, their weights and scales, and each level's descriptor."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Contest

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
