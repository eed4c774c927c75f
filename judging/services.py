"""Writes for judging: the rubric, rounds, the jury and its conflicts, assignments by hand, reviews.

Every function checks who acts and the round's state itself; a broken rule raises
:class:`~config.exceptions.BaigeError` with a message for the person who tried, and nothing is saved.
The automatic assignment lives in :mod:`judging.assignment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError, NotAllowed
from contest.enums import EntryStatus, Language, Role
from contest.models import Contest, ContestRole, Entry, ParticipantProfile, University
from contest.services import Actor, contest_ensure_organiser, contest_format_time
from contest.slugs import unique_slug
from contest.texts import TEXT_LANGUAGES
from judging.assignment import AssignmentRun, assignment_fill, assignment_run
from judging.coverage import round_follow_shortlist, round_members_take, unjudged_ensure_confirmed
from judging.enums import AssignmentOrigin, ReviewChangeKind, ReviewStatus, RoundStatus
from judging.models import (
    MAX_SCALE,
    Assignment,
    AssignmentRemoval,
    Criterion,
    CriterionLevel,
    Juror,
    Review,
    ReviewChange,
    Round,
    RoundEntry,
    RoundJuror,
    Rubric,
    Score,
)
from judging.selectors import entrant_condition, juror_conflict_reason


class RoundNotOpen(BaigeError):
    """The round does not take reviews now: not opened yet, or closed."""

    status_code = 409
    code = "round_not_open"


def _texts(obj: Any, field: str, texts: Mapping[str, str]) -> None:
    for language in TEXT_LANGUAGES:
        setattr(obj, f"{field}_{language}", (texts.get(language) or "").strip())


def _has_text(obj: Any, field: str) -> bool:
    return any((getattr(obj, f"{field}_{language}") or "").strip() for language in TEXT_LANGUAGES)


def _clean_or_refuse(obj: Any, *, exclude: Sequence[str] = ()) -> None:
    """Run the model's own checks; what they refuse becomes one message."""
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as invalid:
        raise BaigeError(" ".join(invalid.messages)) from invalid


def _ensure_aware(*moments: datetime | None) -> None:
    if any(moment is not None and timezone.is_naive(moment) for moment in moments):
        # A naive time would be read in the server's zone, not the contest's: refuse rather than guess.
        raise BaigeError(_("Every date and time needs its time zone."))


# --- Rubric ----------------------------------------------------------------------------------


def _rubric_locked(contest: Contest) -> Rubric:
    Rubric.objects.get_or_create(contest=contest)
    return Rubric.objects.select_for_update().get(contest=contest)


def rubric_ensure_editable(rubric: Rubric) -> None:
    """Refuse once jurors have started scoring: from the first saved score on, the rubric is frozen."""
    if rubric.frozen_at is not None:
        raise BaigeError(
            _(
                "The rubric can no longer be changed: jurors have been scoring with it since %(date)s. "
                "Changing criteria, weights or scales now would make their scores incomparable."
            )
            % {"date": contest_format_time(rubric.contest, rubric.frozen_at)},
            code="rubric_frozen",
        )


