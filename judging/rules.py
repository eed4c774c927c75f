"""Who may do what in judging: named predicates composed with django-rules.

``is_organiser`` is the contest's own: a round, juror, assignment or review names its contest, as a contest
object does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules

from contest.models import Entry
from contest.rules import is_organiser
from judging.models import Assignment, Review, Round


def _round_of(obj: Any) -> Round | None:
    if isinstance(obj, Round):
        return obj
    return getattr(obj, "round", None)


@rules.predicate
def is_round_juror(user: Any, obj: Any) -> bool:
    """A juror of the round (of a round, an assignment or a review)."""
    round = _round_of(obj)
    if round is None or not user.is_authenticated:
        return False
    return round.round_jurors.filter(juror__user=user).exists()


@rules.predicate
def is_assigned_juror(user: Any, obj: Any) -> bool:
    """The juror an assignment or review belongs to, or a juror assigned to an entry in any round."""
    if obj is None or not user.is_authenticated:
        return False
    if isinstance(obj, Assignment | Review):
        return obj.juror.user_id == user.pk and (
            isinstance(obj, Assignment)
            or Assignment.objects.filter(round_id=obj.round_id, juror_id=obj.juror_id, entry_id=obj.entry_id).exists()
        )
    if isinstance(obj, Entry):
        return Assignment.objects.filter(entry=obj, juror__user=user).exists()
    return False


@rules.predicate
def round_is_open(user: Any, obj: Any, *, now: datetime | None = None) -> bool:
    """The round (of a round, an assignment or a review) takes reviews at ``now`` (this instant by default).

    The review services pass their own ``now``, so that the opening hours are judged on their clock.
    """
    round = _round_of(obj)
    return round is not None and round.accepts_reviews(now)


@rules.predicate
def round_is_blind(user: Any, obj: Any) -> bool:
    round = _round_of(obj)
    return round is not None and round.blind


rules.add_perm("judging.manage_judging", is_organiser | rules.is_superuser)
rules.add_perm("judging.view_round", is_round_juror | is_organiser | rules.is_superuser)
rules.add_perm("judging.view_assigned_entry", is_assigned_juror | is_organiser | rules.is_superuser)
rules.add_perm("judging.review_entry", is_assigned_juror & round_is_open)
# Who made an entry stays hidden from jurors in a blind round; organisers always see it.
rules.add_perm("judging.view_authors", is_organiser | rules.is_superuser | (is_assigned_juror & ~round_is_blind))
