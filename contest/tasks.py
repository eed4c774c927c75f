"""Background work of the contest app."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from contest.coauthor_links import coauthor_token
from contest.enums import EligibilityAct
from contest.mail import mail_person, mail_task, person_language
from contest.models import Contest, Entry, EntryEligibilityEvent
from contest.organisers import organiser_notice_send

logger = logging.getLogger(__name__)


@mail_task("contest.send_entry_submitted_email")
def send_entry_submitted_email(*, entry_id: int) -> None:
    """Tell the author, in their language, that their entry was received."""
    entry = Entry.objects.select_related("contest", "author", "author__profile").filter(pk=entry_id).first()
    if entry is None:
        logger.info("entry %s is gone; no e-mail sent", entry_id)
        return
    mail_person(entry.author, "contest/email/entry_submitted", {"entry": entry, "contest": entry.contest})


@mail_task("contest.send_organiser_notice")
def send_organiser_notice(*, contest_id: int, user_id: int) -> None:
    """Tell a person, in their language, that they are now an organiser of a contest."""
    contest = Contest.objects.filter(pk=contest_id).first()
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if contest is None or user is None:
        logger.info("no organiser notice for user %s in contest %s: gone", user_id, contest_id)
        return
    organiser_notice_send(contest=contest, user=user)


def _page(name: str, kwargs: dict[str, str], *, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


@mail_task("contest.send_entry_eligibility_email")
def send_entry_eligibility_email(*, event_id: int) -> None:
    """Tell the author and each co-author with an address, in their language, that their entry was disqualified
    (with the reason) or reinstated."""
    event = (
        EntryEligibilityEvent.objects.select_related("entry__contest", "entry__author__profile")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        logger.info("eligibility decision %s is gone; no e-mail sent", event_id)
        return
    entry = event.entry
    template = (
        "contest/email/entry_disqualified"
        if event.act == EligibilityAct.DISQUALIFIED
        else "contest/email/entry_reinstated"
    )
    context = {"entry": entry, "contest": entry.contest, "reason": event.reason}
    language = person_language(entry.author)
    author_page = _page("frontend:entry_detail", {"slug": entry.contest.slug, "code": entry.code}, language=language)
    mail_person(entry.author, template, {**context, "page": author_page})
    told = {entry.author.email.strip().lower()}
    for coauthor in entry.coauthors.order_by("order", "id"):
        address = coauthor.email.strip()
        if not address or address.lower() in told:
            continue
        told.add(address.lower())
        # A co-author has no language of their own in Baige: they read what the author chose.
        page = _page("frontend:entry_coauthor", {"token": coauthor_token(entry, address)}, language=language)
        mail_person(entry.author, template, {**context, "page": page}, email=address, language=language)
