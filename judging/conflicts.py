"""Conflicts of interest: declaring them, the organisers' list of those waiting, and resolving one.

Every declaration is recorded as it was made (who, when, what, why) and never refused because of
reviews already written. What a juror sees right after declaring must not depend on what they
named: while a blind round of the contest is being prepared or is open, a juror's own declaration
changes nothing they can observe (the answer, the message, their list of entries) — it waits,
``pending``, for the organisers, who resolve it in one step: the assignments it touches are
withdrawn and given to other jurors through the assignment's rules, and the submitted reviews it
touches are kept or set aside, with a reason. From the moment it is recorded the assignment treats a
declaration as a conflict, so no new assignment is ever made against it.

Outside blind judging a juror's declaration withdraws their unfinished assignments at once, as an
organiser's does (an organiser also gives them to other jurors at once); if it touches a submitted
review it stays pending, for the organisers to decide about that review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError, NotAllowed
from contest.models import Contest, Entry, University
from contest.services import Actor, contest_ensure_organiser
from judging.enums import ConflictReviewDecision, ConflictState, ReviewStatus, RoundStatus
from judging.models import Assignment, Conflict, Juror, Review, Round
from judging.selectors.jury import entry_universities
from judging.services.assignments import assignment_remove
from judging.services.reminders import assignment_reassign

#: The longest entry code a declaration keeps; longer text is refused before anything is looked up.
MAX_CODE_LENGTH = Conflict._meta.get_field("code").max_length or 20
#: The most declarations one juror may make in a contest: a bound on what a juror can pile onto the organisers.
#: The refusal depends only on how many they made, never on what they named.
MAX_DECLARATIONS = 300


def contest_judges_blind(contest: Contest) -> bool:
    """Whether a blind round of the contest is being prepared or is open: then a juror's declaration must wait."""
    return Round.objects.filter(contest=contest, blind=True).exclude(status=RoundStatus.CLOSED).exists()


def conflict_code_normalise(code: str) -> str:
    """An entry code as declarations keep it: without spaces, in upper case."""
    return code.strip().upper()


def _affected(conflict: Conflict) -> list[Assignment]:
    """The juror's assignments in rounds that are not closed that the conflict touches."""
    if conflict.entry_id is None and conflict.university_id is None:
        return []
    assignments = (
        Assignment.objects.filter(juror_id=conflict.juror_id)
        .exclude(round__status=RoundStatus.CLOSED)
        .select_related("round__contest", "entry")
        .order_by("round__number", "entry__code")
    )
    if conflict.entry_id is not None:
        return list(assignments.filter(entry_id=conflict.entry_id))
    candidates = list(assignments)
    universities = entry_universities({a.entry_id for a in candidates})
    return [a for a in candidates if conflict.university_id in universities.get(a.entry_id, set())]


def _submitted_reviews(juror_id: int, assignments: Iterable[Assignment]) -> dict[tuple[int, int], Review]:
    pairs = {(a.round_id, a.entry_id) for a in assignments}
    if not pairs:
        return {}
    reviews = Review.objects.filter(
        juror_id=juror_id,
        status=ReviewStatus.SUBMITTED,
        round_id__in={round_id for round_id, _entry in pairs},
        entry_id__in={entry_id for _round, entry_id in pairs},
    )
    return {(r.round_id, r.entry_id): r for r in reviews if (r.round_id, r.entry_id) in pairs}


def _withdraw_unreviewed(conflict: Conflict) -> tuple[int, bool]:
    """Take the juror's unfinished assignments the conflict touches away with their drafts (the juror's own path).

    Returns how many went, and whether a submitted review was touched (then the organisers decide).
    """
    affected = _affected(conflict)
    submitted = _submitted_reviews(conflict.juror_id, affected)
    withdrawn = 0
    for assignment in affected:
        if (assignment.round_id, assignment.entry_id) in submitted:
            continue
        Review.objects.filter(
            round_id=assignment.round_id, juror_id=conflict.juror_id, entry_id=assignment.entry_id
        ).delete()
        assignment.delete()
        withdrawn += 1
    return withdrawn, bool(submitted)


