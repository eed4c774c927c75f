"""The e-mail that tells each author and co-author the contest's results, once (see :mod:`result_notices`).

One e-mail per contest and address, in the person's language: the account's with that address if it
has chosen one, else (a co-author without an account) the language of the entry's author. It names
the outcome of each of the person's entries, as the entry's page shows it, and links to that page:
the entry's own page for its author, the co-author's personal signed link for a co-author, where the
results, the shared feedback and the certificate are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post
from contest.coauthor_links import coauthor_token
from contest.mail import mail_person, person_language
from contest.models import Contest, Entry
from judging.models import ResultNotice
from judging.selectors.story import entries_story
from judging.services.result_notices import entries_judged

logger = logging.getLogger(__name__)


def post_link(post: Post, *, language: str) -> str:
    """The absolute address of a published post, in ``language``."""
    with translation.override(language):
        path = reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug})
    return settings.SITE_URL + path


def entry_link(entry: Entry, *, language: str) -> str:
    """The absolute address of the entry's page for its author, in ``language``."""
    with translation.override(language):
        path = reverse("frontend:entry_detail", kwargs={"slug": entry.contest.slug, "code": entry.code})
    return settings.SITE_URL + path


def coauthor_link(entry: Entry, email: str, *, language: str) -> str:
    """The absolute address of a co-author's personal, signed, read-only page of the entry, in ``language``."""
    with translation.override(language):
        path = reverse("frontend:entry_coauthor", kwargs={"token": coauthor_token(entry, email)})
    return settings.SITE_URL + path


@dataclass(frozen=True)
class EntryResult:
    """One entry of the person: what became of it in each round that shares it, and the page to read more."""

    entry: Entry
    outcomes: list[str]
    link: str
    awarded: bool


@dataclass(frozen=True)
class Addressee:
    """Whom a notice writes to: their entries as author and as co-author, name, account and language."""

    authored: list[Entry]
    coauthored: list[Entry]
    account: Any
    full_name: str
    language: str


def _addressee(contest: Contest, email: str) -> Addressee | None:
    judged = {entry.pk: entry for entry in entries_judged(contest)}
    authored = [entry for entry in judged.values() if entry.author.email.strip().lower() == email.lower()]
    coauthored_ids = set(
        Entry.objects.filter(pk__in=list(judged), coauthors__email__iexact=email).values_list("pk", flat=True)
    )
    coauthored = [entry for pk, entry in judged.items() if pk in coauthored_ids and entry not in authored]
    if not authored and not coauthored:
        return None
    users = get_user_model().objects.select_related("profile")
    account = authored[0].author if authored else users.filter(email__iexact=email).first()
    profile = getattr(account, "profile", None)
    # A co-author whose account has chosen no language reads the entry's author's.
    speaker = account if profile is not None else coauthored[0].author
    # A co-author is greeted by the name the entry gives them.
    if authored:
        full_name = profile.full_name if profile is not None else ""
    else:
        named = coauthored[0].coauthors.filter(email__iexact=email).values_list("full_name", flat=True).first()
        full_name = named or ""
    return Addressee(authored, coauthored, account, full_name, person_language(speaker))


def _context(contest: Contest, email: str, addressee: Addressee) -> Callable[[], Mapping[str, Any]]:
    """What the e-mail says, made in the addressee's language."""
    language = addressee.language

    def context() -> Mapping[str, Any]:
        entries = [*addressee.authored, *addressee.coauthored]
        stories = entries_story(entries)
        found = []
        for entry in sorted(entries, key=lambda entry: entry.code):
            story = stories[entry.pk]
            link = (
                entry_link(entry, language=language)
                if entry in addressee.authored
                else coauthor_link(entry, email, language=language)
            )
            found.append(
                EntryResult(
                    entry=entry,
                    outcomes=[item.outcome for item in story],
                    link=link,
                    awarded=any(item.awards for item in story),
                )
            )
        return {
            "full_name": addressee.full_name,
            "contest": contest,
            "results": found,
            "awarded": any(result.awarded for result in found),
        }

    return context


def result_notice_send(*, notice_id: int, now: Any = None) -> bool:
    """Send one claimed result e-mail unless it is sent already or being sent; whether this call sent it.

    The claim is locked while the e-mail goes out (a second worker skips it) and marked sent in the same
    transaction, so an e-mail that fails to leave is sent again by the retry, and one that left never is.
    """
    with transaction.atomic():
        notice = (
            # Only the claim's row: a publication holding its contest's row must not make the e-mail skip.
            ResultNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("contest")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            logger.info("result e-mail %s: sent already, being sent, or gone", notice_id)
            return False
        addressee = _addressee(notice.contest, notice.email)
        if addressee is None:
            logger.info("result e-mail %s: the address is on no judged entry any more", notice_id)
            return False
        context = _context(notice.contest, notice.email, addressee)
        mail_person(addressee.account, "judging/email/result", context, email=notice.email, language=addressee.language)
        notice.sent_at = now or timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def result_notice_for(*, contest: Contest, email: str) -> ResultNotice | None:
    """The claim for ``email`` in the contest, taken now if nobody took it yet (``None`` without an address)."""
    email = email.strip()
    if not email:
        return None
    ResultNotice.objects.bulk_create([ResultNotice(contest=contest, email=email)], ignore_conflicts=True)
    return ResultNotice.objects.filter(Q(contest=contest) & Q(email__iexact=email)).first()
