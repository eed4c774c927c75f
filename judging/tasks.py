"""Background work of judging: reminders to jurors, publication of results, and the e-mails of both."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import Task, shared_task
from django.db import OperationalError

# The modules, not their names: judging.services.reminders and judging.services.publication queue these tasks,
# so each module imports the other.
from judging import coverage
from judging.models import Juror, Results
from judging.services import invitations, publication, reminders

logger = logging.getLogger(__name__)


@shared_task(name="judging.send_juror_reminder", bind=True, max_retries=3)
def send_juror_reminder(self: Task, *, round_id: int, juror_id: int) -> None:
    """E-mail one juror a reminder of their unfinished reviews in a round."""
    try:
        reminders.juror_reminder_send(round_id=round_id, juror_id=juror_id)
    except (SMTPException, OSError) as failed:  # the mail server is away for a moment: try again later
        raise self.retry(exc=failed, countdown=60 * 2**self.request.retries) from failed


@shared_task(name="judging.send_juror_invitation", bind=True, max_retries=3)
def send_juror_invitation(self: Task, *, juror_id: int) -> None:
    """E-mail a juror their invitation, with a fresh link to set their password."""
    juror = Juror.objects.select_related("user__profile", "contest").filter(pk=juror_id).first()
    if juror is None:
        logger.info("juror %s is gone: no invitation sent", juror_id)
        return
    try:
        invitations.juror_invitation_send(juror=juror)
    except (SMTPException, OSError) as failed:  # the mail server is away for a moment: try again later
        raise self.retry(exc=failed, countdown=60 * 2**self.request.retries) from failed


@shared_task(name="judging.remind_jurors_daily")
def remind_jurors_daily() -> int:
    """Remind every juror with unfinished reviews in a round that takes reviews now (each once per 12 hours)."""
    sent = reminders.jurors_remind_due()
    logger.info("reminded %d jurors", sent)
    return sent


@shared_task(name="judging.publish_results")
def publish_results(*, results_id: int) -> int:
    """Publish (or bring up to date) the blog posts of one round's finalised results; how many posts changed."""
    results = Results.objects.filter(pk=results_id).first()
    if results is None:
        logger.info("results %s are gone: nothing to publish", results_id)
        return 0
    report = publication.results_publish(actor=None, results=results)
    return len(report.changed)


@shared_task(name="judging.publish_due_results")
def publish_due_results() -> int:
    """Publish every finalised round's results whose announced time has come; how many were published."""
    published = publication.results_publish_due()
    logger.info("published the results of %d rounds", published)
    return published


@shared_task(name="judging.send_result_email", bind=True, max_retries=3)
def send_result_email(self: Task, *, results_id: int, user_id: int) -> None:
    """E-mail one participant their result in a round."""
    try:
        publication.result_email_send(results_id=results_id, user_id=user_id)
    except (SMTPException, OSError) as failed:  # the mail server is away for a moment: try again later
        raise self.retry(exc=failed, countdown=60 * 2**self.request.retries) from failed


@shared_task(name="judging.send_coauthor_result_email", bind=True, max_retries=3)
def send_coauthor_result_email(self: Task, *, results_id: int, coauthor_id: int) -> None:
    """E-mail one co-author the result of the entries they co-authored in a round."""
    try:
        publication.coauthor_result_email_send(results_id=results_id, coauthor_id=coauthor_id)
    except (SMTPException, OSError) as failed:  # the mail server is away for a moment: try again later
        raise self.retry(exc=failed, countdown=60 * 2**self.request.retries) from failed


@shared_task(name="judging.entries_rounds_follow", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def entries_rounds_follow(*, entry_ids: list[int]) -> int:
    """Put submitted entries in the round that follows submissions, with their jurors; take the others out.

    Idempotent, so a retry after the database was away for a moment (or a lock timed out) is safe.
    """
    return len(coverage.entries_rounds_follow(entry_ids=entry_ids))
