"""Background work of judging: reminders to jurors, publication of results, and the e-mails of both.

Each task loads its rows (and stops, logging, when they are gone) and calls a service; the services
queue these tasks by name (:func:`config.enqueue.enqueue_on_commit`), never by importing this module.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError

from contest.mail import mail_task
from contest.models import CoAuthor
from judging.coverage import entries_rounds_follow as rounds_follow
from judging.models import Juror, Results, Round
from judging.services.invitations import juror_invitation_send
from judging.services.publication import results_publish, results_publish_due
from judging.services.reminders import juror_reminder_send, jurors_remind_due
from judging.services.result_mail import result_notice_for, result_notice_send
from judging.services.round_notices import juror_round_opened_send
from judging.services.schedule import round_schedule_problem_send, rounds_advance

logger = logging.getLogger(__name__)


@mail_task("judging.send_juror_reminder")
def send_juror_reminder(*, round_id: int, juror_id: int) -> None:
    """E-mail one juror a reminder of their unfinished reviews in a round."""
    round = Round.objects.select_related("contest").filter(pk=round_id).first()
    juror = Juror.objects.select_related("user__profile").filter(pk=juror_id, round_links__round_id=round_id).first()
    if round is None or juror is None:
        logger.info("no reminder for juror %s in round %s: gone", juror_id, round_id)
        return
    juror_reminder_send(round=round, juror=juror)


@mail_task("judging.send_juror_invitation")
def send_juror_invitation(*, juror_id: int) -> None:
    """E-mail a juror their invitation, with a fresh link to set their password."""
    juror = Juror.objects.select_related("user__profile", "contest").filter(pk=juror_id).first()
    if juror is None:
        logger.info("juror %s is gone: no invitation sent", juror_id)
        return
    juror_invitation_send(juror=juror)


@mail_task("judging.send_round_opened")
def send_round_opened(*, round_id: int, juror_id: int) -> None:
    """E-mail one juror that a round of theirs is open (claimed once per juror and round when it opened)."""
    round = Round.objects.select_related("contest").filter(pk=round_id).first()
    juror = Juror.objects.select_related("user__profile").filter(pk=juror_id, round_links__round_id=round_id).first()
    if round is None or juror is None:
        logger.info("no opening e-mail for juror %s in round %s: gone", juror_id, round_id)
        return
    juror_round_opened_send(round=round, juror=juror)


@mail_task("judging.send_round_schedule_problem")
def send_round_schedule_problem(*, round_id: int, opening: bool) -> None:
    """E-mail the organisers why a round did not open or close by itself (once per problem)."""
    round = Round.objects.select_related("contest").filter(pk=round_id).first()
    if round is None:
        logger.info("round %s is gone: its organisers are not told", round_id)
        return
    round_schedule_problem_send(round=round, opening=opening)


@shared_task(name="judging.advance_rounds")
def advance_rounds() -> int:
    """Open and close the rounds whose times have come, and remind jurors of rounds about to close."""
    done = rounds_advance()
    if done.opened or done.closed or done.refused or done.reminded:
        logger.info(
            "rounds opened %s, closed %s, refused %s; %d jurors reminded",
            done.opened,
            done.closed,
            done.refused,
            done.reminded,
        )
    return len(done.opened) + len(done.closed)


@shared_task(name="judging.remind_jurors_daily")
def remind_jurors_daily() -> int:
    """Remind every juror with unfinished reviews in a round that takes reviews now (each once per 12 hours)."""
    sent = jurors_remind_due()
    logger.info("reminded %d jurors", sent)
    return sent


@shared_task(name="judging.publish_results")
def publish_results(*, results_id: int) -> int:
    """Publish (or bring up to date) the blog posts of one round's finalised results; how many posts changed."""
    results = Results.objects.filter(pk=results_id).first()
    if results is None:
        logger.info("results %s are gone: nothing to publish", results_id)
        return 0
    report = results_publish(actor=None, results=results)
    return len(report.changed)


@shared_task(name="judging.publish_due_results")
def publish_due_results() -> int:
    """Publish every finalised round's results whose announced time has come; how many were published."""
    published = results_publish_due()
    logger.info("published the results of %d rounds", published)
    return published


@mail_task("judging.send_result_notice")
def send_result_notice(*, notice_id: int) -> None:
    """E-mail one address the contest's results, unless it was told already (the claim says so)."""
    result_notice_send(notice_id=notice_id)


@mail_task("judging.send_result_email")
def send_result_email(*, results_id: int, user_id: int) -> None:
    """E-mail one participant the contest's results, through the claim of their address (queued by older Baiges)."""
    results = Results.objects.select_related("round__contest").filter(pk=results_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    notice = result_notice_for(contest=results.round.contest, email=user.email) if results and user else None
    if notice is None:
        logger.info("no result e-mail to user %s for results %s: gone", user_id, results_id)
        return
    result_notice_send(notice_id=notice.pk)


@mail_task("judging.send_coauthor_result_email")
def send_coauthor_result_email(*, results_id: int, coauthor_id: int) -> None:
    """E-mail one co-author the contest's results, through the claim of their address (queued by older Baiges)."""
    results = Results.objects.select_related("round__contest").filter(pk=results_id).first()
    coauthor = CoAuthor.objects.filter(pk=coauthor_id).first()
    notice = result_notice_for(contest=results.round.contest, email=coauthor.email) if results and coauthor else None
    if notice is None:
        logger.info("no result e-mail to co-author %s for results %s: gone", coauthor_id, results_id)
        return
    result_notice_send(notice_id=notice.pk)


@shared_task(name="judging.entries_rounds_follow", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def entries_rounds_follow(*, entry_ids: list[int]) -> int:
    """Put submitted entries in the round that follows submissions, with their jurors; take the others out.

    Idempotent, so a retry after the database was away for a moment (or a lock timed out) is safe.
    """
    return len(rounds_follow(entry_ids=entry_ids))
