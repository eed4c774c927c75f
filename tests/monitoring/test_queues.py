"""What organisers see of the queues and workers, against the real broker (Redis) and real workers."""

import time

import pytest
from django.urls import reverse
from django.utils import translation

from config.celery import app
from config.logging import request_id_reset, request_id_set
from contest.tasks import send_entry_submitted_email
from monitoring.models import TaskFailure
from monitoring.selectors import QueueState, queues_state
from tests.conftest import free_port
from tests.factories import EntryFactory

pytestmark = pytest.mark.services


def _wait_for(predicate, timeout=30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_queues_state_when_a_queue_has_no_worker_says_so_and_counts_its_waiting_tasks(
    workers, client, contest, organiser
):
    process = workers.start("default,media", name="qa")
    # Tasks no worker takes: they stay in the office queue.
    app.send_task("baige.tests.never_run", queue="office")
    app.send_task("baige.tests.never_run", queue="office")

    state = queues_state(worker_timeout=2.0)

    worker = next(iter(state.states[0].workers or ()), "")
    assert worker.startswith("qa@")
    assert (state.inline, state.broker_error, state.states) == (
        False,
        "",
        (
            QueueState("default", 0, (worker,)),
            QueueState("media", 0, (worker,)),
            QueueState("office", 2, ()),
        ),
    )
    assert [queue.unattended for queue in state.states] == [False, False, True]

    client.force_login(organiser)
    with translation.override("ru"):
        page = client.get(reverse("frontend:organiser_processing", kwargs={"slug": contest.slug}))
    html = page.content.decode()
    office_row = html.split('id="queue-office"')[1].split("</tr>")[0]
    media_row = html.split('id="queue-media"')[1].split("</tr>")[0]
    assert "<td>2</td>" in office_row and "Нет: эта работа ждёт, пока не запустят обработчик." in office_row
    assert "<td>0</td>" in media_row and worker in media_row
    workers.kill(process)


def test_task_failure_in_a_worker_is_recorded_with_the_request_id_that_queued_it(workers):
    entry = EntryFactory()
    workers.start(
        "default",
        name="qb",
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "9",
            "EMAIL_RETRIES": "0",
        },
    )
    token = request_id_set("req-from-web")
    try:
        sent = send_entry_submitted_email.delay(entry_id=entry.pk)
    finally:
        request_id_reset(token)

    assert _wait_for(lambda: TaskFailure.objects.exists()), workers.log("qb")
    failure = TaskFailure.objects.get()
    assert (
        failure.task_name,
        failure.task_id,
        failure.queue,
        failure.contest_id,
        failure.entry_code,
        failure.exception,
        failure.request_id,
    ) == (
        "contest.send_entry_submitted_email",
        sent.id,
        "default",
        entry.contest_id,
        entry.code,
        "ConnectionRefusedError",
        "req-from-web",
    )


def test_queues_state_when_broker_unreachable_reports_it_and_knows_nothing(monkeypatch, settings):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_read_url", f"redis://127.0.0.1:{free_port()}/0")

    state = queues_state(worker_timeout=0.5)

    assert state.broker_error.startswith("OperationalError: ")
    assert "Connection refused" in state.broker_error
    assert state.states == (
        QueueState("default", None, None),
        QueueState("media", None, None),
        QueueState("office", None, None),
    )
    assert [queue.unattended for queue in state.states] == [False, False, False]


def test_queues_state_when_tasks_run_inline_asks_no_broker(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "broker_read_url", f"redis://127.0.0.1:{free_port()}/0")

    state = queues_state()

    assert (state.inline, state.broker_error) == (True, "")
    assert [queue.waiting for queue in state.states] == [None, None, None]
