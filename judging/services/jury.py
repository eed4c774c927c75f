"""Writes of the jury: who sits on it, with their university, languages and most entries per round."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from config.exceptions import BaigeError
from contest.enums import Language, Role
from contest.models import Contest, ContestRole, ParticipantProfile, University
from contest.services import Actor, contest_ensure_organiser
from judging.models import Juror


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