@transaction.atomic
def conflict_declare(
    *,
    actor: Actor,
    juror: Juror,
    entry: Entry | None = None,
    code: str = "",
    university: University | None = None,
    reason: str = "",
) -> Conflict:
    """Record a conflict of a juror with an entry (given, or named by its code) or a university; never refused.

    The juror or an organiser of the contest declares it. A code matching no entry of the contest
    is kept as typed. Declaring the same thing twice keeps the first declaration. What happens next
    is told in the module's docstring.
    """
    own = actor.is_authenticated and juror.user_id == actor.pk
    if not own:
        contest_ensure_organiser(actor, juror.contest)
    if entry is not None:
        if entry.contest_id != juror.contest_id:
            raise NotAllowed(_("This entry belongs to another contest."))
        code = entry.code
    code = conflict_code_normalise(code)
    if bool(code) == (university is not None):
        raise BaigeError(_("Name either the entry or the university of the conflict."))
    if len(code) > MAX_CODE_LENGTH:
        raise BaigeError(_("An entry code has at most %(count)d characters.") % {"count": MAX_CODE_LENGTH})
    # Serialise the declarations of one juror, so that two at once never both create the same row.
    Juror.objects.select_for_update().filter(pk=juror.pk).first()
    if university is not None:
        existing = Conflict.objects.filter(juror=juror, university=university).first()
    else:
        if entry is None:
            entry = Entry.objects.filter(contest_id=juror.contest_id, code__iexact=code).first()
        existing = Conflict.objects.filter(juror=juror, code=code).first()
        if existing is None and entry is not None:
            existing = Conflict.objects.filter(juror=juror, entry=entry).first()
    if existing is not None:
        return existing
    if own and Conflict.objects.filter(juror=juror).count() >= MAX_DECLARATIONS:
        raise BaigeError(
            _("You have declared %(count)d conflicts, the most there can be; write to the organisers.")
            % {"count": MAX_DECLARATIONS},
            code="too_many_conflicts",
        )
    conflict = Conflict.objects.create(
        juror=juror,
        entry=entry,
        code=code,
        university=university,
        reason=reason.strip(),
        declared_by=actor if actor.is_authenticated else None,
    )
    if own and contest_judges_blind(juror.contest):
        return conflict
    if own:
        withdrawn, touches_reviews = _withdraw_unreviewed(conflict)
        conflict.withdrawn = withdrawn
        if not touches_reviews:
            conflict.state = ConflictState.RESOLVED
            conflict.resolved_at = timezone.now()
        conflict.save(update_fields=["withdrawn", "state", "resolved_at"])
        return conflict
    if _submitted_reviews(juror.pk, _affected(conflict)):
        return conflict  # the organiser decides about those reviews on the list of pending declarations
    return conflict_resolve(actor=actor, conflict=conflict)