@transaction.atomic
def rubric_criterion_save(
    *,
    actor: Actor,
    contest: Contest,
    criterion: Criterion | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    weight: Decimal | int | str = 1,
    max_score: int = 5,
    order: int = 0,
    slug: str = "",
    levels: Mapping[int, Mapping[str, str]] | None = None,
) -> Criterion:
    """Add a criterion to the contest's rubric, or change one, until the first score is saved.

    ``levels`` maps a score (0..max_score) to its descriptor by language; given, it replaces the
    criterion's descriptors. Lowering ``max_score`` drops the descriptors above it.
    """
    contest_ensure_organiser(actor, contest)
    rubric = _rubric_locked(contest)
    rubric_ensure_editable(rubric)
    if criterion is None:
        criterion = Criterion(rubric=rubric)
    else:
        locked = Criterion.objects.select_for_update().filter(pk=criterion.pk, rubric=rubric).first()
        if locked is None:
            raise NotAllowed(_("This criterion belongs to another contest."))
        criterion = locked
    names = {"kk": name_kk, "ru": name_ru, "en": name_en}
    _texts(criterion, "name", names)
    if not _has_text(criterion, "name"):
        raise BaigeError(_("Give the criterion's name in at least one language."))
    _texts(criterion, "description", {"kk": description_kk, "ru": description_ru, "en": description_en})
    try:
        criterion.weight = Decimal(str(weight))
    except InvalidOperation as wrong:
        raise BaigeError(_("The weight must be a number.")) from wrong
    if not criterion.weight.is_finite() or criterion.weight <= 0:
        raise BaigeError(_("The weight must be greater than zero."))
    if isinstance(max_score, bool) or not isinstance(max_score, int) or not 1 <= max_score <= MAX_SCALE:
        raise BaigeError(_("The highest score must be a whole number from 1 to %(max)d.") % {"max": MAX_SCALE})
    criterion.max_score = max_score
    criterion.order = order
    taken = set(Criterion.objects.filter(rubric=rubric).exclude(pk=criterion.pk).values_list("slug", flat=True))
    if slug.strip():
        if slug.strip() in taken:
            raise BaigeError(_("The short name “%(slug)s” is already used in this rubric.") % {"slug": slug.strip()})
        criterion.slug = slug.strip()
    elif not criterion.slug:
        source = names["en"].strip() or names["ru"].strip() or names["kk"].strip()
        criterion.slug = unique_slug(source, taken=taken, max_length=80, fallback="criterion")
    _clean_or_refuse(criterion, exclude=["rubric"])
    criterion.save()
    if levels is not None:
        if any(not isinstance(score, int) or not 0 <= score <= max_score for score in levels):
            raise BaigeError(
                _("Descriptors can only be given for scores from 0 to %(max)d.") % {"max": max_score},
            )
        criterion.levels.all().delete()
        made = []
        for score, texts in sorted(levels.items()):
            level = CriterionLevel(criterion=criterion, score=score)
            _texts(level, "descriptor", texts)
            if _has_text(level, "descriptor"):
                made.append(level)
        CriterionLevel.objects.bulk_create(made)
    else:
        criterion.levels.filter(score__gt=max_score).delete()
    return criterion


@transaction.atomic
def rubric_criterion_delete(*, actor: Actor, criterion: Criterion) -> None:
    """Delete a criterion while the rubric is not frozen."""
    contest = criterion.rubric.contest
    contest_ensure_organiser(actor, contest)
    rubric_ensure_editable(_rubric_locked(contest))
    criterion.delete()


# --- The jury --------------------------------------------------------------------------------


def _check_languages(languages: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(languages))
    unknown = [code for code in chosen if code not in Language.values]
    if unknown:
        raise BaigeError(_("Unknown language: %(codes)s") % {"codes": ", ".join(unknown)})
    return chosen


@transaction.atomic
def juror_add(
    *,
    actor: Actor,
    contest: Contest,
    user: Any,
    university: University | None = None,
    languages: Iterable[str] = (),
    max_load: int | None = None,
) -> Juror:
    """Put a person on the contest's jury; their university defaults to the one in their profile."""
    contest_ensure_organiser(actor, contest)
    if Juror.objects.filter(contest=contest, user=user).exists():
        raise BaigeError(_("%(user)s is already on this contest's jury.") % {"user": user.email or user})
    if university is None:
        profile = ParticipantProfile.objects.filter(user=user).select_related("university").first()
        university = profile.university if profile is not None else None
    if max_load is not None and max_load < 0:
        raise BaigeError(_("The most entries per round cannot be negative."))
    juror = Juror.objects.create(
        contest=contest,
        user=user,
        university=university,
        languages=_check_languages(languages),
        max_load=max_load,
    )
    ContestRole.objects.get_or_create(contest=contest, user=user, role=Role.JUROR)
    return juror


JUROR_FIELDS = ("university", "languages", "max_load")


