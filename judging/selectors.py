"""Reads for judging: the rubric, rounds, a juror's work, and look-ups that check who is asking."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contest.models import CoAuthor, Contest, Entry, ParticipantProfile, Platform
from contest.selectors import get_contest_for_organiser
from judging.enums import ReviewStatus, RoundStatus
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


def get_round_for_organiser(user: Any, *, contest_slug: str, number: int) -> Round:
    """A round of the contest, if the person may manage the contest's judging; 404 for a round it does not have."""
    contest = get_contest_for_organiser(user, slug=contest_slug, permission="judging.manage_judging")
    round = get_object_or_404(Round.objects.select_related("source_round"), contest=contest, number=number)
    round.contest = contest
    return round


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


def get_opened_assignment_for_juror(user: Any, *, round_id: int, entry_code: str) -> Assignment:
    """In one query: the juror's assignment to an entry of a round that has been opened, or 404 like a missing one."""
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.filter(round_id=round_id, juror__user=user, entry__code=entry_code)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("entry", "juror", "round__contest")
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


# --- The jury panel ----------------------------------------------------------------------------

#: The renditions a juror may open: what the player and slide viewer show. Never the original upload
#: nor the ``pdf`` rendition, whose document properties may still name the author.
JURY_RENDITIONS = re.compile(r"^(video-720|video-360|poster|strip|cover|page-\d{1,6})$")


def user_on_any_jury(user: Any) -> bool:
    """Whether the person has a seat on some contest's jury: the panel's link in the menu."""
    if not user.is_authenticated:
        return False
    return Juror.objects.filter(user=user).exists()


def rounds_of_juror(user: Any) -> list[Round]:
    """The rounds the person judges that have been opened, with ``assigned`` and ``scored`` counts, newest first."""
    if not user.is_authenticated:
        return []
    own = Assignment.objects.filter(round=OuterRef("pk"), juror__user=user)
    submitted = Review.objects.filter(round=OuterRef("pk"), juror__user=user, status=ReviewStatus.SUBMITTED)
    return list(
        Round.objects.filter(round_jurors__juror__user=user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("contest")
        .annotate(
            assigned=Coalesce(Subquery(own.values("round").annotate(n=Count("pk")).values("n")[:1]), 0),
            scored=Coalesce(Subquery(submitted.values("round").annotate(n=Count("pk")).values("n")[:1]), 0),
        )
        .order_by("-contest__submissions_open", "contest_id", "number")
    )


def get_round_for_juror(user: Any, *, round_id: int) -> Round:
    """A round the person sits on as a juror, once opened; 404 otherwise (a round being prepared too)."""
    if not user.is_authenticated:
        raise Http404
    round = (
        Round.objects.filter(pk=round_id, round_jurors__juror__user=user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("contest")
        .first()
    )
    if round is None:
        raise Http404
    return round


def worklist_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round annotated with ``review_status`` (``None``: not started), by entry code."""
    own = Review.objects.filter(round=OuterRef("round"), juror=OuterRef("juror"), entry=OuterRef("entry"))
    return assignments_of_juror(user, round).annotate(review_status=Subquery(own.values("status")[:1]))


def get_assignment_for_panel(user: Any, *, round_id: int, entry_code: str) -> Assignment:
    """The juror's assignment in an opened round, its round and contest loaded; 404 for anything else."""
    round = get_round_for_juror(user, round_id=round_id)
    assignment = get_assignment_for_juror(user, round=round, entry_code=entry_code)
    assignment.round = round
    return assignment


def entry_for_jury(assignment: Assignment) -> Entry:
    """The assigned entry with everything its jury page shows, in a fixed number of queries."""
    return (
        Entry.objects.select_related("nomination", "media", "author__profile__university")
        .prefetch_related(
            Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name")),
            Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university").order_by("order", "id")),
        )
        .get(pk=assignment.entry_id)
    )


def own_review(assignment: Assignment) -> Review | None:
    """The juror's own review of the assigned entry, with its scores; another juror's is never read."""
    return (
        Review.objects.filter(round_id=assignment.round_id, juror_id=assignment.juror_id, entry_id=assignment.entry_id)
        .prefetch_related("scores")
        .first()
    )


def get_entry_for_jury_media(user: Any, *, round_id: int, entry_code: str) -> Entry:
    """The entry whose media the person may watch in this round, or 404.

    A juror reaches it only through their assignment in an opened round; an organiser of the
    contest reaches any entry of the round, also while the round is being prepared.
    """
    if not user.is_authenticated:
        raise Http404
    round = Round.objects.filter(pk=round_id).select_related("contest").first()
    if round is None:
        raise Http404
    if user.has_perm("judging.manage_judging", round):
        entry = round.entries.filter(code=entry_code).select_related("media").first()
        if entry is None:
            raise Http404
        return entry
    if round.status == RoundStatus.DRAFT:
        raise Http404
    return get_assignment_for_juror(user, round=round, entry_code=entry_code).entry
