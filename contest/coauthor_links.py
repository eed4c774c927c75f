"""Personal links for co-authors: read an entry's page without an account.

A link is signed (``django.core.signing``, with a salt of its own) and names the entry and the
co-author's e-mail address: it opens the entry only while someone with that address is still one of
its co-authors. The same entry and address always give the same link. A changed or forged link reads
as no link at all.
"""

from __future__ import annotations

from django.core import signing

from contest.models import Entry

#: Used for nothing else, so no other signed value of Baige can be passed off as a co-author's link.
SALT = "baige.contest.coauthor-entry"


def coauthor_token(entry: Entry, email: str) -> str:
    """The signed token of ``entry`` for the co-author with ``email`` (any case gives the same token)."""
    value = {"entry": entry.pk, "email": email.strip().lower()}
    return signing.Signer(salt=SALT).sign_object(value, compress=True)


def coauthor_token_read(token: str) -> tuple[int, str] | None:
    """The entry id and e-mail address a token was made for, or ``None`` when it is not one of Baige's."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    entry_id, email = value.get("entry"), value.get("email")
    if not isinstance(entry_id, int) or not isinstance(email, str) or not email:
        return None
    return entry_id, email
