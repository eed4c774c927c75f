"""Background work of judging: reminders to jurors, one e-mail at a time, and the daily round of them."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import Task, shared_task

# The module, not its names: judging.reminders queues these tasks, so each module imports the other.
from judging import reminders

logger = logging.getLogger(__name__)


@shared_task(name="judging.send_juror_reminder", bind=True, max_retries=3)
def send_juror_reminder(self: Task, *, round_id: int, juror_id: int) -> None:
    """E-mail one juror a reminder of their unfinished reviews in a round."""
    try:
        reminders.juror_reminder_send(round_id=round_id, juror_id=juror_id)
    except (SMTPException, OSError) as failed:  # the mail server is away for a moment: try again later
        raise self.retry(exc=failed, countdown=60 * 2**self.request.retries) from failed


@shared_task(name="judging.remind_jurors_daily")
def remind_jurors_daily() -> int:
    """Remind every juror with unfinished reviews in a round that takes reviews now (each once per 12 hours)."""
    sent = reminders.jurors_remind_due()
    logger.info("reminded %d jurors", sent)
    return sent
