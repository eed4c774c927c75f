"""Every entry submitted on time is judged.

* A contest's first round (the lowest-numbered one, when it has no source round) follows the
  contest's submitted entries while it is not closed: an entry submitted, withdrawn or submitted
  again later joins or leaves it, and in a round that is open (or already assigned) gets its
  missing jurors at once through :func:`judging.assignment.assignment_fill`. The contest app only
  sends :data:`contest.signals.entries_status_changed`; :mod:`judging.receivers` queues the
  ``judging.entries_rounds_follow`` task on commit, which calls :func:`entries_rounds_follow`.
* A withdrawn entry leaves the rounds that are not closed with its assignments; reviews are never
  deleted with it: drafts and submitted ones stay stored, kept aside (the ranking, the agreement,
  the progress and the jurors' counts read only the round's entries). Submitted again, it comes
  back with the jurors who had reviewed it, then gets the ones it still lacks.
* A disqualified entry (:func:`contest.services.entry_disqualify`) is treated as a withdrawn one: it
  leaves the rounds that are not closed, and a closed round keeps it as it was. Reinstated, it comes
  back like an entry submitted again, and into the rounds made from a shortlist it is on
  (:func:`entry_eligibility_follow`).
* A round made from a shortlist follows that shortlist while it is not closed
  (:func:`round_follow_shortlist`); an entry with reviews in it cannot be taken off the shortlist.
* When a round opens (:func:`round_members_take`), the first round takes any submitted entry it
  lacks; another round without entries (one from a contest definition file) takes the shortlist
  of the round before it; a round without jurors takes the whole jury.
* Closing a round, finalising or publishing results while a submitted entry is in no round is
  refused with the list of those entries (:class:`UnjudgedEntries`) unless the organiser confirms.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.activity_log import bulk_create_logged, delete_logged
from config.exceptions import BaigeError
from contest.models import Contest, Entry
from judging.assignment import assignment_fill, conflicting_pairs
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Assignment, Juror, Review, Round, RoundEntry, RoundJuror
from judging.selectors.rounds import entries_without_round

logger = logging.getLogger(__name__)


class UnjudgedEntries(BaigeError):
    """Submitted entries are in no round of the contest: going on needs the organiser's confirmation."""

    status_code = 409
    code = "unjudged_entries"

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        listed = ", ".join(f"{entry.code} “{entry.title}”" for entry in self.entries)
        super().__init__(
            ngettext(
                "%(count)d submitted entry is in no round and would never be judged: %(entries)s. "
                "Confirm to go on anyway.",
                "%(count)d submitted entries are in no round and would never be judged: %(entries)s. "
                "Confirm to go on anyway.",
                len(self.entries),
            )
            % {"count": len(self.entries), "entries": listed}
        )


def unjudged_ensure_confirmed(contest: Contest, *, confirm_unjudged: bool) -> None:
    """Refuse with the list of the contest's submitted entries in no round, unless the organiser confirmed."""
    if confirm_unjudged:
        return
    entries = entries_without_round(contest)
    if entries:
        raise UnjudgedEntries(entries)


def following_round(contest: Contest) -> Round | None:
    """The contest's first round while it follows the submitted entries: not made from a shortlist, not closed."""
    first = Round.objects.filter(contest=contest).order_by("number").first()
    if first is None or first.source_round_id is not None or first.status == RoundStatus.CLOSED:
        return None
    return first


def _gives_jurors_now(round: Round) -> bool:
    """An entry joining the round gets its jurors at once when the round is open or was already assigned."""
    return round.status == RoundStatus.OPEN or round.assigned_at is not None


