"""Background work of the contest app."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from contest.mail import mail_person, mail_task
from contest.models import Contest, Entry
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
