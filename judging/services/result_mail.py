"""The e-mails that tell participants their result when a round's results are first published.

One goes to each author, in the language of their profile, and one to each co-author's e-mail address;
each names the entries of the person in the round, their awards and the links to the blog posts
that publish them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from blog.models import Post, PostStatus
from contest.enums import EntryStatus
from contest.mail import mail_person, person_language
from contest.models import CoAuthor, Entry
from judging.models import Results, Round
from judging.services.publication import award_name, award_post_key, results_awards

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntryResult:
    """One entry of a participant, its awards in the round (none when not awarded) and their posts' links."""

    entry: Entry
    awards: list[tuple[str, str]]


def post_link(post: Post, *, language: str) -> str:
    """The absolute address of a published post, in ``language``."""
    with translation.override(language):
        path = reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug})
    return settings.SITE_URL + path


def _entry_results(results: Results, entries: Iterable[Entry], language: str) -> list[EntryResult]:
    """Each entry's awards as ``(award, link to its post)``, in the active language."""
    round = results.round
    awards = list(results_awards(results).filter(entry__in=list(entries)))
    keys = [award_post_key(award, round) for award in awards]
    posts = {
        post.key: post
        for post in Post.objects.filter(
            contest=round.contest, key__in=keys, status=PostStatus.PUBLISHED
        ).select_related("contest")
    }
    found = []
    for entry in entries:
        given = []
        for award in awards:
            if award.entry_id == entry.pk:
                post = posts.get(award_post_key(award, round))
                link = post_link(post, language=language) if post is not None else ""
                nomination = award.nomination or entry.nomination
                name = award_name(award)
                if award.place is not None:
                    name = _("%(place)s in the nomination “%(nomination)s”") % {
                        "place": name,
                        "nomination": nomination.name,
                    }
                given.append((name, link))
        found.append(EntryResult(entry=entry, awards=given))
    return found


def _result_context(
    results: Results, entries: list[Entry], *, full_name: str, language: str
) -> Callable[[], Mapping[str, Any]]:
    """What the e-mail telling someone the result of ``entries`` says, made in ``language``."""

    def context() -> Mapping[str, Any]:
        found = _entry_results(results, entries, language)
        return {
            "full_name": full_name,
            "contest": results.round.contest,
            "round": results.round,
            "results": found,
            "awarded": any(result.awards for result in found),
        }

    return context


def result_email_send(*, results: Results, user: Any) -> bool:
    """E-mail one participant, in their profile's language, the result of each of their entries in the round.

    Nothing is sent when the participant has no e-mail address or no entries in the round; returns
    whether the e-mail was sent.
    """
    if not user.email:
        logger.info("no result e-mail to user %s for results %s: no address", user.pk, results.pk)
        return False
    entries = list(
        Entry.objects.filter(judging_rounds=results.round, author=user, status=EntryStatus.SUBMITTED).order_by("code")
    )
    if not entries:
        return False
    profile = getattr(user, "profile", None)
    language = person_language(user)
    full_name = profile.full_name if profile is not None else ""
    context = _result_context(results, entries, full_name=full_name, language=language)
    mail_person(user, "judging/email/result", context, language=language)
    return True


def _coauthor_entries(round: Round, email: str) -> QuerySet[Entry]:
    """The round's submitted entries co-authored by whoever has ``email`` (any case)."""
    return (
        Entry.objects.filter(judging_rounds=round, status=EntryStatus.SUBMITTED, coauthors__email__iexact=email)
        .select_related("author__profile")
        .distinct()
        .order_by("code")
    )


def coauthor_result_email_send(*, results: Results, coauthor: CoAuthor) -> bool:
    """E-mail one co-author the result of each entry of the round they co-authored; whether it was sent.

    In the language of the account with their e-mail address if there is one, else in the language
    of the entry's author. Nothing is sent when the co-author has no e-mail address or no entries left.
    """
    if not coauthor.email:
        logger.info("no result e-mail to co-author %s for results %s: no address", coauthor.pk, results.pk)
        return False
    entries = list(_coauthor_entries(results.round, coauthor.email))
    if not entries:
        return False
    account = get_user_model().objects.select_related("profile").filter(email__iexact=coauthor.email).first()
    # An account without a profile has chosen no language: the entry's author's is the better guess.
    speaker = account if getattr(account, "profile", None) is not None else entries[0].author
    language = person_language(speaker)
    context = _result_context(results, entries, full_name=coauthor.full_name, language=language)
    mail_person(account, "judging/email/result", context, email=coauthor.email, language=language)
    return True