def _join(round: Round, entries: Sequence[Entry]) -> bool:
    """Put entries in the round with their former reviewers and the jurors they lack; whether anything changed."""
    present = set(RoundEntry.objects.filter(round=round, entry__in=entries).values_list("entry_id", flat=True))
    bulk_create_logged(
        RoundEntry, (RoundEntry(round=round, entry=entry) for entry in entries if entry.pk not in present)
    )
    joined = len(present) < len(entries)
    # An entry's authors may have changed since it was assigned: an automatic assignment nobody has
    # started that now conflicts goes (the jurors it lacks then are filled below).
    started = Review.objects.filter(round=round, juror=OuterRef("juror"), entry=OuterRef("entry"))
    untouched = (
        Assignment.objects.filter(round=round, entry__in=entries, origin=AssignmentOrigin.AUTOMATIC)
        .exclude(Exists(started))
        .order_by("pk")
    )
    untouched_pairs = {
        pk: (entry_id, juror_id) for pk, entry_id, juror_id in untouched.values_list("pk", "entry_id", "juror_id")
    }
    reviewed = Review.objects.filter(round=round, entry__in=entries, juror__round_links__round=round)
    reviewers = list(reviewed.order_by("entry_id", "juror_id").values_list("entry_id", "juror_id"))
    conflicting = conflicting_pairs([*untouched_pairs.values(), *reviewers])
    gone = [pk for pk, pair in untouched_pairs.items() if pair in conflicting]
    if gone:
        delete_logged(Assignment.objects.filter(pk__in=gone))
        joined = True
    assigned = set(Assignment.objects.filter(round=round, entry__in=entries).values_list("entry_id", "juror_id"))
    for entry_id, juror_id in reviewers:
        # Back with the jurors who had reviewed it before it was withdrawn, unless they have a conflict now.
        if (entry_id, juror_id) not in assigned and (entry_id, juror_id) not in conflicting:
            Assignment.objects.create(round=round, juror_id=juror_id, entry_id=entry_id)
            joined = True
    if _gives_jurors_now(round):
        filled = assignment_fill(actor=None, round=round, entries=[entry.pk for entry in entries])
        joined = joined or bool(filled.created)
    return joined


def _leave(round: Round, entry: Entry) -> None:
    reviewed = Review.objects.filter(round=round, entry=entry).count()
    delete_logged(Assignment.objects.filter(round=round, entry=entry))
    delete_logged(RoundEntry.objects.filter(round=round, entry=entry))
    if reviewed:
        logger.info("entry %s left %s with %d reviews kept aside", entry.code, round, reviewed)


@transaction.atomic
def entries_rounds_follow(*, entry_ids: Sequence[int]) -> list[Round]:
    """Bring the rounds that follow submissions in line with the entries' status; the rounds that changed.

    Idempotent: a submitted entry is in its contest's following round with its jurors, an entry that
    is not submitted is in no round that is still open to change. Baige itself acts (no actor).
    """
    entries = list(Entry.objects.select_related("contest").filter(pk__in=entry_ids).order_by("pk"))
    gone = set(entry_ids) - {entry.pk for entry in entries}
    if gone:
        logger.info("entries %s are gone: no round to follow them", sorted(gone))
    changed: dict[int, Round] = {}
    for contest_id in sorted({entry.contest_id for entry in entries}):
        group = [entry for entry in entries if entry.contest_id == contest_id]
        submitted = [entry for entry in group if entry.is_eligible]
        round = following_round(group[0].contest) if submitted else None
        if round is not None:
            # The lock makes entries joining at once, and the automatic assignment, take turns.
            round = Round.objects.select_for_update().get(pk=round.pk)
            if round.status != RoundStatus.CLOSED and _join(round, submitted):
                changed[round.pk] = round
        for entry in group:
            if entry.is_eligible:
                continue
            rounds = (
                Round.objects.select_for_update(of=("self",))
                .filter(contest_id=contest_id, round_entries__entry=entry)
                .exclude(status=RoundStatus.CLOSED)
                .order_by("number")
            )
            for left in rounds:
                _leave(left, entry)
                changed[left.pk] = left
    return sorted(changed.values(), key=lambda round: (round.contest_id, round.number))