@transaction.atomic
def juror_update(*, actor: Actor, juror: Juror, **fields: Any) -> Juror:
    """Change a juror's university, languages or most entries per round (``None``: no limit)."""
    contest_ensure_organiser(actor, juror.contest)
    unknown = set(fields) - set(JUROR_FIELDS)
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    if "languages" in fields:
        fields["languages"] = _check_languages(fields["languages"])
    if fields.get("max_load") is not None and fields["max_load"] < 0:
        raise BaigeError(_("The most entries per round cannot be negative."))
    for name, value in fields.items():
        setattr(juror, name, value)
    juror.save(update_fields=list(fields))
    return juror


# --- Rounds ----------------------------------------------------------------------------------


def _submitted_entries(contest: Contest) -> list[Entry]:
    return list(Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).order_by("pk"))


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


def _check_round_settings(round: Round) -> None:
    if not _has_text(round, "name"):
        raise BaigeError(_("Give the round's name in at least one language."))
    if round.reviews_per_entry is not None and round.reviews_per_entry < 1:
        raise BaigeError(_("Each entry needs at least one review."))
    _ensure_aware(round.opens_at, round.closes_at)
    if round.opens_at is not None and round.closes_at is not None and round.closes_at <= round.opens_at:
        raise BaigeError(_("A round must close after it opens."))


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
    _texts(round, "name", {"kk": name_kk, "ru": name_ru, "en": name_en})
    _check_round_settings(round)
    if entries is None:
        if source_round is not None:
            entries = list(
                Entry.objects.filter(round_links__round=source_round, round_links__shortlisted=True).order_by("pk")
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
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in entries)
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in jurors)
    return round


ROUND_FIELDS = (
    *(f"name_{language}" for language in TEXT_LANGUAGES),
    "reviews_per_entry",
    "blind",
    "opens_at",
    "closes_at",
)


def _round_locked(actor: Actor | None, round: Round) -> Round:
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    return Round.objects.select_for_update().select_related("contest").get(pk=round.pk)


def _ensure_not_closed(round: Round) -> None:
    if round.status == RoundStatus.CLOSED:
        raise RoundNotOpen(_("Round “%(round)s” is closed: nothing in it can change any more.") % {"round": round})


@transaction.atomic
def round_update(*, actor: Actor, round: Round, **fields: Any) -> Round:
    """Change a round's name, reviews per entry, blindness or times while it is not closed."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round = _round_locked(actor, round)
    _ensure_not_closed(round)
    for name, value in fields.items():
        setattr(round, name, value.strip() if isinstance(value, str) else value)
    _check_round_settings(round)
    round.save()
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
    round = _round_locked(actor, round)
    _ensure_not_closed(round)
    _check_round_members(round.contest, entries, [])
    wanted = {entry.pk for entry in entries}
    current = set(RoundEntry.objects.filter(round=round).values_list("entry_id", flat=True))
    _refuse_if_reviewed(round, entries=current - wanted)
    RoundEntry.objects.filter(round=round, entry_id__in=current - wanted).delete()
    Assignment.objects.filter(round=round, entry_id__in=current - wanted).delete()
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry_id=pk) for pk in sorted(wanted - current))
    return round


@transaction.atomic
def round_jurors_set(*, actor: Actor, round: Round, jurors: Sequence[Juror]) -> Round:
    """Set which jurors a round has; a juror taken out loses their assignments in the round."""
    round = _round_locked(actor, round)
    _ensure_not_closed(round)
    _check_round_members(round.contest, [], jurors)
    wanted = {juror.pk for juror in jurors}
    current = set(RoundJuror.objects.filter(round=round).values_list("juror_id", flat=True))
    _refuse_if_reviewed(round, jurors=current - wanted)
    RoundJuror.objects.filter(round=round, juror_id__in=current - wanted).delete()
    Assignment.objects.filter(round=round, juror_id__in=current - wanted).delete()
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror_id=pk) for pk in sorted(wanted - current))
    return round


@transaction.atomic
def round_configure(*, actor: Actor, round: Round, jurors: Sequence[Juror], **fields: Any) -> Round:
    """Change a round's settings (as :func:`round_update` takes them) and its jurors together, all or nothing."""
    round = round_update(actor=actor, round=round, **fields)
    return round_jurors_set(actor=actor, round=round, jurors=jurors)