@dataclass(frozen=True)
class ConflictsDeclared:
    """What declaring conflicts did, as the person who declared them may be told."""

    conflicts: list[Conflict]
    #: A juror's own declaration while a blind round runs: they are told nothing that depends on what they named.
    waits_for_organisers: bool
    withdrawn: int
    #: Given to other jurors at once: only when an organiser declares.
    replaced: int | None = None

    def summary(self) -> str:
        """What happened, for the person who declared them."""
        if self.waits_for_organisers:
            return _(
                "Your declaration is recorded. The organisers will look at it and adjust your list of entries; "
                "until then your list stays as it is."
            )
        recorded = ngettext(
            "%(count)d conflict of interest is recorded.",
            "%(count)d conflicts of interest are recorded.",
            len(self.conflicts),
        ) % {"count": len(self.conflicts)}
        if any(conflict.is_pending for conflict in self.conflicts):
            recorded += " " + _("The organisers will decide about the reviews already submitted.")
        if not self.withdrawn:
            return recorded + " " + _("No assignment had to be withdrawn.")
        if self.replaced is not None:
            return (
                recorded
                + " "
                + ngettext(
                    "%(count)d assignment was withdrawn; %(replaced)d of them went to another juror.",
                    "%(count)d assignments were withdrawn; %(replaced)d of them went to other jurors.",
                    self.withdrawn,
                )
                % {"count": self.withdrawn, "replaced": self.replaced}
            )
        withdrawn = ngettext(
            "%(count)d assignment was withdrawn; the organisers will give that entry to another juror.",
            "%(count)d assignments were withdrawn; the organisers will give those entries to other jurors.",
            self.withdrawn,
        ) % {"count": self.withdrawn}
        return recorded + " " + withdrawn


@transaction.atomic
def conflicts_declare(
    *,
    actor: Actor,
    juror: Juror,
    universities: Sequence[University] = (),
    codes: Sequence[str] = (),
    entries: Sequence[Entry] = (),
    reason: str = "",
) -> ConflictsDeclared:
    """Declare several conflicts of a juror at once (universities, codes as typed, entries), all or none."""
    conflicts = [
        conflict_declare(actor=actor, juror=juror, university=university, reason=reason) for university in universities
    ]
    conflicts += [conflict_declare(actor=actor, juror=juror, code=code, reason=reason) for code in codes]
    conflicts += [conflict_declare(actor=actor, juror=juror, entry=entry, reason=reason) for entry in entries]
    own = actor.is_authenticated and juror.user_id == actor.pk
    blind = own and contest_judges_blind(juror.contest)
    return ConflictsDeclared(
        conflicts=conflicts,
        waits_for_organisers=blind,
        withdrawn=0 if blind else sum(conflict.withdrawn for conflict in conflicts),
        replaced=None if own else sum(conflict.replaced for conflict in conflicts),
    )


@transaction.atomic
def conflict_resolve(
    *,
    actor: Actor,
    conflict: Conflict,
    reviews: str = ConflictReviewDecision.NONE,
    reason: str = "",
) -> Conflict:
    """Act on a pending declaration in one step: withdraw what it touches, give it to other jurors, decide on reviews.

    Each assignment it touches in a round that is not closed is moved to the least loaded juror of the
    round who may take it (:func:`judging.services.reminders.assignment_reassign`: conflicts, limits, never a
    juror twice), or only withdrawn when nobody may. A submitted review it touches is ``kept`` (with
    its assignment) or ``set aside`` (it stops counting anywhere and its entry goes to another juror);
    either needs a reason, which is recorded.
    """
    contest_ensure_organiser(actor, conflict.juror.contest)
    conflict = Conflict.objects.select_for_update().select_related("juror__contest").get(pk=conflict.pk)
    if not conflict.is_pending:
        raise BaigeError(_("This declaration is already resolved."), code="conflict_resolved")
    affected = _affected(conflict)
    submitted = _submitted_reviews(conflict.juror_id, affected)
    reason = reason.strip()
    if not submitted:
        reviews = ConflictReviewDecision.NONE
    elif reviews not in (ConflictReviewDecision.KEPT, ConflictReviewDecision.SET_ASIDE):
        raise BaigeError(
            ngettext(
                "The juror has submitted %(count)d review this declaration touches: keep it or set it aside.",
                "The juror has submitted %(count)d reviews this declaration touches: keep them or set them aside.",
                len(submitted),
            )
            % {"count": len(submitted)},
            code="decide_reviews",
        )
    elif not reason:
        raise BaigeError(_("Give the reason of your decision about the submitted reviews."), code="reason_needed")
    now = timezone.now()
    withdrawn = replaced = 0
    for assignment in affected:
        review = submitted.get((assignment.round_id, assignment.entry_id))
        if review is not None:
            if reviews == ConflictReviewDecision.KEPT:
                continue
            review.status = ReviewStatus.SET_ASIDE
            review.set_aside_at = now
            review.set_aside_by = actor if actor.is_authenticated else None
            review.set_aside_reason = reason
            review.save(update_fields=["status", "set_aside_at", "set_aside_by", "set_aside_reason", "updated_at"])
        withdrawn += 1
        try:
            with transaction.atomic():
                assignment_reassign(
                    actor=actor, round=assignment.round, juror=conflict.juror, entries=[assignment.entry]
                )
        except BaigeError:
            # Nobody else may take it: it is withdrawn all the same, and the round's progress shows the gap.
            assignment_remove(actor=actor, round=assignment.round, juror=conflict.juror, entry=assignment.entry)
        else:
            replaced += 1
    conflict.state = ConflictState.RESOLVED
    conflict.resolved_by = actor if actor.is_authenticated else None
    conflict.resolved_at = now
    conflict.review_decision = reviews
    conflict.resolution_reason = reason
    conflict.withdrawn += withdrawn
    conflict.replaced = replaced
    conflict.save(
        update_fields=[
            "state",
            "resolved_by",
            "resolved_at",
            "review_decision",
            "resolution_reason",
            "withdrawn",
            "replaced",
        ]
    )
    return conflict


