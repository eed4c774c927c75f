"""Writes of rounds: creating and configuring them, their entries and jurors, opening, closing, shortlisting.

Every function checks who acts and the round's state itself; a broken rule raises
:class:`~config.exceptions.BaigeError` with a message for the person who tried, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.activity_log import bulk_create_logged, delete_logged, update_logged
from config.exceptions import BaigeError, NotAllowed
from contest.enums import EntryStatus
from contest.models import Contest, Entry
from contest.services import Actor, contest_ensure_organiser
from contest.texts import TEXT_LANGUAGES, has_text, texts_set
from judging.assignment import assignment_fill
from judging.coverage import round_follow_shortlist, round_members_take, unjudged_ensure_confirmed
from judging.enums import ParticipantView, RoundStatus
from judging.models import (
    MAX_FEEDBACK_MIN_LENGTH,
    Assignment,
    Criterion,
    Juror,
    Results,
    Review,
    Round,
    RoundEntry,
    RoundJuror,
)
from judging.services.round_notices import round_opened_notify


class RoundNotOpen(BaigeError):
    """The round does not take reviews now: not opened yet, or closed."""

    status_code = 409
    code = "round_not_open"


def _ensure_aware(*moments: datetime | None) -> None:
    if any(moment is not None and timezone.is_naive(moment) for moment in moments):
        # A naive time would be read in the server's zone, not the contest's: refuse rather than guess.
        raise BaigeError(_("Every date and time needs its time zone."))


def _submitted_entries(contest: Contest) -> list[Entry]:
    return list(Entry.objects.filter(contest=contest).eligible().order_by("pk"))


def _check_round_members(contest: Contest, entries: Sequence[Entry], jurors: Sequence[Juror]) -> None:
    if any(entry.contest_id != contest.pk for entry in entries):
        raise NotAllowed(_("This entry belongs to another contest."))
    if any(juror.contest_id != contest.pk for juror in jurors):
        raise NotAllowed(_("This juror belongs to another contest's jury."))
    unsubmitted = sorted(entry.code for entry in entries if entry.status != EntryStatus.SUBMITTED)
    if unsubmitted:
        raise BaigeError(
            _("Only submitted entries can be judged; these are not: %(codes)s") % {"codes": ", ".join(unsubmitted)}
        )
    # Read from the database, not from the caller's copies, which may be older than a disqualification.
    disqualified = sorted(
        Entry.objects.filter(pk__in=[entry.pk for entry in entries], disqualified_at__isnull=False).values_list(
            "code", flat=True
        )
    )
    if disqualified:
        raise BaigeError(
            _("Disqualified entries cannot be judged; reinstate them first: %(codes)s")
            % {"codes": ", ".join(disqualified)},
            code="disqualified",
        )


def _check_round_settings(round: Round) -> None:
    if not has_text(round, "name"):
        raise BaigeError(_("Give the round's name in at least one language."))
    if round.reviews_per_entry is not None and round.reviews_per_entry < 1:
        raise BaigeError(_("Each entry needs at least one review."))
    _ensure_aware(round.opens_at, round.closes_at)
    if round.opens_at is not None and round.closes_at is not None and round.closes_at <= round.opens_at:
        raise BaigeError(_("A round must close after it opens."))
    if not 0 <= round.feedback_min_length <= MAX_FEEDBACK_MIN_LENGTH:
        raise BaigeError(_("The shortest feedback is from 0 to %(max)d characters.") % {"max": MAX_FEEDBACK_MIN_LENGTH})
    if round.feedback_min_length and not round.feedback_required:
        raise BaigeError(_("A shortest length of the feedback needs the feedback to be required."))
    if round.participant_view not in ParticipantView.values:
        raise BaigeError(
            _("Unknown choice of what entrants see: %(value)s. Choose from: %(choices)s.")
            % {"value": round.participant_view, "choices": ", ".join(ParticipantView.values)}
        )


@transaction.atomic
def round_create(
    *,
    actor: Actor,
    contest: Contest,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    reviews_per_entry: int | None = 3,
    blind: bool = True,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    source_round: Round | None = None,
    entries: Sequence[Entry] | None = None,
    jurors: Sequence[Juror] | None = None,
    feedback_required: bool = False,
    feedback_min_length: int = 0,
    participant_view: str = ParticipantView.OUTCOME,
) -> Round:
    """Add the next round of judging.

    Without ``entries`` it takes the shortlist of ``source_round`` or, for a first round, every
    submitted entry; without ``jurors``, the whole jury. ``reviews_per_entry=None`` means that
    every juror scores every entry.
    """
    contest_ensure_organiser(actor, contest)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if source_round is not None and source_round.contest_id != contest.pk:
        raise NotAllowed(_("This round belongs to another contest."))
    round = Round(contest=contest, reviews_per_entry=reviews_per_entry, blind=blind, opens_at=opens_at)
    round.closes_at = closes_at
    round.source_round = source_round
    round.feedback_required = feedback_required
    round.feedback_min_length = feedback_min_length
    round.participant_view = participant_view
    texts_set(round, "name", {"kk": name_kk, "ru": name_ru, "en": name_en})
    _check_round_settings(round)
    if entries is None:
        if source_round is not None:
            entries = list(
                Entry.objects.filter(
                    round_links__round=source_round, round_links__shortlisted=True, disqualified_at__isnull=True
                ).order_by("pk")
            )
            if not entries:
                raise BaigeError(
                    _("Round “%(round)s” has no shortlisted entries to judge yet.") % {"round": source_round}
                )
        else:
            entries = _submitted_entries(contest)
    if jurors is None:
        jurors = list(Juror.objects.filter(contest=contest).order_by("pk"))
    _check_round_members(contest, entries, jurors)
    round.number = (Round.objects.filter(contest=contest).aggregate(last=Max("number"))["last"] or 0) + 1
    round.save()
    bulk_create_logged(RoundEntry, (RoundEntry(round=round, entry=entry) for entry in entries))
    bulk_create_logged(RoundJuror, (RoundJuror(round=round, juror=juror) for juror in jurors))
    return round


ROUND_FIELDS = (
    *(f"name_{language}" for language in TEXT_LANGUAGES),
    "reviews_per_entry",
    "blind",
    "opens_at",
    "closes_at",
    "feedback_required",
    "feedback_min_length",
    "participant_view",
)


def round_locked(actor: Actor | None, round: Round) -> Round:
    """The round locked for update, once ``actor`` is found to organise its contest (``None``: the server itself)."""
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    return Round.objects.select_for_update().select_related("contest").get(pk=round.pk)


def round_ensure_not_closed(round: Round) -> None:
    """Refuse any change to a closed round."""
    if round.status == RoundStatus.CLOSED:
        raise RoundNotOpen(_("Round “%(round)s” is closed: nothing in it can change any more.") % {"round": round})


@transaction.atomic
def round_update(*, actor: Actor, round: Round, **fields: Any) -> Round:
    """Change a round's name, reviews per entry, blindness, times or feedback settings while it is not closed."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round = round_locked(actor, round)
    round_ensure_not_closed(round)
    if "participant_view" in fields and fields["participant_view"] != round.participant_view:
        _ensure_participant_view_open(round)
    for name, value in fields.items():
        setattr(round, name, value.strip() if isinstance(value, str) else value)
    _check_round_settings(round)
    round.save()
    return round


