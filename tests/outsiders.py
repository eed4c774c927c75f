"""People who do not belong to the contest under test, and a snapshot of everything stored about an account.

An organiser's import or invitation may link such a person by e-mail, but must change nothing of
their account: the tests take :func:`account_state` before and after and compare.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.enums import Country, EntryStatus, Role
from contest.models import ContestRole, ParticipantProfile, University
from tests.factories import ContestFactory, EntryFactory, NominationFactory, ProfileFactory, UniversityFactory

User = get_user_model()

#: A participant and an organiser of another contest (one with a profile, one without), an administrator, and
#: an account an administrator deactivated, which no organiser may bring back.
KINDS = (
    "participant_of_other_contest",
    "organiser_of_other_contest",
    "organiser_without_profile",
    "superuser",
    "deactivated",
)
#: What each of them has stored, which no page of another contest may show.
STORED_NAME = "Saule Stored-Name"
STORED_UNIVERSITY = "Secret Institute of Elsewhere"
STORED_PROGRAMME = "Stored programme"


def outsider(kind: str) -> Any:
    """An account of the given kind with a usable password and, but for one kind, a full profile in Kazakh."""
    elsewhere = University.objects.filter(name_en=STORED_UNIVERSITY).first() or UniversityFactory(
        slug="secret-elsewhere", name=STORED_UNIVERSITY, name_en=STORED_UNIVERSITY, country=Country.KG
    )
    profile = ProfileFactory(
        full_name=STORED_NAME,
        university=elsewhere,
        programme=STORED_PROGRAMME,
        country=Country.KG,
        preferred_language="kk",
        user__email=f"{kind.replace('_', '.')}@example.org",
    )
    user = profile.user
    other = ContestFactory()
    if kind == "participant_of_other_contest":
        nomination = NominationFactory(contest=other)
        EntryFactory(
            contest=other,
            author=user,
            nomination=nomination,
            status=EntryStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
    elif kind == "organiser_of_other_contest":
        ContestRole.objects.create(contest=other, user=user, role=Role.ORGANISER)
    elif kind == "organiser_without_profile":
        # Made by an administrator: a name on the account itself, and no participant profile.
        profile.delete()
        user.first_name, user.last_name = STORED_NAME.split(" ", 1)
        user.save(update_fields=["first_name", "last_name"])
        ContestRole.objects.create(contest=other, user=user, role=Role.ORGANISER)
    elif kind == "superuser":
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    elif kind == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        raise ValueError(kind)
    return user


def account_state(user: Any) -> dict[str, Any]:
    """Everything stored about an account and its profile and e-mail addresses, read afresh from the database."""
    fresh = User.objects.get(pk=user.pk)
    account = {field.attname: getattr(fresh, field.attname) for field in User._meta.concrete_fields}
    profile = ParticipantProfile.objects.filter(user=user).values().first()
    addresses = sorted(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary"))
    return {"account": account, "profile": profile, "addresses": addresses}
