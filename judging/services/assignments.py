"""Assignments by hand, under the automatic assignment's rules, and a preview of the automatic one.

The automatic assignment itself lives in :mod:`judging.assignment`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError
from contest.models import Entry
from contest.services import Actor
from judging.assignment import AssignmentRun, assignment_run
from judging.enums import AssignmentOrigin, ReviewStatus
from judging.models import Assignment, AssignmentRemoval, Juror, Review, Round, RoundEntry, RoundJuror
from judging.selectors.jury import juror_conflict_reason
from judging.services.rounds import round_ensure_not_closed, round_locked


def _ensure_member(round: Round, juror: Juror, entry: Entry) -> None:
    if not RoundJuror.objects.filter(round=round, juror=juror).exists():
        raise BaigeError(_("%(juror)s is not a juror of this round.") % {"juror": juror})
    if not RoundEntry.objects.filter(round=round, entry=entry).exists():
        raise BaigeError(_("Entry %(code)s is not part of this round.") % {"code": entry.code})


@transaction.atomic
def assignment_add(*, actor: Actor, round: Round, juror: Juror, entry: Entry) -> Assignment:
    """Assign a juror to an entry by hand, under the same rules as the automatic assignment."""
    round = round_locked(actor, round)
    round_ensure_not_closed(round)
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    _ensure_member(round, juror, entry)
    if Assignment.objects.filter(round=round, juror=juror, entry=entry).exists():
        raise BaigeError(
            _("%(juror)s is already assigned to entry %(code)s.") % {"juror": juror, "code": entry.code},
            code="already_assigned",
        )
    conflict = juror_conflict_reason(juror, entry)
    if conflict is not None:
        raise BaigeError(conflict, code="conflict")
    load = Assignment.objects.filter(round=round, juror=juror).count()
    if juror.max_load is not None and load >= juror.max_load:
        raise BaigeError(
            ngettext(
                "%(juror)s already has %(load)d entry in this round, their limit.",
                "%(juror)s already has %(load)d entries in this round, their limit.",
                load,
            )
            % {"juror": juror, "load": load},
            code="over_limit",
        )
    AssignmentRemoval.objects.filter(round=round, juror=juror, entry=entry).delete()
    return Assignment.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        origin=AssignmentOrigin.MANUAL,
        created_by=actor if actor.is_authenticated else None,
    )


@transaction.atomic
def assignment_remove(*, actor: Actor, round: Round, juror: Juror, entry: Entry) -> None:
    """Take an entry away from a juror by hand; the automatic assignment will not give it back."""
    round = round_locked(actor, round)
    round_ensure_not_closed(round)
    assignment = Assignment.objects.filter(round=round, juror=juror, entry=entry).first()
    if assignment is None:
        raise BaigeError(_("%(juror)s is not assigned to entry %(code)s.") % {"juror": juror, "code": entry.code})
    review = Review.objects.filter(round=round, juror=juror, entry=entry).first()
    if review is not None and review.is_submitted:
        raise BaigeError(
            _("%(juror)s has already submitted a review of entry %(code)s.") % {"juror": juror, "code": entry.code},
            code="has_reviews",
        )
    if review is not None and review.status == ReviewStatus.DRAFT:
        review.delete()  # a review set aside stays, for the record
    assignment.delete()
    AssignmentRemoval.objects.get_or_create(
        round=round,
        juror=juror,
        entry=entry,
        defaults={"removed_by": actor if actor.is_authenticated else None},
    )


@dataclass(frozen=True)
class AssignmentPreview:
    """What the automatic assignment would make of a round: its summary and every (entry id, juror id) pair."""

    run: AssignmentRun
    pairs: list[tuple[int, int]]


class _PreviewDone(Exception):
    """Carries the preview out of the transaction it rolls back."""

    def __init__(self, preview: AssignmentPreview) -> None:
        super().__init__()
        self.preview = preview


def assignment_preview(*, actor: Actor, round: Round, seed: int, k: int | None = None) -> AssignmentPreview:
    """The automatic assignment of a round as saving it with the same ``k`` and ``seed`` would leave it; saves nothing.

    It runs :func:`~judging.assignment.assignment_run` for real and rolls it back, so that the
    preview is exactly what the save gives: the pairs kept (by hand, with a review) and the new ones.
    Raises :class:`~judging.assignment.Infeasible` like the save does.
    """
    try:
        with transaction.atomic():
            run = assignment_run(actor=actor, round=round, seed=seed, k=k)
            pairs = list(
                Assignment.objects.filter(round=round)
                .order_by("entry_id", "juror_id")
                .values_list("entry_id", "juror_id")
            )
            raise _PreviewDone(AssignmentPreview(run=replace(run, dry_run=True), pairs=pairs))
    except _PreviewDone as done:
        return done.preview


@dataclass(frozen=True)
class AssignmentChange:
    """What saving an automatic assignment would do to the round's current assignments."""

    #: Current assignments the save would take away (an entry's automatic jurors replaced by others).
    removed: int
    #: Assignments the save would add.
    added: int
    #: Current assignments the save keeps.
    kept: int


def assignment_change(*, actor: Actor, round: Round, seed: int, k: int | None = None) -> AssignmentChange:
    """How many of the round's current assignments saving the automatic one with ``k`` and ``seed`` would replace.

    Computed from the same dry run as :func:`assignment_preview`, so the counts are those the save gives.
    """
    current = set(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))
    after = set(assignment_preview(actor=actor, round=round, seed=seed, k=k).pairs)
    return AssignmentChange(removed=len(current - after), added=len(after - current), kept=len(current & after))