@transaction.atomic
def round_open(*, actor: Actor | None, round: Round, now: datetime | None = None) -> Round:
    """Open a round for reviews: it needs a rubric, entries and jurors.

    A round takes the entries and jurors it lacks first (:func:`judging.coverage.round_members_take`),
    and once open every entry gets the jurors it lacks (:func:`judging.assignment.assignment_fill`;
    what cannot be covered shows on the progress page). ``actor=None`` is the server's command line.
    """
    now = now or timezone.now()
    round = _round_locked(actor, round)
    if round.status != RoundStatus.DRAFT:
        raise BaigeError(_("Only a round being prepared can be opened."))
    round_members_take(round)
    if not Criterion.objects.filter(rubric__contest=round.contest).exists():
        raise BaigeError(_("Add the rubric's criteria before opening a round."))
    if not RoundEntry.objects.filter(round=round).exists():
        raise BaigeError(_("The round has no entries."))
    if not RoundJuror.objects.filter(round=round).exists():
        raise BaigeError(_("The round has no jurors."))
    if round.closes_at is not None and round.closes_at <= now:
        raise BaigeError(_("The round's closing time has already passed."))
    round.status = RoundStatus.OPEN
    round.save(update_fields=["status"])
    assignment_fill(actor=None, round=round)
    return round


@transaction.atomic
def round_close(
    *, actor: Actor | None, round: Round, now: datetime | None = None, confirm_unjudged: bool = False
) -> Round:
    """Close an open round: from now on its reviews cannot change.

    While a submitted entry of the contest is in no round, it is refused with their list
    (:class:`judging.coverage.UnjudgedEntries`) unless ``confirm_unjudged``.
    """
    round = _round_locked(actor, round)
    if round.status != RoundStatus.OPEN:
        raise BaigeError(_("Only an open round can be closed."))
    unjudged_ensure_confirmed(round.contest, confirm_unjudged=confirm_unjudged)
    round.status = RoundStatus.CLOSED
    round.closed_at = now or timezone.now()
    round.save(update_fields=["status", "closed_at"])
    return round


@transaction.atomic
def round_shortlist(*, actor: Actor, round: Round, entries: Sequence[Entry]) -> Round:
    """Mark exactly ``entries`` as going on from a closed round to the next one."""
    round = _round_locked(actor, round)
    if round.status != RoundStatus.CLOSED:
        raise BaigeError(_("Close the round before shortlisting its entries."))
    wanted = {entry.pk for entry in entries}
    members = set(RoundEntry.objects.filter(round=round).values_list("entry_id", flat=True))
    if wanted - members:
        raise BaigeError(_("Only entries of this round can be shortlisted from it."))
    RoundEntry.objects.filter(round=round).update(shortlisted=False)
    RoundEntry.objects.filter(round=round, entry_id__in=wanted).update(shortlisted=True)
    round_follow_shortlist(round)
    return round


# --- Assignments by hand ---------------------------------------------------------------------


def _ensure_member(round: Round, juror: Juror, entry: Entry) -> None:
    if not RoundJuror.objects.filter(round=round, juror=juror).exists():
        raise BaigeError(_("%(juror)s is not a juror of this round.") % {"juror": juror})
    if not RoundEntry.objects.filter(round=round, entry=entry).exists():
        raise BaigeError(_("Entry %(code)s is not part of this round.") % {"code": entry.code})


@transaction.atomic
def assignment_add(*, actor: Actor, round: Round, juror: Juror, entry: Entry) -> Assignment:
    """Assign a juror to an entry by hand, under the same rules as the automatic assignment."""
    round = _round_locked(actor, round)
    _ensure_not_closed(round)
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
    round = _round_locked(actor, round)
    _ensure_not_closed(round)
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


# --- Reviews ---------------------------------------------------------------------------------

#: Scores by criterion id; ``None`` clears a draft's score.
Scores = Mapping[int, int | None]


