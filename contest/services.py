"""Writes to contests and entries. Every function checks the contest's rules itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, DeadlinePassed, NotAllowed
from contest.enums import EntryStatus, SubmissionWindow
from contest.models import CoAuthor, Contest, Entry, Nomination, Platform, University
from contest.tasks import send_entry_submitted_email

Actor = AbstractBaseUser | AnonymousUser


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
    """Refuse with a clear message unless ``now`` is inside the submission window."""
    window = contest.submission_window(now)
    if window == SubmissionWindow.UPCOMING:
        raise DeadlinePassed(
            _("Submissions to this contest open on %(date)s.")
            % {"date": contest_format_time(contest, contest.submissions_open)}
        )
    if window == SubmissionWindow.CLOSED:
        raise DeadlinePassed(
            _("The deadline (%(date)s) has passed: entries can no longer be created, changed or submitted.")
            % {"date": contest_format_time(contest, contest.submissions_close)}
        )


def entry_ensure_author(actor: Actor, entry: Entry) -> None:
    """Refuse unless ``actor`` wrote ``entry``."""
    if not actor.is_authenticated or entry.author_id != actor.pk:
        raise NotAllowed(_("Only the author can change this entry."))


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
    CoAuthor.objects.bulk_create(
        CoAuthor(entry=entry, full_name=c.full_name, email=c.email, university=c.university, order=index)
        for index, c in enumerate(coauthors)
        if c.full_name.strip()
    )


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
    entry_ensure_author(actor, entry)
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    contest_ensure_accepting(entry.contest, now=now)
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
        _replace_coauthors(entry, coauthors)
    return entry


@transaction.atomic
def entry_submit(*, actor: Actor, entry: Entry, now: datetime | None = None) -> Entry:
    """Submit an entry that has a file, before the deadline; tells the author by e-mail."""
    entry_ensure_author(actor, entry)
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    contest_ensure_accepting(entry.contest, now=now)
    if entry.status == EntryStatus.SUBMITTED:
        raise BaigeError(_("This entry is already submitted."))
    if entry.media_id is None:
        raise BaigeError(_("Upload the video or presentation before submitting."))
    if not entry.platforms.exists():
        raise BaigeError(_("Choose at least one platform."))
    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = now or timezone.now()
    entry.save(update_fields=["status", "submitted_at", "updated_at"])
    transaction.on_commit(lambda: send_entry_submitted_email.delay(entry_id=entry.pk))
    return entry


@transaction.atomic
def entry_withdraw(*, actor: Actor, entry: Entry, now: datetime | None = None) -> Entry:
    """Withdraw a submitted entry before the deadline; it can be submitted again until then."""
    entry_ensure_author(actor, entry)
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    contest_ensure_accepting(entry.contest, now=now)
    if entry.status != EntryStatus.SUBMITTED:
        raise BaigeError(_("Only a submitted entry can be withdrawn."))
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    return entry
