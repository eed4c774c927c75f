"""Background sending of organisers' messages.

Each task loads its rows (and stops, logging, when they are gone) and calls a service; the services
queue these tasks by name (:func:`config.enqueue.enqueue_on_commit`), never by importing this module.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings

from contest.mail import MAIL_FAULTS
from messaging.services import (
    message_queue_sending,
    message_recipient_fault,
    message_recipient_send,
    message_recipients_create,
)

logger = logging.getLogger(__name__)


@shared_task(name="messaging.send_message")
def send_message(*, message_id: int) -> int:
    """Take the people of a message being sent (once) and queue the sending of each copy not sent yet."""
    created = message_recipients_create(message_id=message_id)
    queued = message_queue_sending(message_id=message_id)
    logger.info("message %s: %d copies taken, %d queued", message_id, created, queued)
    return queued


@shared_task(
    name="messaging.send_recipient",
    bind=True,
    autoretry_for=MAIL_FAULTS,
    retry_backoff=60,
    retry_jitter=False,
    max_retries=settings.EMAIL_RETRIES,
)
def send_recipient(self: Task, *, recipient_id: int) -> bool:
    """E-mail one copy of a message, sent again after 1, 2, 4, … minutes while the mail server refuses it.

    After the last try the copy is marked failed with the server's reason.
    """
    try:
        return message_recipient_send(recipient_id=recipient_id)
    except MAIL_FAULTS as fault:
        final = self.request.retries >= (self.max_retries or 0)
        message_recipient_fault(recipient_id=recipient_id, error=f"{type(fault).__name__}: {fault}", final=final)
        if final:
            logger.warning("message copy %s failed for good: %s", recipient_id, fault)
            return False
        raise
