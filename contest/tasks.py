"""Background work of the contest app."""

from __future__ import annotations

import logging

from contest.mail import mail_person, mail_task
from contest.models import Entry

logger = logging.getLogger(__name__)


@mail_task("contest.send_entry_submitted_email")
def send_entry_submitted_email(*, entry_id: int) -> None:
    """Tell the author, in their language, that their entry was received."""
    entry = Entry.objects.select_related("contest", "author", "author__profile").filter(pk=entry_id).first()
    if entry is None:
        logger.info("entry %s is gone; no e-mail sent", entry_id)
        return
    mail_person(entry.author, "contest/email/entry_submitted", {"entry": entry, "contest": entry.contest})
