"""Reads for judging: the rubric, rounds, a juror's work, and look-ups that check who is asking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from contest.models import CoAuthor, Contest, Entry, ParticipantProfile
from judging.enums import ReviewStatus
from judging.models import Assignment, Criterion, CriterionLevel, Juror, Review, Round, Rubric


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


def rounds_of(contest: Contest) -> QuerySet[Round]:
    """The contest's rounds in order, with how many entries, jurors and assignments each has."""
    return (
        Round.objects.filter(contest=contest)
        .annotate(
            entry_count=Count("round_entries", distinct=True),
            juror_count=Count("round_jurors", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("number")
    )


def juror_of(user: Any, contest: Contest) -> Juror | None:
    """The user's seat on the contest's jury, if they have one."""
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(contest=contest, user=user).first()


def entry_universities(entry_ids: Iterable[int] | QuerySet[Any]) -> dict[int, set[int]]:
    """The universities of every author of each entry: the author's profile and each co-author's."""
    ids = entry_ids if isinstance(entry_ids, QuerySet) else list(entry_ids)
    universities: dict[int, set[int]] = defaultdict(set)
    entries = Entry.objects.filter(pk__in=ids)
    profiles = dict(
        ParticipantProfile.objects.filter(
            user_id__in=entries.values("author_id"), university__isnull=False
        ).values_list("user_id", "university_id")
    )
    for entry_id, author_id in entries.values_list("pk", "author_id"):
        found = universities.setdefault(entry_id, set())  # every entry has a key, even without a university
        if author_id in profiles:
            found.add(profiles[author_id])
    coauthors = CoAuthor.objects.filter(entry_id__in=ids, university__isnull=False)
    for entry_id, university_id in coauthors.values_list("entry_id", "university_id"):
        universities[entry_id].add(university_id)
    return dict(universities)


def juror_conflict_reason(juror: Juror, entry: Entry) -> str | None:
    """Why ``juror`` may not review ``entry`` (same university as an author, or declared), else ``None``."""
    universities = entry_universities([entry.pk]).get(entry.pk, set())
    if juror.university_id is not None and juror.university_id in universities:
        return _("%(juror)s is from the same university as an author of this entry.") % {"juror": juror}
    declared = juror.conflicts.filter(Q(entry=entry) | Q(university_id__in=universities))
    if declared.exists():
        return _("%(juror)s has declared a conflict of interest with this entry.") % {"juror": juror}
    return None


def round_loads(round: Round) -> list[tuple[Juror, int]]:
    """Every juror of the round with the number of entries assigned to them, in the jury's order."""
    jurors = (
        Juror.objects.filter(round_links__round=round)
        .select_related("user__profile", "university")
        .annotate(load=Count("assignments", filter=Q(assignments__round=round)))
        .order_by("id")
    )
    return [(juror, juror.load) for juror in jurors]


def assignments_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round with their entries and review status, in a fixed number of queries."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(round=round, juror__user=user)
        .select_related("entry__media", "entry__nomination")
        .prefetch_related("entry__platforms")
        .order_by("entry__code")
    )


def juror_progress(user: Any, round: Round) -> tuple[int, int]:
    """(submitted reviews, assigned entries) of a juror in a round: "x of y scored"."""
    assigned = Assignment.objects.filter(round=round, juror__user=user).count()
    submitted = Review.objects.filter(round=round, juror__user=user, status=ReviewStatus.SUBMITTED).count()
    return submitted, assigned


def get_assignment_for_juror(user: Any, *, round: Round, entry_code: str) -> Assignment:
    """The juror's assignment to an entry of the round, or 404: an entry not assigned to them looks missing."""
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.filter(round=round, juror__user=user, entry__code=entry_code)
        .select_related("entry", "juror", "round")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def review_total(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> Decimal | None:
    """A review's total ``T = 100 · Σ w·s/M / Σ w`` (0–100) from scores by criterion id; ``None`` if one is missing."""
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        if criterion.pk not in scores:
            return None
        weighted += criterion.weight * Decimal(scores[criterion.pk]) / Decimal(criterion.max_score)
        weights += criterion.weight
    if weights == 0:
        return None
    return 100 * weighted / weights
