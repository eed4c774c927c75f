"""Builders shared by the judging tests: entries from a university, jurors, criteria and rounds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, Contest, ContestRole, Entry, Platform, University
from judging.enums import RoundStatus
from judging.models import Criterion, Juror, Round, RoundEntry, RoundJuror, Rubric
from tests.factories import EntryFactory, ProfileFactory, UserFactory


def entry_from(
    contest: Contest,
    university: University | None,
    *,
    coauthors: Sequence[University] = (),
    platforms: Sequence[Platform] | None = None,
    title: str | None = None,
) -> Entry:
    """A submitted entry whose author studies at ``university``, with co-authors from ``coauthors``."""
    author = ProfileFactory(university=university).user
    extra: dict[str, Any] = {"title": title} if title else {}
    entry = EntryFactory(
        contest=contest,
        author=author,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        platforms=platforms,
        author_university=university,
        **extra,
    )
    for order, other in enumerate(coauthors):
        CoAuthor.objects.create(entry=entry, full_name=f"Co-author {order}", university=other, order=order)
    return entry


def juror_in(
    contest: Contest, university: University | None = None, *, max_load: int | None = None, name: str = ""
) -> Juror:
    """A juror seated on the contest's jury (with the juror's role)."""
    user = UserFactory()
    if name:
        ProfileFactory(user=user, full_name=name, university=university)
    ContestRole.objects.create(contest=contest, user=user, role=Role.JUROR)
    return Juror.objects.create(contest=contest, user=user, university=university, max_load=max_load)


def criteria_for(contest: Contest, *scales: int) -> list[Criterion]:
    """Criteria of the contest's rubric with these highest scores, weight 1 each."""
    rubric, _created = Rubric.objects.get_or_create(contest=contest)
    return [
        Criterion.objects.create(
            rubric=rubric,
            slug=f"c{index}",
            name=f"Criterion {index}",
            name_en=f"Criterion {index}",
            max_score=scale,
            order=index,
        )
        for index, scale in enumerate(scales, start=1)
    ]


def round_of(
    contest: Contest,
    entries: Sequence[Entry],
    jurors: Sequence[Juror],
    *,
    k: int | None = 2,
    status: str = RoundStatus.OPEN,
    number: int = 1,
) -> Round:
    """A round with these entries and jurors, open unless told otherwise."""
    round = Round.objects.create(
        contest=contest,
        number=number,
        name=f"Round {number}",
        name_en=f"Round {number}",
        reviews_per_entry=k,
        status=status,
        closed_at=timezone.now() if status == RoundStatus.CLOSED else None,
    )
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in entries)
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in jurors)
    return round
