"""How Baige names a person to others and to themselves."""

from __future__ import annotations

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