def _ensure_accepts_reviews(round: Round, now: datetime) -> None:
    if round.status == RoundStatus.CLOSED:
        raise RoundNotOpen(_("Round “%(round)s” is closed: its reviews can no longer change.") % {"round": round})
    if round.status == RoundStatus.DRAFT or (round.opens_at is not None and now < round.opens_at):
        # Only a time still to come: a round being prepared opens when the organisers open it.
        when = (
            _(" It opens on %(date)s.") % {"date": contest_format_time(round.contest, round.opens_at)}
            if round.opens_at is not None and now < round.opens_at
            else ""
        )
        raise RoundNotOpen(_("Round “%(round)s” is not open yet.") % {"round": round} + when)
    if round.closes_at is not None and now >= round.closes_at:
        raise RoundNotOpen(
            _("Round “%(round)s” closed on %(date)s: its reviews can no longer change.")
            % {"round": round, "date": contest_format_time(round.contest, round.closes_at)}
        )


def _round_share_locked(round: Round) -> Round:
    """The round, read under a lock that closing it waits for, but that other jurors' reviews share.

    Reviews of one round are written side by side; closing the round (``FOR UPDATE``) waits for those
    in progress and then keeps new ones out, so no review changes once the round is closed.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Round._meta.db_table)
        locked = list(Round.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [round.pk]))  # noqa: S608
        if locked:
            return locked[0]
    return Round.objects.select_for_update().get(pk=round.pk)


def _own_entry(user_id: int) -> Q:
    """On assignments: whether the person wrote or co-wrote the assignment's entry."""
    return entrant_condition(user_id, entry_id="entry_id", author_id="entry__author_id")


def _review_locked(actor: Actor, round: Round, entry: Entry, now: datetime) -> Review:
    """The actor's review of the entry (created empty if new) with its scores, the round share-locked."""
    if not actor.is_authenticated:
        raise NotAllowed(_("Log in to review entries."))
    round = _round_share_locked(round)
    assignment = (
        Assignment.objects.filter(round=round, juror__user=actor, entry=entry)
        .select_related("juror")
        # Nobody judges their own entry, whatever assignment exists: read in the same query.
        .annotate(own_entry=ExpressionWrapper(_own_entry(actor.pk), output_field=BooleanField()))
        .first()
    )
    if assignment is None:
        raise NotAllowed(_("This entry is not assigned to you in this round."), code="not_assigned")
    juror = assignment.juror
    if assignment.own_entry:
        raise NotAllowed(_("You cannot review an entry you wrote or co-wrote."), code="own_entry")
    _ensure_accepts_reviews(round, now)
    # ``of=("self",)``: only the review row; the default ordering would join (and lock) the round, entry and juror.
    reviews = (
        Review.objects.select_for_update(of=("self",))
        .filter(round=round, juror=juror, entry=entry)
        .order_by()
        .prefetch_related("scores")
    )
    review = reviews.first()
    if review is None:
        try:
            with transaction.atomic():
                review = Review.objects.create(round=round, juror=juror, entry=entry)
        except IntegrityError:
            # The same juror saved from another tab a moment ago.
            review = reviews.first()
        assert review is not None
    review.round = round
    review.juror = juror
    review.entry = entry
    return review


def _rubric_criteria(contest_id: int) -> list[Criterion]:
    return list(
        Criterion.objects.filter(rubric__contest_id=contest_id).select_related("rubric").order_by("order", "id")
    )


def _freeze_rubric(criteria: Sequence[Criterion], now: datetime) -> None:
    """Freeze the rubric at its first score; a no-op (and no lock) once it is frozen."""
    if criteria and criteria[0].rubric.frozen_at is None:
        # Waits for an organiser editing the rubric; the criteria are read again after it.
        Rubric.objects.filter(pk=criteria[0].rubric_id, frozen_at__isnull=True).update(frozen_at=now)


def _snapshot(scores: Mapping[int, int], comment: str) -> dict[str, Any]:
    return {"scores": {str(criterion_id): scores[criterion_id] for criterion_id in sorted(scores)}, "comment": comment}


