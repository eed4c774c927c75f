"""The contest's rubric as jurors and organisers read it: its criteria in order with their level descriptors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from contest.models import Contest
from judging.models import Criterion, CriterionLevel, Rubric


def rubric_of(contest: Contest) -> Rubric | None:
    """The contest's rubric with its criteria and their level descriptors, or ``None``."""
    return (
        Rubric.objects.filter(contest=contest)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.order_by("order", "id").prefetch_related(
                    Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
                ),
            )
        )
        .first()
    )


def criteria_of(contest: Contest) -> QuerySet[Criterion]:
    return Criterion.objects.filter(rubric__contest=contest).order_by("order", "id")


def rubric_criteria(contest: Contest) -> list[Criterion]:
    """The criteria of the contest's rubric in order, with their level descriptors: what a juror scores (2 queries)."""
    levels = Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
    return list(criteria_of(contest).prefetch_related(levels))
