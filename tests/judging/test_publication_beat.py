"""Publication at the announced time: Celery beat asks a worker every minute, and results go out exactly once."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from blog.models import Post, PostStatus
from config.celery import app
from judging.models import Results
from judging.tasks import publish_due_results, publish_results
from tests.factories import ContestFactory
from tests.judging.test_publication import finalised_round


def test_publish_due_results_is_on_celery_beats_schedule_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-due-results"]

    assert (entry["task"], entry["schedule"]) == ("judging.publish_due_results", 60.0)
    assert publish_due_results.name in app.tasks
    assert publish_results.name == "judging.publish_results"


def test_publish_results_task_publishes_the_results(contest):
    finalised = finalised_round(contest)

    assert publish_results(results_id=finalised.results.pk) == 3
    assert publish_results(results_id=finalised.results.pk) == 0  # nothing changed since

    assert Post.objects.filter(contest=contest, status=PostStatus.PUBLISHED).count() == 3


def test_publish_results_task_of_results_gone_does_nothing(db):
    assert publish_results(results_id=987654) == 0
    assert Post.objects.count() == 0


@pytest.mark.services
def test_celery_beat_publishes_due_results_exactly_once(workers):
    due = finalised_round(ContestFactory(results_publish_at=timezone.now() - timedelta(minutes=1)))
    later = finalised_round(ContestFactory(results_publish_at=timezone.now() + timedelta(days=1)))

    workers.start("default", beat=True, extra_env={"RESULTS_PUBLISH_INTERVAL": "0.5"})

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and workers.log().count("judging.publish_due_results[") < 8:
        time.sleep(0.2)
    while time.monotonic() < deadline and workers.log().count("judging.send_result_notice[") < 8:
        time.sleep(0.2)
    time.sleep(1)
    log = workers.log()
    assert log.count("judging.publish_due_results[") >= 8, log  # received and succeeded, four runs or more
    assert log.count("published the results of 1 rounds") == 1, log
    due.results.refresh_from_db()
    later.results.refresh_from_db()
    assert due.results.published_at is not None
    assert later.results.published_at is None
    assert Post.objects.filter(contest=due.contest, status=PostStatus.PUBLISHED).count() == 3
    assert Post.objects.filter(contest=later.contest).count() == 0
    assert Results.objects.filter(published_at__isnull=False).count() == 1
    mails = [path.read_text() for path in workers.mail_dir.iterdir()] if workers.mail_dir.exists() else []
    recipients = sorted(
        line.removeprefix("To: ") for mail in mails for line in mail.splitlines() if line.startswith("To: ")
    )
    participants = (due.gold, due.silver, due.special, due.loser)
    assert recipients == sorted(entry.author.email for entry in participants), log
