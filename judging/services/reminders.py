"""Keeping a round's judging moving: reminding jurors of unfinished reviews, and moving entries between jurors.

A juror is reminded at most once per :data:`REMINDER_INTERVAL` and round, whoever asks (an organiser's
click or the daily task): the time of the last reminder is claimed in the database before the e-mail
is queued, so two clicks or two workers never send it twice. E-mails leave once the claim commits.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError, NotAllowed
from contest.mail import mail_person
from contest.models import Entry
from contest.services import Actor, contest_ensure_organiser, contest_format_time
from judging.enums import ReviewStatus, RoundNoticeKind, RoundStatus
from judging.models import (
    Assignment,
    Conflict,
    Juror,
    JurorReminder,
    JurorRoundNotice,
    Review,
    Round,
    RoundJuror,
)
from judging.progress import unfinished_jurors
from judging.selectors.jury import entrant_pairs, entry_universities
from judging.services.assignments import assignment_add, assignment_remove
from judging.services.round_notices import claim_notice, juror_language, jury_panel_link

logger = logging.getLogger(__name__)

#: The shortest time between two reminders to the same juror about the same round.
REMINDER_INTERVAL = timedelta(hours=12)
#: How long before a round closes its jurors with unfinished reviews are told, once.
CLOSING_NOTICE_BEFORE = timedelta(days=2)


# --- Reminders -------------------------------------------------------------------------------


@dataclass
class Reminders:
    """What :func:`jurors_remind` did: who is reminded, who was reminded too recently, who has nothing left."""

    sent: list[Juror] = field(default_factory=list)
    recent: list[Juror] = field(default_factory=list)
    finished: list[Juror] = field(default_factory=list)


def _claim(round: Round, juror: Juror, now: datetime) -> bool:
    """Record a reminder to ``juror`` now unless one was recorded within the interval; whether it was recorded."""
    cutoff = now - REMINDER_INTERVAL
    # A conditional UPDATE: of two concurrent claims the second waits for the first and then finds
    # the row too recent, so only one of them sends.
    if JurorReminder.objects.filter(round=round, juror=juror, sent_at__lte=cutoff).update(sent_at=now):
        return True
    _reminder, created = JurorReminder.objects.get_or_create(round=round, juror=juror, defaults={"sent_at": now})
    return created


@transaction.atomic
def jurors_remind(
    *,
    actor: Actor | None,
    round: Round,
    jurors: Sequence[Juror] | None = None,
    now: datetime | None = None,
) -> Reminders:
    """E-mail each juror (all of the round's, or ``jurors``) who has unfinished entries, at most once per 12 hours.

    ``actor`` is ``None`` when Baige itself reminds (the daily task). Only an open round's jurors are
    reminded; the e-mails are sent once the transaction commits.
    """
    now = now or timezone.now()
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    round = Round.objects.select_related("contest").get(pk=round.pk)
    if round.status != RoundStatus.OPEN:
        raise BaigeError(_("Reminders are only sent while the round is open."), code="round_not_open")
    members = {juror.pk: juror for juror in Juror.objects.filter(round_links__round=round)}
    if jurors is None:
        chosen = list(members.values())
    else:
        if any(juror.pk not in members for juror in jurors):
            raise NotAllowed(_("This juror is not a juror of this round."))
        chosen = [members[juror.pk] for juror in jurors]
    unfinished = set(unfinished_jurors(round).values_list("pk", flat=True))
    done = Reminders()
    for juror in sorted(chosen, key=lambda juror: juror.pk):
        if juror.pk not in unfinished:
            done.finished.append(juror)
        elif _claim(round, juror, now):
            done.sent.append(juror)
            enqueue_on_commit("judging.send_juror_reminder", round_id=round.pk, juror_id=juror.pk)
        else:
            done.recent.append(juror)
    return done


def jurors_remind_due(*, now: datetime | None = None) -> int:
    """Remind the jurors with unfinished entries of every round that takes reviews now; how many were reminded."""
    now = now or timezone.now()
    sent = 0
    for round in Round.objects.filter(status=RoundStatus.OPEN).select_related("contest").order_by("pk"):
        if round.accepts_reviews(now):
            sent += len(jurors_remind(actor=None, round=round, now=now).sent)
    return sent


def juror_reminder_send(*, round: Round, juror: Juror) -> bool:
    """E-mail one of the round's jurors, in their language, how many of their entries are scored and when it closes.

    Nothing is sent if the round stopped taking reviews or every review is submitted by now; returns
    whether the e-mail was sent.
    """
    if round.status != RoundStatus.OPEN:
        logger.info("no reminder for juror %s in round %s: closed", juror.pk, round.pk)
        return False
    assigned = Assignment.objects.filter(round=round, juror=juror).count()
    submitted = Review.objects.filter(round=round, juror=juror, status=ReviewStatus.SUBMITTED).count()
    if submitted >= assigned:
        return False
    language = juror_language(juror)
    profile = getattr(juror.user, "profile", None)

    def context() -> dict[str, object]:
        # The closing time is written the way the juror's language writes it.
        return {
            "full_name": profile.full_name if profile is not None else "",
            "contest": round.contest,
            "round": round,
            "submitted": submitted,
            "assigned": assigned,
            "unfinished": assigned - submitted,
            "closes": contest_format_time(round.contest, round.closes_at) if round.closes_at else "",
            "link": jury_panel_link(round=round, language=language),
        }

    mail_person(juror.user, "judging/email/reminder", context, language=language)
    return True


def jurors_remind_closing(*, now: datetime | None = None) -> int:
    """Remind once the jurors with unfinished reviews of each round that closes within two days; how many.

    The claim is recorded with the ordinary reminder's time too, so the daily reminder does not follow it
    within the same 12 hours.
    """
    now = now or timezone.now()
    rounds = Round.objects.filter(
        status=RoundStatus.OPEN, closes_at__gt=now, closes_at__lte=now + CLOSING_NOTICE_BEFORE
    ).order_by("pk")
    sent = 0
    for round in rounds:
        with transaction.atomic():
            # A juror told within the day that the round opened (with its closing time) is not told again.
            just_told = JurorRoundNotice.objects.filter(
                round=round, kind=RoundNoticeKind.OPENED, sent_at__gt=now - timedelta(days=1)
            ).values("juror_id")
            for juror in unfinished_jurors(round).exclude(pk__in=just_told).order_by("pk"):
                if claim_notice(round=round, juror=juror, kind=RoundNoticeKind.CLOSING, now=now):
                    JurorReminder.objects.update_or_create(round=round, juror=juror, defaults={"sent_at": now})
                    enqueue_on_commit("judging.send_juror_reminder", round_id=round.pk, juror_id=juror.pk)
                    sent += 1
    return sent


# --- Reassignment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """An entry moved from one juror to another."""

    entry: Entry
    to: Juror


@dataclass
class _Candidate:
    juror: Juror
    load: int
    entries: set[int]

    def at_limit(self) -> bool:
        return self.juror.max_load is not None and self.load >= self.juror.max_load


def _conflicts(candidates: Sequence[_Candidate], entries: Sequence[Entry]) -> set[tuple[int, int]]:
    """(juror id, entry id) pairs in conflict of interest, as :func:`~judging.selectors.jury.juror_conflict_reason`."""
    universities = entry_universities([entry.pk for entry in entries])
    declared = Conflict.objects.filter(juror_id__in=[c.juror.pk for c in candidates]).values_list(
        "juror_id", "entry_id", "university_id"
    )
    by_juror: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for juror_id, entry_id, university_id in declared:
        by_juror[juror_id].append((entry_id, university_id))
    pairs = entrant_pairs([c.juror for c in candidates], [entry.pk for entry in entries])
    for candidate in candidates:
        for entry in entries:
            of_entry = universities.get(entry.pk, set())
            same = candidate.juror.university_id is not None and candidate.juror.university_id in of_entry
            named = any(
                entry_id == entry.pk or (university_id is not None and university_id in of_entry)
                for entry_id, university_id in by_juror[candidate.juror.pk]
            )
            if same or named:
                pairs.add((candidate.juror.pk, entry.pk))
    return pairs


def _refusal(problems: list[str]) -> BaigeError:
    return BaigeError(
        _("Nothing was moved: %(problems)s") % {"problems": "; ".join(problems)},
        code="cannot_reassign",
    )


def _plan(
    to: Juror | None, entries: Sequence[Entry], candidates: list[_Candidate]
) -> tuple[list[tuple[Entry, _Candidate]], list[str]]:
    """Choose a new juror for every entry; the moves, and why entries cannot move (empty when all can)."""
    conflicts = _conflicts(candidates, entries)
    moves: list[tuple[Entry, _Candidate]] = []
    problems: list[str] = []
    for entry in entries:
        if to is not None:
            target = next(c for c in candidates if c.juror.pk == to.pk)
            if entry.pk in target.entries:
                reason = _("%(juror)s is already assigned to it") % {"juror": target.juror}
            elif (target.juror.pk, entry.pk) in conflicts:
                reason = _("%(juror)s has a conflict of interest with it") % {"juror": target.juror}
            elif target.at_limit():
                reason = _("%(juror)s would go over their limit of %(limit)d entries") % {
                    "juror": target.juror,
                    "limit": target.juror.max_load,
                }
            else:
                reason = ""
            if reason:
                problems.append(_("%(code)s: %(reason)s") % {"code": entry.code, "reason": reason})
                continue
        else:
            free = [
                c
                for c in candidates
                if entry.pk not in c.entries and (c.juror.pk, entry.pk) not in conflicts and not c.at_limit()
            ]
            if not free:
                problems.append(
                    _(
                        "%(code)s: every other juror of the round is already assigned to it, "
                        "has a conflict of interest with it or is at their limit"
                    )
                    % {"code": entry.code}
                )
                continue
            target = min(free, key=lambda c: (c.load, c.juror.pk))
        target.load += 1
        target.entries.add(entry.pk)
        moves.append((entry, target))
    return moves, problems


@transaction.atomic
def assignment_reassign(
    *,
    actor: Actor,
    round: Round,
    juror: Juror,
    entries: Sequence[Entry] | None = None,
    to: Juror | None = None,
) -> list[Move]:
    """Move entries ``juror`` has not submitted a review of to ``to``, or each to the least loaded juror who may.

    Without ``entries``, every entry of the juror without a submitted review moves. The juror's
    drafts of them are discarded. Each move follows the rules of
    :func:`~judging.services.assignments.assignment_remove` and :func:`~judging.services.assignments.assignment_add`
    (membership, conflicts, limits, never a juror twice on an entry); all move or none, and a
    refusal names every entry that cannot move and why. Submitted reviews never move.
    """
    contest_ensure_organiser(actor, round.contest)
    # The same lock as every change to the round's assignments: loads cannot change under the plan.
    round = Round.objects.select_for_update().select_related("contest").get(pk=round.pk)
    if round.status == RoundStatus.CLOSED:
        raise BaigeError(_("Round “%(round)s” is closed: nothing in it can change any more.") % {"round": round})
    if not RoundJuror.objects.filter(round=round, juror=juror).exists():
        raise NotAllowed(_("This juror is not a juror of this round."))
    if to is not None and to.pk == juror.pk:
        raise BaigeError(_("Choose another juror to give the entries to."))
    if to is not None and not RoundJuror.objects.filter(round=round, juror=to).exists():
        raise NotAllowed(_("This juror is not a juror of this round."))
    submitted = set(
        Review.objects.filter(round=round, juror=juror, status=ReviewStatus.SUBMITTED).values_list(
            "entry_id", flat=True
        )
    )
    own = {
        assignment.entry_id: assignment.entry
        for assignment in Assignment.objects.filter(round=round, juror=juror).select_related("entry")
    }
    if entries is None:
        chosen = sorted((entry for pk, entry in own.items() if pk not in submitted), key=lambda entry: entry.code)
        if not chosen:
            raise BaigeError(_("%(juror)s has no unfinished entries to move.") % {"juror": juror})
    else:
        chosen = sorted({entry.pk: entry for entry in entries}.values(), key=lambda entry: entry.code)
        problems = [
            _("%(code)s: it is not assigned to %(juror)s") % {"code": entry.code, "juror": juror}
            for entry in chosen
            if entry.pk not in own
        ] + [
            _("%(code)s: %(juror)s has submitted its review, which stays") % {"code": entry.code, "juror": juror}
            for entry in chosen
            if entry.pk in submitted
        ]
        if problems:
            raise _refusal(problems)
    others = (
        Juror.objects.filter(round_links__round=round)
        .exclude(pk=juror.pk)
        .select_related("user__profile")
        .annotate(load=Count("assignments", filter=Q(assignments__round=round)))
        .order_by("pk")
    )
    if to is not None:
        others = others.filter(pk=to.pk)
    taken: dict[int, set[int]] = defaultdict(set)
    for juror_id, entry_id in Assignment.objects.filter(round=round).values_list("juror_id", "entry_id"):
        taken[juror_id].add(entry_id)
    candidates = [_Candidate(juror=other, load=other.load, entries=taken[other.pk]) for other in others]
    moves, problems = _plan(to, chosen, candidates)
    if problems:
        raise _refusal(problems)
    for entry, target in moves:
        assignment_remove(actor=actor, round=round, juror=juror, entry=entry)
        assignment_add(actor=actor, round=round, juror=target.juror, entry=entry)
    return [Move(entry=entry, to=target.juror) for entry, target in moves]
