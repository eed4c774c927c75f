"""The contest's rubric as jurors and organisers read it: its criteria in order with their level descriptors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

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


def rubric_without_criteria(contest: Contest) -> Rubric | None:
    """The contest's rubric alone (its criteria not read), or ``None``; one query."""
    return Rubric.objects.filter(contest=contest).first()


def get_criterion_with_levels_for_organiser(contest: Contest, pk: int) -> Criterion:
    """A criterion of the contest's rubric with its level descriptors by score; 404 for another contest's."""
    levels = Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
    return get_object_or_404(Criterion.objects.prefetch_related(levels), rubric__contest=contest, pk=pk)


def get_criterion_for_organiser(contest: Contest, pk: int) -> Criterion:
    """A criterion of the contest's rubric with its rubric; 404 for another contest's."""
    return get_object_or_404(Criterion.objects.select_related("rubric"), rubric__contest=contest, pk=pk)


def criteria_of(contest: Contest) -> QuerySet[Criterion]:
    return Criterion.objects.filter(rubric__contest=contest).order_by("order", "id")


def rubric_criteria(contest: Contest) -> list[Criterion]:
    """The criteria of the contest's rubric in order, with their level descriptors: what a juror scores (2 queries)."""
    levels = Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
    return list(criteria_of(contest).prefetch_related(levels))