def _ensure_participant_view_open(round: Round) -> None:
    """Refuse to change what entrants see once any of the contest's results are finalised."""
    if Results.objects.filter(round__contest_id=round.contest_id).exists():
        raise BaigeError(
            _("The contest's results are finalised: what entrants see of round “%(round)s” can no longer change.")
            % {"round": round},
            code="participant_view_fixed",
        )


@transaction.atomic
def round_participant_view_set(*, actor: Actor | None, round: Round, view: str) -> Round:
    """Choose what the round's entrants will see of its results; fixed once any round of the contest is finalised.

    A round with results of its own shows what was chosen at their finalisation; a round without (a
    screening round) shows this setting once the contest's results are published, so it is locked from
    the contest's first finalisation on, before anyone can see it.
    """
    round = round_locked(actor, round)
    if view not in ParticipantView.values:
        raise BaigeError(_("Unknown choice of what entrants see: %(name)s.") % {"name": view}, code="unknown_view")
    _ensure_participant_view_open(round)
    round.participant_view = view
    round.save(update_fields=["participant_view"])
    return round


def _refuse_if_reviewed(round: Round, *, entries: Iterable[int] = (), jurors: Iterable[int] = ()) -> None:
    reviewed = Review.objects.filter(round=round).filter(Q(entry_id__in=list(entries)) | Q(juror_id__in=list(jurors)))
    if reviewed.exists():
        raise BaigeError(
            _("Entries and jurors with reviews in this round cannot be taken out of it."), code="has_reviews"
        )


@transaction.atomic
def round_entries_set(*, actor: Actor, round: Round, entries: Sequence[Entry]) -> Round:
    """Set which entries a round judges; an entry taken out loses its assignments in the round."""
    round = round_locked(actor, round)
    round_ensure_not_closed(round)
    _check_round_members(round.contest, entries, [])
    wanted = {entry.pk for entry in entries}
    current = set(RoundEntry.objects.filter(round=round).values_list("entry_id", flat=True))
    _refuse_if_reviewed(round, entries=current - wanted)
    delete_logged(RoundEntry.objects.filter(round=round, entry_id__in=current - wanted))
    delete_logged(Assignment.objects.filter(round=round, entry_id__in=current - wanted))
    bulk_create_logged(RoundEntry, (RoundEntry(round=round, entry_id=pk) for pk in sorted(wanted - current)))
    return round


