"""Writes to contests and entries. Every function checks who may do it with the predicates of contest.rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.activity_log import bulk_create_logged
from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError, DeadlinePassed, NotAllowed, full_clean_or_refuse
from contest.enums import EligibilityAct, EntryStatus, SubmissionWindow
from contest.models import (
    DISQUALIFICATION_REASON_LENGTH,
    CoAuthor,
    Contest,
    Entry,
    EntryEligibilityEvent,
    Nomination,
    ParticipantProfile,
    Platform,
    University,
)
from contest.rules import contest_accepts_entries, is_entry_author, is_not_disqualified
from contest.signals import entries_status_changed, entry_deleting, entry_eligibility_changed
from contest.slugs import slug_in_contest, slug_taken
from contest.texts import TEXT_LANGUAGES, has_text
from contest.validators import validate_timezone

#: Who acts: a signed-in user (Baige keeps Django's own user model) or an anonymous visitor.
Actor = User | AnonymousUser


@dataclass(frozen=True)
class CoAuthorData:
    full_name: str
    email: str = ""
    university: University | None = None


def contest_format_time(contest: Contest, moment: datetime) -> str:
    """A moment in the contest's own time zone, formatted for the active language."""
    local = timezone.localtime(moment, contest.tzinfo)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({contest.timezone})"


def contest_ensure_accepting(contest: Contest, *, now: datetime | None = None) -> None:
    """Refuse with a clear message unless the contest accepts entries at ``now`` (``contest_accepts_entries``)."""
    # One moment for the rule and for the message, so that both speak of the same side of the deadline.
    now = now or timezone.now()
    if contest_accepts_entries(None, contest, now=now):
        return
    window = contest.submission_window(now)
    if window == SubmissionWindow.UPCOMING:
        raise DeadlinePassed(
            _("Submissions to this contest open on %(date)s.")
            % {"date": contest_format_time(contest, contest.submissions_open)}
        )
    raise DeadlinePassed(
        _("The deadline (%(date)s) has passed: entries can no longer be created, changed or submitted.")
        % {"date": contest_format_time(contest, contest.submissions_close)}
    )


def entry_ensure_author(actor: Actor, entry: Entry) -> None:
    """Refuse unless ``actor`` wrote ``entry`` (``is_entry_author``)."""
    # The predicate, not ``has_perm``: Django grants a superuser every permission, yet only the author changes it.
    if not is_entry_author(actor, entry):
        raise NotAllowed(_("Only the author can change this entry."))


def entry_ensure_not_disqualified(entry: Entry) -> None:
    """Refuse any change by its author to an entry the organisers disqualified (``is_not_disqualified``)."""
    if not is_not_disqualified(None, entry):
        raise NotAllowed(_("The organisers disqualified this entry: it can no longer be changed."))


def _entry_locked_for_change(actor: Actor, entry: Entry, *, now: datetime | None) -> Entry:
    """The entry, locked, once ``contest.change_entry`` holds at ``now``: its author, before the deadline, and
    not disqualified."""
    entry_ensure_author(actor, entry)
    # The deadline and the disqualification are read from the locked row, not from the caller's copy.
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    entry_ensure_not_disqualified(entry)
    contest_ensure_accepting(entry.contest, now=now)
    return entry


def _check_choices(
    contest: Contest, nomination: Nomination, platforms: Sequence[Platform], other_platform: str
) -> None:
    if nomination.contest_id != contest.pk:
        raise BaigeError(_("This nomination belongs to another contest."))
    if not platforms:
        raise BaigeError(_("Choose at least one platform."))
    if any(platform.contest_id != contest.pk for platform in platforms):
        raise BaigeError(_("This platform belongs to another contest."))
    if any(platform.is_other for platform in platforms) and not other_platform.strip():
        raise BaigeError(_("Name the other platform you used."))


def _replace_coauthors(entry: Entry, coauthors: Iterable[CoAuthorData]) -> None:
    entry.coauthors.all().delete()
    bulk_create_logged(
        CoAuthor,
        (
            CoAuthor(entry=entry, full_name=c.full_name, email=c.email, university=c.university, order=index)
            for index, c in enumerate(coauthors)
            if c.full_name.strip()
        ),
    )


