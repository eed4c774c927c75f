"""People: the one way Baige finds the account of an e-mail address, or creates one for someone new.

Participants named in an entries file and jurors named in a jury file or invited one at a time all come
through here. An account that exists already belongs to its owner (perhaps a participant, an organiser of
another contest, or an administrator): it is found by its key alone and never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from contest.models import ParticipantProfile, University

User = get_user_model()

#: The longest username Django's user model takes.
USERNAME_LENGTH = 150


@dataclass(frozen=True)
class NewPerson:
    """What Baige knows of someone it creates an account for."""

    email: str
    full_name: str
    university: University | None
    country: str
    language: str
    programme: str = ""


def people_find(emails: Iterable[str]) -> dict[str, Any]:
    """The accounts of these e-mail addresses (any case), by lower-cased address; the oldest where two share one.

    Only the key and the address are loaded: nothing else stored about an existing account is read.
    """
    wanted = {email.lower() for email in emails if email}
    found: dict[str, Any] = {}
    users = User.objects.annotate(email_key=Lower("email")).filter(email_key__in=wanted).only("pk", "email")
    for user in users.order_by("pk"):
        found.setdefault(user.email_key, user)
    return found


def people_create(people: Sequence[NewPerson]) -> dict[str, Any]:
    """Create an account for each person, by lower-cased address, in one write per table.

    Each has no password (the person chooses one through the link they are sent), an unverified primary
    e-mail address, a username made from the address (numbered when taken) and a profile from the facts.
    """
    taken = set(
        User.objects.filter(username__in=[person.email.lower()[:USERNAME_LENGTH] for person in people]).values_list(
            "username", flat=True
        )
    )
    users = []
    for person in people:
        user = User(username=_free_username(person.email, taken), email=person.email)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email.lower(), verified=False, primary=True) for user in users
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            user=user,
            full_name=person.full_name,
            university=person.university,
            programme=person.programme,
            country=person.country,
            preferred_language=person.language,
        )
        for user, person in zip(users, people, strict=True)
    )
    return {user.email.lower(): user for user in users}


def person_find_or_create(person: NewPerson) -> tuple[Any, bool]:
    """The account of the person's e-mail address as it is, or a new one made from the facts; and whether it is new."""
    existing = people_find([person.email]).get(person.email.lower())
    if existing is not None:
        return existing, False
    return people_create([person])[person.email.lower()], True


def _free_username(email: str, taken: set[str]) -> str:
    """The address as a username, numbered (``-2``, ``-3``, …) past the ones ``taken``; it is added to them."""
    base = email.lower()[:USERNAME_LENGTH]
    username, number = base, 2
    while username in taken or (username != base and User.objects.filter(username=username).exists()):
        suffix = f"-{number}"
        username = base[: USERNAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(username)
    return username