@transaction.atomic
def round_jurors_set(*, actor: Actor, round: Round, jurors: Sequence[Juror]) -> Round:
    """Set which jurors a round has; a juror taken out loses their assignments in the round."""
    round = round_locked(actor, round)
    round_ensure_not_closed(round)
    _check_round_members(round.contest, [], jurors)
    wanted = {juror.pk for juror in jurors}
    current = set(RoundJuror.objects.filter(round=round).values_list("juror_id", flat=True))
    _refuse_if_reviewed(round, jurors=current - wanted)
    delete_logged(RoundJuror.objects.filter(round=round, juror_id__in=current - wanted))
    delete_logged(Assignment.objects.filter(round=round, juror_id__in=current - wanted))
    bulk_create_logged(RoundJuror, (RoundJuror(round=round, juror_id=pk) for pk in sorted(wanted - current)))
    return round


@transaction.atomic
def round_configure(*, actor: Actor, round: Round, jurors: Sequence[Juror], **fields: Any) -> Round:
    """Change a round's settings (as :func:`round_update` takes them) and its jurors together, all or nothing."""
    round = round_update(actor=actor, round=round, **fields)
    return round_jurors_set(actor=actor, round=round, jurors=jurors)


@transaction.atomic
def round_open(*, actor: Actor | None, round: Round, now: datetime | None = None) -> Round:
    """Open a round for reviews: it needs a rubric, entries and jurors; each of its jurors is e-mailed once.

    A round takes the entries and jurors it lacks first (:func:`judging.coverage.round_members_take`),
    and once open every entry gets the jurors it lacks (:func:`judging.assignment.assignment_fill`;
    what cannot be covered shows on the progress page). ``actor=None`` is the server's command line.
    """
    now = now or timezone.now()
    round = round_locked(actor, round)
    if round.status != RoundStatus.DRAFT:
        raise BaigeError(_("Only a round being prepared can be opened."), code="not_draft")
    round_members_take(round)
    if not Criterion.objects.filter(rubric__contest=round.contest).exists():
        raise BaigeError(_("Add the rubric's criteria before opening a round."), code="no_rubric")
    if not RoundEntry.objects.filter(round=round).exists():
        raise BaigeError(_("The round has no entries."), code="no_entries")
    if not RoundJuror.objects.filter(round=round).exists():
        raise BaigeError(_("The round has no jurors."), code="no_jurors")
    if round.closes_at is not None and round.closes_at <= now:
        raise BaigeError(_("The round's closing time has already passed."), code="closing_passed")
    round.status = RoundStatus.OPEN
    round.schedule_problem = ""
    round.save(update_fields=["status", "schedule_problem"])
    assignment_fill(actor=None, round=round)
    round_opened_notify(round=round, now=now)
    return round


@transaction.atomic
def round_close(
    *, actor: Actor | None, round: Round, now: datetime | None = None, confirm_unjudged: bool = False
) -> Round:
    """Close an open round: from now on its reviews cannot change.

    While a submitted entry of the contest is in no round, it is refused with their list
    (:class:`judging.coverage.UnjudgedEntries`) unless ``confirm_unjudged``.
    """
    round = round_locked(actor, round)
    if round.status != RoundStatus.OPEN:
        raise BaigeError(_("Only an open round can be closed."), code="not_open")
    unjudged_ensure_confirmed(round.contest, confirm_unjudged=confirm_unjudged)
    round.status = RoundStatus.CLOSED
    round.closed_at = now or timezone.now()
    round.schedule_problem = ""
    round.save(update_fields=["status", "closed_at", "schedule_problem"])
    return round


@transaction.atomic
def round_shortlist(*, actor: Actor, round: Round, entries: Sequence[Entry]) -> Round:
    """Mark exactly ``entries`` as going on from a closed round to the next one."""
    round = round_locked(actor, round)
    if round.status != RoundStatus.CLOSED:
        raise BaigeError(_("Close the round before shortlisting its entries."))
    wanted = {entry.pk for entry in entries}
    members = set(RoundEntry.objects.filter(round=round).values_list("entry_id", flat=True))
    if wanted - members:
        raise BaigeError(_("Only entries of this round can be shortlisted from it."))
    disqualified = sorted(
        Entry.objects.filter(pk__in=wanted, disqualified_at__isnull=False).values_list("code", flat=True)
    )
    if disqualified:
        raise BaigeError(
            _("Disqualified entries cannot be shortlisted: %(codes)s") % {"codes": ", ".join(disqualified)},
            code="disqualified",
        )
    update_logged(
        RoundEntry.objects.filter(round=round, shortlisted=True).exclude(entry_id__in=wanted), shortlisted=False
    )
    update_logged(RoundEntry.objects.filter(round=round, shortlisted=False, entry_id__in=wanted), shortlisted=True)
    round_follow_shortlist(round)
    return round