def round_follow_shortlist(round: Round) -> None:
    """Make every round made from ``round``'s shortlist, and not closed, judge exactly that shortlist."""
    # A disqualified entry stays on a closed round's shortlist as it was, but goes no further.
    shortlisted = RoundEntry.objects.filter(round=round, shortlisted=True, entry__disqualified_at__isnull=True)
    wanted = set(shortlisted.values_list("entry_id", flat=True))
    following_rounds = (
        Round.objects.select_for_update()
        .filter(source_round=round)
        .exclude(status=RoundStatus.CLOSED)
        .order_by("number")
    )
    for following in following_rounds:
        current = set(RoundEntry.objects.filter(round=following).values_list("entry_id", flat=True))
        dropped = current - wanted
        reviewed = sorted(
            Entry.objects.filter(pk__in=dropped, reviews__round=following).distinct().values_list("code", flat=True)
        )
        if reviewed:
            raise BaigeError(
                _("Round “%(round)s” already has reviews of %(codes)s: they cannot leave the shortlist.")
                % {"round": following, "codes": ", ".join(reviewed)},
                code="has_reviews",
            )
        delete_logged(Assignment.objects.filter(round=following, entry_id__in=dropped))
        delete_logged(RoundEntry.objects.filter(round=following, entry_id__in=dropped))
        added = sorted(wanted - current)
        bulk_create_logged(RoundEntry, (RoundEntry(round=following, entry_id=pk) for pk in added))
        if added and _gives_jurors_now(following):
            assignment_fill(actor=None, round=following, entries=added)


def round_members_take(round: Round) -> None:
    """Give a round about to open the entries and jurors it lacks (a contest definition file's round has none).

    The contest's first round takes every submitted entry it does not have yet (it follows them);
    another round without entries takes the shortlist of its source round, or of the round before it,
    which becomes its source. A round without jurors takes the whole jury.
    """
    following = following_round(round.contest)
    if following is not None and following.pk == round.pk:
        entries = Entry.objects.filter(contest=round.contest).eligible().exclude(round_links__round=round)
        bulk_create_logged(
            RoundEntry,
            (RoundEntry(round=round, entry_id=pk) for pk in entries.order_by("pk").values_list("pk", flat=True)),
        )
    elif not RoundEntry.objects.filter(round=round).exists():
        source = round.source_round
        if source is None:
            source = Round.objects.filter(contest=round.contest, number__lt=round.number).order_by("-number").first()
            if source is not None:
                round.source_round = source
                round.save(update_fields=["source_round"])
        if source is not None:
            shortlist = Entry.objects.filter(
                round_links__round=source, round_links__shortlisted=True, disqualified_at__isnull=True
            )
            bulk_create_logged(
                RoundEntry,
                (RoundEntry(round=round, entry_id=pk) for pk in shortlist.order_by("pk").values_list("pk", flat=True)),
            )
    if not RoundJuror.objects.filter(round=round).exists():
        jurors = Juror.objects.filter(contest=round.contest).order_by("pk").values_list("pk", flat=True)
        bulk_create_logged(RoundJuror, (RoundJuror(round=round, juror_id=pk) for pk in jurors))


@transaction.atomic
def entry_eligibility_follow(entry: Entry) -> list[Round]:
    """Take a disqualified entry out of the rounds that are not closed, or bring a reinstated one back; the rounds.

    Back means: into the following round like an entry submitted again, and into each round not closed that is
    made from a shortlist the entry is on.
    """
    changed = {round.pk: round for round in entries_rounds_follow(entry_ids=[entry.pk])}
    if Entry.objects.eligible().filter(pk=entry.pk).exists():
        followed = (
            Round.objects.filter(source_round__isnull=False).exclude(status=RoundStatus.CLOSED).values("source_round")
        )
        sources = (
            Round.objects.filter(round_entries__entry=entry, round_entries__shortlisted=True, pk__in=followed)
            .distinct()
            .order_by("number")
        )
        for source in sources:
            round_follow_shortlist(source)
            changed.update(
                (round.pk, round)
                for round in Round.objects.filter(source_round=source, round_entries__entry=entry).exclude(
                    status=RoundStatus.CLOSED
                )
            )
    return sorted(changed.values(), key=lambda round: round.number)
