"""Next year's edition of a contest: a copy of its definition, certificate images and round plan, with dates moved.

The copy goes through the contest definition (:func:`exchange.definitions.contest_definition_dump` then
``contest_definition_load``), so that copying and definition files never drift apart. It takes the
texts, time zone, timeline, limits, universities, nominations, platforms, rubric, rounds with their
settings (never their entries or jurors), who signs the certificates and their texts and images; never
people (organisers, jurors), entries, reviews or results. Every date and time moves by the same offset
on the contest's wall clock. It is one transaction: a refusal leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certificates.models import CertificateDesign
from config.exceptions import BaigeError
from contest.models import Contest
from contest.organisers import (
    contest_ensure_staff,
    contest_slug_ensure_free,
    contest_slug_taken,
    organiser_emails_check,
    organisers_seat,
)
from contest.services import Actor
from exchange.definitions import contest_definition_dump, contest_definition_load, definition_parse

#: The longest offset a copy may move its dates by, either way.
MAX_SHIFT_DAYS = 366 * 20
IMAGE_ROLES = ("background", "logo", "signature")


def moment_shift(moment: datetime, *, years: int = 0, days: int = 0) -> datetime:
    """A wall-clock moment ``years`` later (29 February becomes the 28th where there is none), then ``days`` later."""
    try:
        moved = moment.replace(year=moment.year + years)
    except ValueError:
        moved = moment.replace(year=moment.year + years, day=28)
    return moved + timedelta(days=days)


def _shift_text(value: str, *, years: int, days: int) -> str:
    # The dumped wall-clock time, moved and read again on the contest's clock; an offset written only for
    # a time the clocks repeat would be stale on the new date.
    moment = moment_shift(datetime.fromisoformat(value).replace(tzinfo=None), years=years, days=days)
    return moment.isoformat(timespec="minutes" if not moment.second else "seconds")


def definition_shift(data: dict[str, Any], *, years: int, days: int) -> dict[str, Any]:
    """The definition data with the timeline's and every round's times moved (a new mapping; ``data`` is kept)."""
    shifted = dict(data)
    shifted["timeline"] = {
        key: (_shift_text(value, years=years, days=days) if key != "timezone" else value)
        for key, value in data["timeline"].items()
    }
    if data.get("rounds"):
        shifted["rounds"] = [
            {
                **item,
                **{
                    key: _shift_text(item[key], years=years, days=days)
                    for key in ("opens", "closes")
                    if item.get(key) is not None
                },
            }
            for item in data["rounds"]
        ]
    return shifted


def _copy_images(source: Contest, contest: Contest) -> list[str]:
    """Copy the source's certificate images under the new contest's own names; the names stored."""
    design = CertificateDesign.objects.filter(contest=source).first()
    if design is None:
        return []
    target, _created = CertificateDesign.objects.get_or_create(contest=contest)
    stored = []
    for role in IMAGE_ROLES:
        name = getattr(design, role).name
        if not name or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as image:
            content = image.read()
        extension = PurePosixPath(name).suffix
        new_name = default_storage.save(
            f"certificates/{contest.slug}/design/{role}-{secrets.token_hex(8)}{extension}", ContentFile(content)
        )
        getattr(target, role).name = new_name
        stored.append(new_name)
    target.save()
    return stored


def _discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def contest_copy(
    *,
    actor: Actor,
    source: Contest,
    slug: str,
    names: Mapping[str, str],
    years: int = 1,
    days: int = 0,
    organiser_emails: Sequence[str],
    language: str,
) -> Contest:
    """Staff found a contest as a copy of ``source`` with its dates moved, and name its first organisers by e-mail."""
    contest_ensure_staff(actor)
    if not organiser_emails_check(organiser_emails):
        raise BaigeError(_("Name at least one organiser by e-mail."), code="no_organisers")
    if abs(years * 366 + days) > MAX_SHIFT_DAYS:
        raise BaigeError(_("Move the dates by at most 20 years."), code="shift_too_far")
    if not (source.nominations.exists() and source.platforms.exists()):
        # Entrants choose both: a definition without them is refused, and so is a copy.
        raise BaigeError(
            _("Only a contest with at least one nomination and one platform can be copied."), code="nothing_to_copy"
        )
    data = definition_shift(contest_definition_dump(contest=source), years=years, days=days)
    data["slug"] = slug
    chosen = {language: text.strip() for language, text in names.items() if text and text.strip()}
    if chosen:
        data["name"] = chosen
    images: list[str] = []
    try:
        with transaction.atomic():
            contest_slug_ensure_free(slug)
            definition = definition_parse(data)
            contest = contest_definition_load(definition=definition).contest
            images = _copy_images(source, contest)
            organisers_seat(contest=contest, emails=organiser_emails, language=language)
    except IntegrityError as taken:
        _discard(images)
        raise contest_slug_taken(slug) from taken
    except BaseException:
        _discard(images)
        raise
    return contest
