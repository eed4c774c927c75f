"""How Baige names a person to others and to themselves, and how it recognises a name typed in a file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def person_name(user: Any) -> str:
    """The person's full name, else their account's first and last names, else their e-mail; never the username.

    Baige makes usernames up from e-mail addresses (``aigerim.test``) and nobody ever chose or sees theirs,
    so e-mails and messages (allauth's ``ACCOUNT_USER_DISPLAY`` too) never address anyone by it.
    """
    profile = getattr(user, "profile", None)
    if profile is not None and profile.full_name:
        return str(profile.full_name)
    return str(user.get_full_name() or user.email)


def name_key(text: str) -> str:
    """How names are compared: case, and runs of spaces, do not matter."""
    return " ".join(text.split()).casefold()


def names_lookup(objects: Iterable[Any]) -> dict[str, Any]:
    """Objects by every spelling a file may use: slug and the name in each language."""
    lookup: dict[str, Any] = {}
    for obj in objects:
        for spelling in (obj.slug, obj.name_kk, obj.name_ru, obj.name_en, obj.name):
            if spelling:
                lookup.setdefault(name_key(spelling), obj)
    return lookup