def _check_coauthor_universities(
    contest: Contest, coauthors: Sequence[CoAuthorData], *, entry: Entry | None = None
) -> None:
    """A co-author's university is one of the contest's, when the contest lists its universities.

    A university the entry's co-authors already have is left alone, so that an older entry can still be edited.
    """
    had = set(entry.coauthors.values_list("university_id", flat=True)) if entry is not None else set()
    chosen = {
        c.university.pk: c.university
        for c in coauthors
        if c.full_name.strip() and c.university is not None and c.university.pk not in had
    }
    if not chosen:
        return
    listed = set(contest.universities.filter(pk__in=list(chosen)).values_list("pk", flat=True))
    if listed == set(chosen) or not contest.universities.exists():
        return
    names = ", ".join(sorted(chosen[pk].name for pk in set(chosen) - listed))
    raise BaigeError(
        _("A co-author's university must be one of this contest's universities; not: %(names)s") % {"names": names},
        code="coauthor_university",
    )


def _coauthor_identities(coauthors: Iterable[CoAuthor | CoAuthorData]) -> list[tuple[str, int | None]]:
    """Who the co-authors are for conflicts of interest: their e-mail addresses and universities, in any order."""
    return sorted(
        (c.email.strip().lower(), c.university.pk if c.university is not None else None)
        for c in coauthors
        if c.full_name.strip()
    )


def _ensure_coauthors_kept(entry: Entry, coauthors: Sequence[CoAuthorData]) -> None:
    """A submitted entry keeps its co-authors as submitted: juries are assigned to it by who its authors are.

    Names may be corrected; adding or removing a co-author, or changing one's e-mail or university, takes
    withdrawing the entry and submitting it again before the deadline.
    """
    current = entry.coauthors.select_related("university")
    if entry.status == EntryStatus.SUBMITTED and _coauthor_identities(current) != _coauthor_identities(coauthors):
        raise BaigeError(
            _(
                "The co-authors of a submitted entry cannot change: withdraw the entry, change its co-authors "
                "and submit it again before the deadline."
            ),
            code="coauthors_submitted",
        )


def _submission_university(entry: Entry) -> int | None:
    """The author's university for the entry being submitted: their profile's now, else the one it had."""
    taken = ParticipantProfile.objects.filter(user_id=entry.author_id, university__isnull=False)
    return taken.values_list("university_id", flat=True).first() or entry.author_university_id


@transaction.atomic
def entry_create(
    *,
    actor: Actor,
    contest: Contest,
    title: str,
    nomination: Nomination,
    platforms: Sequence[Platform],
    description: str = "",
    other_platform: str = "",
    live_url: str = "",
    consent_to_publish: bool = False,
    coauthors: Iterable[CoAuthorData] = (),
    now: datetime | None = None,
) -> Entry:
    """Create a draft entry for ``actor`` while submissions are open."""
    if not actor.is_authenticated:
        raise NotAllowed(_("Log in to create an entry."))
    contest_ensure_accepting(contest, now=now)
    _check_choices(contest, nomination, platforms, other_platform)
    coauthors = list(coauthors)
    _check_coauthor_universities(contest, coauthors)
    entry = Entry(
        contest=contest,
        author=actor,
        title=title,
        description=description,
        nomination=nomination,
        other_platform=other_platform.strip() if any(p.is_other for p in platforms) else "",
        live_url=live_url,
        consent_to_publish=consent_to_publish,
    )
    # A fresh random code can collide with an existing one; try again in that rare case.
    for _attempt in range(5):
        if not Entry.objects.filter(contest=contest, code=entry.code).exists():
            break
        entry.code = Entry._meta.get_field("code").get_default()
    entry.full_clean(exclude=["author", "media"])
    entry.save()
    entry.platforms.set(platforms)
    _replace_coauthors(entry, coauthors)
    return entry


EDITABLE_FIELDS = ("title", "description", "nomination", "other_platform", "live_url", "consent_to_publish")


