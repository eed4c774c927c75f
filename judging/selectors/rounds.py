"""Rounds as the organisers read them: counts, entries, assignments, the entries short of jurors, jurors' loads."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from contest.models import Contest, Entry
from contest.selectors import get_contest_for_organiser
from judging.enums import ReviewStatus
from judging.models import Assignment, Juror, Review, Round


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


def rounds_in_order(contest: Contest) -> QuerySet[Round]:
    """The contest's rounds by number, without counts."""
    return Round.objects.filter(contest=contest).order_by("number")


def entries_of_round(round: Round) -> QuerySet[Entry]:
    """The round's entries by code."""
    return Entry.objects.filter(round_links__round=round).order_by("code")


def round_assignment_pairs(round: Round) -> list[tuple[int, int, str]]:
    """Every assignment of the round as (entry id, juror id, origin), in one query."""
    return list(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id", "origin"))


def entries_without_round(contest: Contest) -> list[Entry]:
    """The contest's eligible entries that no round of it judges, by code: they would never be judged."""
    return list(
        Entry.objects.filter(contest=contest).eligible().exclude(round_links__round__contest=contest).order_by("code")
    )


def round_entries_short(round: Round) -> list[tuple[Entry, int]]:
    """The round's entries with fewer jurors than it asks for (for "all jurors": none), each with its count."""
    entries = (
        Entry.objects.filter(round_links__round=round)
        .annotate(assigned=Count("jury_assignments", filter=Q(jury_assignments__round=round)))
        .order_by("code")
    )
    needed = round.reviews_per_entry or 1
    return [(entry, entry.assigned) for entry in entries if entry.assigned < needed]


def get_round_for_organiser(user: Any, *, contest_slug: str, number: int) -> Round:
    """A round of the contest, if the person may manage the contest's judging; 404 for a round it does not have."""
    contest = get_contest_for_organiser(user, slug=contest_slug, permission="judging.manage_judging")
    round = get_object_or_404(Round.objects.select_related("source_round"), contest=contest, number=number)
    round.contest = contest
    return round


def round_loads(round: Round) -> list[tuple[Juror, int]]:
    """Every juror of the round with the number of entries assigned to them, in the jury's order."""
    jurors = (
        Juror.objects.filter(round_links__round=round)
        .select_related("user__profile", "university")
        .annotate(load=Count("assignments", filter=Q(assignments__round=round)))
        .order_by("id")
    )
    return [(juror, juror.load) for juror in jurors]


def get_juror_of_round(round: Round, juror_id: int) -> Juror:
    """A juror of the round with their person; 404 for anyone the round does not seat."""
    juror = Juror.objects.filter(pk=juror_id, round_links__round=round).select_related("user__profile").first()
    if juror is None:
        raise Http404
    return juror


def juror_assignments_with_review_state(round: Round, juror: Juror) -> QuerySet[Assignment]:
    """The juror's assignments in the round by entry code, each with ``submitted`` and ``drafted`` for its review."""
    review = Review.objects.filter(round=round, juror=juror, entry=OuterRef("entry"))
    return (
        Assignment.objects.filter(round=round, juror=juror)
        .select_related("entry")
        .annotate(
            submitted=Exists(review.filter(status=ReviewStatus.SUBMITTED)),
            drafted=Exists(review.filter(status=ReviewStatus.DRAFT)),
        )
        .order_by("entry__code")
    )
