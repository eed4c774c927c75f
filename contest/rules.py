"""Who may do what: named predicates composed with django-rules."""

from __future__ import annotations

from typing import Any

import rules

from contest.enums import Role
from contest.models import Contest, ContestRole, Entry


def _contest_of(obj: Any) -> Contest | None:
    if isinstance(obj, Contest):
        return obj
    return getattr(obj, "contest", None)


def has_contest_role(user: Any, contest: Contest | None, role: str) -> bool:
    if contest is None or not user.is_authenticated:
        return False
    return ContestRole.objects.filter(contest=contest, user=user, role=role).exists()


@rules.predicate
def is_organiser(user: Any, obj: Any) -> bool:
    return has_contest_role(user, _contest_of(obj), Role.ORGANISER)


@rules.predicate
def is_juror(user: Any, obj: Any) -> bool:
    return has_contest_role(user, _contest_of(obj), Role.JUROR)


@rules.predicate
def is_entry_author(user: Any, entry: Entry | None) -> bool:
    return entry is not None and user.is_authenticated and entry.author_id == user.pk


@rules.predicate
def submissions_open(user: Any, obj: Any) -> bool:
    contest = _contest_of(obj)
    return contest is not None and contest.accepts_submissions()


rules.add_perm("contest.view_entry", is_entry_author | is_organiser | rules.is_superuser)
rules.add_perm("contest.change_entry", is_entry_author & submissions_open)
rules.add_perm("contest.manage_contest", is_organiser | rules.is_superuser)