@transaction.atomic
def entry_update(
    *,
    actor: Actor,
    entry: Entry,
    platforms: Sequence[Platform] | None = None,
    coauthors: Iterable[CoAuthorData] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Entry:
    """Change an entry (draft or submitted) before the deadline."""
    entry = _entry_locked_for_change(actor, entry, now=now)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(entry, name, value)
    chosen = list(platforms) if platforms is not None else list(entry.platforms.all())
    _check_choices(entry.contest, entry.nomination, chosen, entry.other_platform)
    if not any(p.is_other for p in chosen):
        entry.other_platform = ""
    entry.full_clean(exclude=["author", "media"])
    entry.save()
    if platforms is not None:
        entry.platforms.set(chosen)
    if coauthors is not None:
        coauthors = list(coauthors)
        _ensure_coauthors_kept(entry, coauthors)
        _check_coauthor_universities(entry.contest, coauthors, entry=entry)
        _replace_coauthors(entry, coauthors)
    return entry


@transaction.atomic
def entry_submit(*, actor: Actor, entry: Entry, now: datetime | None = None) -> Entry:
    """Submit an entry that has a file, before the deadline; tells the author by e-mail."""
    entry = _entry_locked_for_change(actor, entry, now=now)
    if entry.status == EntryStatus.SUBMITTED:
        raise BaigeError(_("This entry is already submitted."))
    if entry.media_id is None:
        raise BaigeError(_("Upload the video or presentation before submitting."))
    if not entry.platforms.exists():
        raise BaigeError(_("Choose at least one platform."))
    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = now or timezone.now()
    # The entry keeps its author's university as it is now: a later change of profile does not move it.
    entry.author_university_id = _submission_university(entry)
    entry.save(update_fields=["status", "submitted_at", "author_university", "updated_at"])
    enqueue_on_commit("contest.send_entry_submitted_email", entry_id=entry.pk)
    entries_status_changed.send(sender=Entry, entry_ids=[entry.pk])
    return entry


@transaction.atomic
def entry_withdraw(*, actor: Actor, entry: Entry, now: datetime | None = None) -> Entry:
    """Withdraw a submitted entry before the deadline; it can be submitted again until then."""
    entry = _entry_locked_for_change(actor, entry, now=now)
    if entry.status != EntryStatus.SUBMITTED:
        raise BaigeError(_("Only a submitted entry can be withdrawn."))
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    entries_status_changed.send(sender=Entry, entry_ids=[entry.pk])
    return entry


@transaction.atomic
def entry_delete(*, actor: Actor, entry: Entry, now: datetime | None = None) -> None:
    """Delete a draft that was never submitted, by its author, before the deadline; its files go with it."""
    entry = _entry_locked_for_change(actor, entry, now=now)
    if entry.status != EntryStatus.DRAFT or entry.submitted_at is not None:
        raise BaigeError(
            _("Only a draft that was never submitted can be deleted; a submitted entry can be withdrawn."),
            code="not_a_draft",
        )
    entry_deleting.send(sender=Entry, entry=entry)
    entry.delete()


# The organiser's writes: the contest's settings, its platforms and its nominations.

MIB = 1024 * 1024
CONTEST_SETTINGS_FIELDS = (
    *(f"{text}_{language}" for text in ("name", "description", "rules") for language in TEXT_LANGUAGES),
    "timezone",
    "submissions_open",
    "submissions_close",
    "results_publish_at",
    "max_file_size",
    "max_video_duration",
    "max_pages",
)
CONTEST_TIMES = ("submissions_open", "submissions_close", "results_publish_at")
CONTEST_LIMITS = ("max_file_size", "max_video_duration", "max_pages")


def contest_ensure_organiser(actor: Actor, contest: Contest, *, refusal: str = "") -> None:
    """Refuse unless ``actor`` may manage ``contest`` (organisers, superusers); ``refusal`` says what is refused."""
    if not actor.is_authenticated or not cast(Any, actor).has_perm("contest.manage_contest", contest):
        raise NotAllowed(refusal or _("Only the contest's organisers can change it."))


def contest_settings_check(contest: Contest) -> None:
    """Refuse a contest whose name, time zone, timeline or file limits break a rule."""
    if not has_text(contest, "name"):
        raise BaigeError(_("Give the contest's name in at least one language."))
    try:
        validate_timezone(contest.timezone)
    except ValidationError as invalid:
        raise BaigeError(" ".join(invalid.messages)) from invalid
    for name in CONTEST_TIMES:
        moment = getattr(contest, name)
        if moment is not None and timezone.is_naive(moment):
            # A naive time would be read in the server's zone, not the contest's: refuse rather than guess.
            raise BaigeError(_("Every date and time needs its time zone."))
    if contest.submissions_open is None or contest.submissions_close is None:
        raise BaigeError(_("Set when submissions open and close."))
    if contest.submissions_close <= contest.submissions_open:
        raise BaigeError(_("Submissions must close after they open."))
    if contest.results_publish_at is not None and contest.results_publish_at <= contest.submissions_close:
        raise BaigeError(_("Results must be published after submissions close."))
    if any(getattr(contest, name) is None or getattr(contest, name) < 1 for name in CONTEST_LIMITS):
        raise BaigeError(_("File limits must be positive numbers."))


@transaction.atomic
def contest_update(*, actor: Actor, contest: Contest, **fields: Any) -> Contest:
    """Change a contest's texts, time zone, timeline and file limits; nothing is saved if a rule is broken."""
    contest_ensure_organiser(actor, contest)
    unknown = set(fields) - set(CONTEST_SETTINGS_FIELDS)
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    for name, value in fields.items():
        setattr(contest, name, value.strip() if isinstance(value, str) else value)
    contest_settings_check(contest)
    full_clean_or_refuse(contest)
    contest.save()
    return contest


def _slug_in_contest(siblings: QuerySet[Any], *, slug: str, names: dict[str, str], fallback: str) -> str:
    """The slug given if it is free in the contest, else one made from the English, Russian or Kazakh name."""
    max_length = siblings.model._meta.get_field("slug").max_length or 80
    taken = set(siblings.values_list("slug", flat=True))
    return slug_in_contest(slug, taken=taken, names=names, max_length=max_length, fallback=fallback)


def _save_in_contest(obj: Platform | Nomination) -> None:
    full_clean_or_refuse(obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as taken:
        # Another organiser took the same short name a moment ago.
        raise slug_taken(obj.slug) from taken


def _set_names(obj: Any, texts: dict[str, str], *, field: str = "name") -> None:
    """Fill a translated field's column for each language."""
    for language, text in texts.items():
        setattr(obj, f"{field}_{language}", text)


def _locked_in_contest(model: type[Platform] | type[Nomination], obj: Any, contest: Contest) -> Any:
    locked = model.objects.select_for_update().filter(pk=obj.pk, contest=contest).first()
    if locked is None:
        raise NotAllowed(_("This belongs to another contest."))
    return locked


@transaction.atomic
def platform_save(
    *,
    actor: Actor,
    contest: Contest,
    platform: Platform | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    slug: str = "",
    order: int = 0,
    is_other: bool = False,
) -> Platform:
    """Add a platform to the contest's list, or change one; an empty slug is made from its name."""
    contest_ensure_organiser(actor, contest)
    platform = Platform(contest=contest) if platform is None else _locked_in_contest(Platform, platform, contest)
    names = {"kk": name_kk.strip(), "ru": name_ru.strip(), "en": name_en.strip()}
    _set_names(platform, names)
    if not has_text(platform, "name"):
        raise BaigeError(_("Give the name in at least one language."))
    siblings = Platform.objects.filter(contest=contest).exclude(pk=platform.pk)
    platform.slug = _slug_in_contest(siblings, slug=slug, names=names, fallback="platform")
    platform.order = order
    platform.is_other = is_other
    _save_in_contest(platform)
    return platform


def _delete_unused(model: type[Platform] | type[Nomination], item: Platform | Nomination) -> None:
    """Delete a platform or nomination that no entry uses; one in use is kept and the refusal says why."""
    # The row lock makes an entry that picks this item meanwhile wait for us, so the count stays true.
    locked = model.objects.select_for_update().get(pk=item.pk)
    used = locked.entries.count()
    if used:
        raise BaigeError(
            ngettext(
                "“%(name)s” cannot be deleted: %(count)d entry uses it.",
                "“%(name)s” cannot be deleted: %(count)d entries use it.",
                used,
            )
            % {"name": locked.name, "count": used},
            code="in_use",
        )
    locked.delete()


@transaction.atomic
def platform_delete(*, actor: Actor, platform: Platform) -> None:
    """Delete a platform that no entry uses."""
    contest_ensure_organiser(actor, platform.contest)
    _delete_unused(Platform, platform)


@transaction.atomic
def nomination_save(
    *,
    actor: Actor,
    contest: Contest,
    nomination: Nomination | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    slug: str = "",
    order: int = 0,
) -> Nomination:
    """Add a nomination to the contest, or change one; an empty slug is made from its name."""
    contest_ensure_organiser(actor, contest)
    if nomination is None:
        nomination = Nomination(contest=contest)
    else:
        nomination = _locked_in_contest(Nomination, nomination, contest)
    names = {"kk": name_kk.strip(), "ru": name_ru.strip(), "en": name_en.strip()}
    _set_names(nomination, names)
    if not has_text(nomination, "name"):
        raise BaigeError(_("Give the name in at least one language."))
    descriptions = {"kk": description_kk.strip(), "ru": description_ru.strip(), "en": description_en.strip()}
    _set_names(nomination, descriptions, field="description")
    siblings = Nomination.objects.filter(contest=contest).exclude(pk=nomination.pk)
    nomination.slug = _slug_in_contest(siblings, slug=slug, names=names, fallback="nomination")
    nomination.order = order
    _save_in_contest(nomination)
    return nomination


@transaction.atomic
def nomination_delete(*, actor: Actor, nomination: Nomination) -> None:
    """Delete a nomination that no entry uses."""
    contest_ensure_organiser(actor, nomination.contest)
    _delete_unused(Nomination, nomination)


# The organiser's decisions on an entry's eligibility.


def _entry_locked_for_organiser(actor: Actor, entry: Entry, *, refusal: str) -> Entry:
    contest_ensure_organiser(actor, entry.contest, refusal=refusal)
    return Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)


@transaction.atomic
def entry_disqualify(*, actor: Actor, entry: Entry, reason: str, now: datetime | None = None) -> EntryEligibilityEvent:
    """Hold a submitted entry ineligible, with a reason its authors are told by e-mail.

    It leaves the rounds that are not closed (judging keeps its reviews aside), the counts, the statistics
    and what is published; an entry that holds an award is refused until the award is given to another one.
    """
    entry = _entry_locked_for_organiser(
        actor, entry, refusal=_("Only the contest's organisers can disqualify its entries.")
    )
    reason = reason.strip()
    if not reason:
        raise BaigeError(_("Give the reason for disqualifying the entry."), code="reason_required")
    if len(reason) > DISQUALIFICATION_REASON_LENGTH:
        raise BaigeError(
            _("The reason is too long: at most %(limit)d characters.") % {"limit": DISQUALIFICATION_REASON_LENGTH},
            code="reason_too_long",
        )
    if entry.is_disqualified:
        raise BaigeError(_("This entry is already disqualified."), code="already_disqualified")
    if entry.status != EntryStatus.SUBMITTED:
        raise BaigeError(
            _("Only a submitted entry can be disqualified: a draft or a withdrawn entry is not judged anyway."),
            code="not_submitted",
        )
    now = now or timezone.now()
    entry.disqualified_at = now
    entry.disqualified_by = cast(User, actor)
    entry.disqualification_reason = reason
    entry.save(update_fields=["disqualified_at", "disqualified_by", "disqualification_reason", "updated_at"])
    event = EntryEligibilityEvent.objects.create(
        entry=entry, act=EligibilityAct.DISQUALIFIED, reason=reason, actor=cast(User, actor), at=now
    )
    entry_eligibility_changed.send(sender=Entry, entry=entry, disqualified=True)
    enqueue_on_commit("contest.send_entry_eligibility_email", event_id=event.pk)
    return event


@transaction.atomic
def entry_reinstate(*, actor: Actor, entry: Entry, now: datetime | None = None) -> EntryEligibilityEvent:
    """Make a disqualified entry eligible again: it is counted again and can be assigned to jurors again."""
    entry = _entry_locked_for_organiser(actor, entry, refusal=_("Only the contest's organisers can reinstate entries."))
    if not entry.is_disqualified:
        raise BaigeError(_("This entry is not disqualified."), code="not_disqualified")
    now = now or timezone.now()
    entry.disqualified_at = None
    entry.disqualified_by = None
    entry.disqualification_reason = ""
    entry.save(update_fields=["disqualified_at", "disqualified_by", "disqualification_reason", "updated_at"])
    event = EntryEligibilityEvent.objects.create(
        entry=entry, act=EligibilityAct.REINSTATED, actor=cast(User, actor), at=now
    )
    entry_eligibility_changed.send(sender=Entry, entry=entry, disqualified=False)
    enqueue_on_commit("contest.send_entry_eligibility_email", event_id=event.pk)
    return event
