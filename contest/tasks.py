"""Background work of the contest app."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(name="contest.send_entry_submitted_email")
def send_entry_submitted_email(*, entry_id: int) -> None:
    """Tell the author, in their language, that their entry was received."""
    from contest.models import Entry

    entry = Entry.objects.select_related("contest", "author", "author__profile").filter(pk=entry_id).first()
    if entry is None:
        logger.info("entry %s is gone; no e-mail sent", entry_id)
        return
    profile = getattr(entry.author, "profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"entry": entry, "contest": entry.contest, "site_url": settings.SITE_URL, "language": language}
        subject = render_to_string("contest/email/entry_submitted_subject.txt", context).strip()
        body = render_to_string("contest/email/entry_submitted.txt", context)
    send_mail(subject, body, None, [entry.author.email])
