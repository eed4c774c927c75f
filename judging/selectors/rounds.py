"""Rounds as the organisers read them: their counts, the entries they lack jurors for, the jurors' loads."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from contest.enums import EntryStatus
from contest.models import Contest, Entry
from contest.selectors import get_contest_for_organiser
from judging.models import Juror, Round


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


def entries_without_round(contest: Contest) -> list[Entry]:
    """The contest's submitted entries that no round of it judges, by code: they would never be judged."""
    return list(
        Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
        .exclude(round_links__round__contest=contest)
        .order_by("code")
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