# --- Reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Touched:
    """An assignment a pending declaration touches, and whether its review is submitted."""

    round: Round
    entry: Entry
    submitted: bool


def conflicts_pending(contest: Contest, *, round: Round | None = None, juror: Juror | None = None) -> list[Conflict]:
    """The contest's declarations waiting for the organisers, oldest first, each with ``touched``: what it affects.

    With ``round``, only those of the round's jurors; with ``juror``, only theirs. A fixed number of
    queries, however many there are.
    """
    pending: QuerySet[Conflict] = (
        Conflict.objects.filter(juror__contest=contest, state=ConflictState.PENDING)
        .select_related("juror__user__profile", "juror__university", "entry", "university", "declared_by__profile")
        .order_by("created_at", "id")
    )
    if round is not None:
        pending = pending.filter(juror__round_links__round=round)
    if juror is not None:
        pending = pending.filter(juror=juror)
    conflicts = list(pending)
    if not conflicts:
        return conflicts
    assignments = list(
        Assignment.objects.filter(juror_id__in={c.juror_id for c in conflicts})
        .exclude(round__status=RoundStatus.CLOSED)
        .select_related("round", "entry")
        .order_by("round__number", "entry__code")
    )
    universities = (
        entry_universities({a.entry_id for a in assignments}) if any(c.university_id for c in conflicts) else {}
    )
    submitted = set(
        Review.objects.filter(
            juror_id__in={c.juror_id for c in conflicts},
            status=ReviewStatus.SUBMITTED,
            round_id__in={a.round_id for a in assignments},
        ).values_list("round_id", "juror_id", "entry_id")
    )
    by_juror: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_juror[assignment.juror_id].append(assignment)
    for conflict in conflicts:
        touched = [
            Touched(
                round=a.round,
                entry=a.entry,
                submitted=(a.round_id, a.juror_id, a.entry_id) in submitted,
            )
            for a in by_juror[conflict.juror_id]
            if (conflict.entry_id is not None and a.entry_id == conflict.entry_id)
            or (conflict.university_id is not None and conflict.university_id in universities.get(a.entry_id, set()))
        ]
        conflict.touched = touched  # type: ignore[attr-defined]
        conflict.touches_reviews = any(t.submitted for t in touched)  # type: ignore[attr-defined]
    return conflicts


def conflicts_pending_count(contest: Contest) -> int:
    """How many of the contest's declarations wait for the organisers."""
    return Conflict.objects.filter(juror__contest=contest, state=ConflictState.PENDING).count()
