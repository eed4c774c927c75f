"""Writes of the jury: who sits on it, with their university, languages and most entries per round.

Every way onto a jury (added by hand, invited one at a time, or from a jury file) seats the person
through :func:`juror_seat`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, NotAllowed
from contest.enums import Language, Role
from contest.models import Contest, ContestRole, ParticipantProfile, University
from contest.people import NewPerson, people_find, person_find_or_create
from contest.services import Actor, contest_ensure_organiser
from judging.models import Juror
from judging.services.invitations import juror_invitation_queue


def _check_languages(languages: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(languages))
    unknown = [code for code in chosen if code not in Language.values]
    if unknown:
        raise BaigeError(_("Unknown language: %(codes)s") % {"codes": ", ".join(unknown)})
    return chosen


#: What :func:`juror_seat` did to a person's seat.
SeatAction = Literal["create", "update", "unchanged"]


@transaction.atomic(savepoint=False)
def juror_seat(
    *,
    contest: Contest,
    user: Any,
    university: University | None,
    languages: Iterable[str],
    max_load: int | None,
) -> tuple[Juror, SeatAction]:
    """Seat the person on the contest's jury, or bring their seat in line with what is given; and what was done.

    The one way a person joins a jury (by hand, invited, or from a jury file): the ``Juror`` row and the
    contest's juror role come together. The callers check who acts.
    """
    if max_load is not None and max_load < 0:
        raise BaigeError(_("The most entries per round cannot be negative."))
    chosen = _check_languages(languages)
    juror = Juror.objects.filter(contest=contest, user=user).first()
    action: SeatAction = "unchanged"
    if juror is None:
        juror = Juror.objects.create(
            contest=contest, user=user, university=university, languages=chosen, max_load=max_load
        )
        action = "create"
    else:
        wanted = {
            "university_id": university.pk if university is not None else None,
            "languages": chosen,
            "max_load": max_load,
        }
        changed = [name for name, value in wanted.items() if getattr(juror, name) != value]
        for name in changed:
            setattr(juror, name, wanted[name])
        if changed:
            juror.save(update_fields=[name.removesuffix("_id") for name in changed])
            action = "update"
    ContestRole.objects.get_or_create(contest=contest, user=user, role=Role.JUROR)
    return juror, action


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
    juror, _action = juror_seat(
        contest=contest, user=user, university=university, languages=languages, max_load=max_load
    )
    return juror


#: Languages may be given as "kk,ru" or "kk;ru", as in a jury file.
LANGUAGE_SEPARATORS = re.compile(r"[,;]")


#: What a check of one fact about a juror gives: the value as kept (or ``None``/``False`` when wrong) and the
#: problem to show, if any. The organiser's invitation form and a jury file's lines are checked alike.
Checked = tuple[Any, str | None]


def juror_email_check(email: str) -> Checked:
    """The e-mail address of a juror to be, or the problem with it."""
    if not email:
        return None, _("The e-mail is empty.")
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        return None, _("“%(email)s” is not an e-mail address.") % {"email": email}
    return email, None


def juror_full_name_check(text: str, *, new_account: bool) -> Checked:
    """The full name with its spaces tidied, or the problem with it (a new account needs one)."""
    full_name = " ".join(text.split())
    if len(full_name) > 255:
        return full_name, _("The full name is longer than 255 characters.")
    if not full_name and new_account:
        return full_name, _("A new juror needs a full name.")
    return full_name, None


def juror_languages_check(text: str) -> Checked:
    """The languages a juror reads, from "kk,ru" or "kk;ru", each once; or the problem with them."""
    codes = [part.strip().lower() for part in LANGUAGE_SEPARATORS.split(text) if part.strip()]
    unknown = [code for code in codes if code not in Language.values]
    if unknown:
        return None, _("Unknown languages: %(unknown)s; use %(allowed)s.") % {
            "unknown": ", ".join(unknown),
            "allowed": ", ".join(Language.values),
        }
    if not codes:
        return None, _("Name at least one language the juror reads (%(allowed)s).") % {
            "allowed": ", ".join(Language.values)
        }
    return list(dict.fromkeys(codes)), None


def juror_max_load_check(text: str) -> Checked:
    """The most entries per round as written: ``None`` for no limit, ``False`` with the problem when wrong."""
    if not text:
        return None, None
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        return False, _("Write a whole number above zero, or leave it empty for no limit.")
    return int(text), None


def juror_invite(
    *,
    actor: Actor,
    contest: Contest,
    email: str,
    full_name: str = "",
    university: University,
    languages: Sequence[str],
    max_load: int | None = None,
) -> Juror:
    """Put one person on the contest's jury and e-mail them the invitation, by the same rules as a jury file.

    A person who already has an account (a participant, say) keeps it exactly as it is: ``full_name``
    is only for a new account, and the seat is kept on the ``Juror`` row. Anyone else gets an account
    without a password, which the invitation's link lets them choose.
    """
    if not actor.has_perm("judging.manage_judging", contest):
        raise NotAllowed(_("Only the contest's organisers can invite jurors."))
    email = email.strip()
    try:
        with transaction.atomic():
            # The same lock as a jury file's import: both create people and seats for this contest.
            Contest.objects.select_for_update().only("pk").get(pk=contest.pk)
            existing = people_find([email]).get(email.lower())
            checked_email, email_problem = juror_email_check(email)
            checked_name, name_problem = juror_full_name_check(
                full_name, new_account=checked_email is not None and existing is None
            )
            checked_languages, languages_problem = juror_languages_check(",".join(languages))
            cap, cap_problem = juror_max_load_check("" if max_load is None else str(max_load))
            problems = [problem for problem in (email_problem, name_problem, languages_problem, cap_problem) if problem]
            if problems or checked_email is None or checked_languages is None or cap is False:
                raise BaigeError(" ".join(problems))
            if existing is not None and Juror.objects.filter(contest=contest, user=existing).exists():
                raise BaigeError(
                    _("%(email)s is already on this contest's jury; send the invitation again from the list instead.")
                    % {"email": existing.email}
                )
            person = NewPerson(
                email=checked_email,
                full_name=checked_name,
                university=university,
                country=university.country,
                language=checked_languages[0],
            )
            user, _created = person_find_or_create(person)
            juror, _action = juror_seat(
                contest=contest,
                user=user,
                university=university,
                languages=checked_languages,
                max_load=cap if isinstance(cap, int) else None,
            )
            juror_invitation_queue(juror=juror)
    except IntegrityError:
        raise BaigeError(_("Someone changed the same data at the same time; nothing was saved. Try again.")) from None
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