def _apply_scores(review: Review, scores: Scores, now: datetime) -> list[Criterion]:
    """Check every score against its criterion's scale, then write them (freezing the rubric).

    Returns the rubric's criteria in order; the review's ``scores`` are left as they now are.
    """
    contest_id = review.round.contest_id
    criteria = _rubric_criteria(contest_id)
    if any(value is not None for value in scores.values()) and criteria and criteria[0].rubric.frozen_at is None:
        _freeze_rubric(criteria, now)
        criteria = _rubric_criteria(contest_id)
    by_id = {criterion.pk: criterion for criterion in criteria}
    for criterion_id, value in scores.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            raise BaigeError(_("This criterion is not part of the contest's rubric."))
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            raise BaigeError(
                _("“%(criterion)s” is scored with a whole number from 0 to %(max)d.")
                % {"criterion": criterion, "max": criterion.max_score},
                code="score_out_of_range",
            )
    existing = {score.criterion_id: score for score in review.scores.all()}
    changed, created, removed = [], [], []
    for criterion_id, value in scores.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                removed.append(existing.pop(criterion_id).pk)
        elif score is None:
            existing[criterion_id] = Score(
                review=review, criterion_id=criterion_id, value=value, max_score=by_id[criterion_id].max_score
            )
            created.append(existing[criterion_id])
        elif score.value != value:
            score.value = value
            changed.append(score)
    if removed:
        Score.objects.filter(pk__in=removed).delete()
    if created:
        Score.objects.bulk_create(created)
    if changed:
        Score.objects.bulk_update(changed, ["value"])
    # The review's scores as they now stand, with their criteria, for whoever reads them next.
    for score in existing.values():
        score.criterion = by_id[score.criterion_id]
    ordered = sorted(existing.values(), key=lambda score: (score.criterion.order, score.criterion_id))
    review._prefetched_objects_cache = {"scores": ordered}  # type: ignore[attr-defined]
    return criteria


def _current_scores(review: Review) -> dict[int, int]:
    return {score.criterion_id: score.value for score in review.scores.all()}


@transaction.atomic
def review_save_draft(
    *,
    actor: Actor,
    round: Round,
    entry: Entry,
    scores: Scores,
    comment: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Save a juror's unfinished review of an assigned entry while the round is open (autosave)."""
    now = now or timezone.now()
    review = _review_locked(actor, round, entry, now)
    if review.is_submitted:
        raise BaigeError(
            _("This review is already submitted: submit your changes to it instead."), code="review_submitted"
        )
    _apply_scores(review, scores, now)
    fields = ["updated_at"]
    if comment is not None:
        review.comment = comment.strip()
        fields.append("comment")
    review.save(update_fields=fields)
    return review


@transaction.atomic
def review_submit(
    *,
    actor: Actor,
    round: Round,
    entry: Entry,
    scores: Scores | None = None,
    comment: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Submit a review (every criterion scored), or a change to a submitted one; each is kept in the history."""
    now = now or timezone.now()
    review = _review_locked(actor, round, entry, now)
    before = _snapshot(_current_scores(review), review.comment) if review.is_submitted else None
    criteria = _apply_scores(review, scores or {}, now)
    if comment is not None:
        review.comment = comment.strip()
    if not criteria:
        raise BaigeError(_("The rubric has no criteria yet."))
    scored = _current_scores(review)
    missing = [str(criterion) for criterion in criteria if criterion.pk not in scored]
    if missing:
        raise BaigeError(
            _("Score every criterion before submitting; missing: %(criteria)s") % {"criteria": ", ".join(missing)},
            code="review_incomplete",
        )
    after = _snapshot(scored, review.comment)
    if before == after:
        return review
    kind = ReviewChangeKind.REVISED if review.is_submitted else ReviewChangeKind.SUBMITTED
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = review.submitted_at or now
    review.save(update_fields=["status", "submitted_at", "comment", "updated_at"])
    ReviewChange.objects.create(review=review, kind=kind, changed_by_id=actor.pk, changed_at=now, old=before, new=after)
    return review
