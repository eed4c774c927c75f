"""Who may do what with contests and entries: named predicates, each defined once, composed with django-rules.

The services of ``contest`` and of the apps above it test these same predicates (through
``contest.services.contest_ensure_organiser``, ``entry_ensure_author`` and ``contest_ensure_accepting``), so a
permission asked by a page and the refusal of a service never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules

from contest.enums import Role
from contest.models import Contest, ContestRole, Entry


def contest_of(obj: Any) -> Contest | None:
    """The contest of a contest, of anything with a ``contest`` (entry, juror, round, post), or with a ``round``."""
    if isinstance(obj, Contest):
        return obj
    contest = getattr(obj, "contest", None)
    if contest is None and (round_ := getattr(obj, "round", None)) is not None:
        # Assignments and reviews reach their contest through their round.
        contest = round_.contest
    return contest


def has_contest_role(user: Any, contest: Contest | None, role: str) -> bool:
    """``user`` is signed in and holds ``role`` in ``contest``."""
    if contest is None or not user.is_authenticated:
        return False
    return ContestRole.objects.filter(contest=contest, user=user, role=role).exists()


@rules.predicate
def is_organiser(user: Any, obj: Any) -> bool:
    """An organiser of the contest of ``obj`` (a contest, entry, juror, round, assignment, review or post).

    The one definition of an organiser: judging's permissions compose it too.
    """
    return has_contest_role(user, contest_of(obj), Role.ORGANISER)


@rules.predicate
def is_juror(user: Any, obj: Any) -> bool:
    """A juror of the contest of ``obj``, in any of its rounds or none."""
    return has_contest_role(user, contest_of(obj), Role.JUROR)


@rules.predicate
def is_entry_author(user: Any, entry: Entry | None) -> bool:
    """The person who made the entry (co-authors named on it are not accounts and change nothing)."""
    return entry is not None and user.is_authenticated and entry.author_id == user.pk


@rules.predicate
def is_not_disqualified(user: Any, entry: Entry | None) -> bool:
    """The organisers have not disqualified the entry: once they have, its author changes nothing in it."""
    return entry is not None and entry.disqualified_at is None


@rules.predicate
def contest_accepts_entries(user: Any, obj: Any, *, now: datetime | None = None) -> bool:
    """The contest of ``obj`` takes new entries and changes to entries at ``now`` (this instant by default).

    A permission asks at this instant; a service that was given its own ``now`` passes it, so that a deadline
    is judged on the service's clock.
    """
    contest = contest_of(obj)
    return contest is not None and contest.accepts_submissions(now)


rules.add_perm("contest.view_entry", is_entry_author | is_organiser | rules.is_superuser)
rules.add_perm("contest.change_entry", is_entry_author & is_not_disqualified & contest_accepts_entries)
rules.add_perm("contest.manage_contest", is_organiser | rules.is_superuser)
#: Staff found contests (a blank one or next year's edition); they name its first organisers.
rules.add_perm("contest.create_contest", rules.is_staff | rules.is_superuser)
