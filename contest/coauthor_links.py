"""Personal links for co-authors: read an entry's page without an account.

A link is signed (``django.core.signing``, with a salt of its own) and names the entry and the
co-author's e-mail address, the address only as a keyed digest, so a link copied into a log or a
browser's history does not show it. It opens the entry only while someone with that address is
still one of its co-authors. The same entry and address always give the same link. A changed or
forged link reads as no link at all.
"""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import salted_hmac

from contest.models import CoAuthor, Entry

#: Used for nothing else, so no other signed value of Baige can be passed off as a co-author's link.
SALT = "baige.contest.coauthor-entry"


def email_digest(email: str) -> str:
    """A keyed digest of the address, the same whatever the case of its letters."""
    return salted_hmac(SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def coauthor_token(entry: Entry, email: str) -> str:
    """The signed token of ``entry`` for the co-author with ``email`` (any case gives the same token)."""
    return signing.Signer(salt=SALT).sign_object({"entry": entry.pk, "who": email_digest(email)})


def coauthor_token_read(token: str) -> tuple[int, str] | None:
    """The entry id and address digest a token was made for, or ``None`` when it is not one of Baige's."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    entry_id, digest = value.get("entry"), value.get("who")
    if not isinstance(entry_id, int) or not isinstance(digest, str) or not digest:
        return None
    return entry_id, digest


def coauthor_of_token(entry: Entry, digest: str) -> CoAuthor | None:
    """The entry's co-author whose address the digest names (co-authors prefetched), or ``None``."""
    return next(
        (person for person in entry.coauthors.all() if person.email and email_digest(person.email) == digest), None
    )
