"""Request ids in responses, log lines and Celery tasks; JSON log lines; the LOG_FORMAT setting."""

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from config.celery import app
from config.logging import JsonFormatter, RequestIdFilter, request_id_bound, request_id_get
from config.middleware import RequestIdMiddleware
from judging.tasks import publish_results

ROOT = Path(__file__).resolve().parent.parent.parent
GENERATED = re.compile(r"[0-9a-f]{32}")
# The JavaScript catalogue needs no database: the request id is all these requests test.
PAGE = "/en/jsi18n/"
MISSING_PAGE = "/en/no-such-page/"


@pytest.fixture
def captured(caplog):  # type: ignore[no-untyped-def]
    """caplog with the request-id filter of the console handler, at INFO."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    return caplog


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_response_when_no_request_id_sent_has_a_generated_one(client):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_response_when_requests_follow_each_other_has_a_new_id_each(client):
    first, second = client.get(PAGE), client.get(PAGE)

    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize("sent", ["abc", "proxy-1.2_3", "A" * 64])
def test_response_when_valid_request_id_sent_keeps_it(client, sent):
    response = client.get(PAGE, headers={"X-Request-ID": sent})

    assert response["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "A" * 65, "with space", "semi;colon", '"quoted"', "ünï", "a/b"])
def test_response_when_invalid_request_id_sent_replaces_it(client, sent):
    response = client.get(PAGE, headers={"X-Request-ID": sent})

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_request_id_when_request_ends_is_no_longer_current(client):
    client.get(PAGE, headers={"X-Request-ID": "finished"})

    assert request_id_get() is None


def test_log_record_when_emitted_during_request_carries_its_id_in_json(client, db, captured):
    response = client.get(MISSING_PAGE, headers={"X-Request-ID": "req-404"})

    assert response.status_code == 404
    [record] = [record for record in captured.records if record.name == "django.request"]
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", str(entry["time"]))
    assert {key: value for key, value in entry.items() if key != "time"} == {
        "level": "WARNING",
        "logger": "django.request",
        "message": f"Not Found: {MISSING_PAGE}",
        "request_id": "req-404",
    }


def test_json_formatter_when_exception_writes_it_as_one_string():
    try:
        raise ValueError("the disk is full")
    except ValueError:
        record = logging.getLogger("media_pipeline.pipeline").makeRecord(
            "media_pipeline.pipeline", logging.ERROR, __file__, 1, "asset %s failed", (7,), sys.exc_info()
        )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "asset 7 failed"
    assert entry["level"] == "ERROR"
    assert entry["request_id"] is None
    exception = str(entry["exception"])
    assert exception.startswith("Traceback (most recent call last):\n")
    assert exception.endswith("ValueError: the disk is full")


def test_request_id_filter_when_outside_request_stamps_none():
    record = logging.makeLogRecord({"msg": "beat"})

    assert RequestIdFilter().filter(record) is True
    assert record.request_id is None


def test_task_publish_when_request_id_current_adds_it_to_headers():
    headers: dict[str, object] = {"id": "task-1"}

    with request_id_bound("req-7"):
        before_task_publish.send(sender="judging.publish_results", body=(), headers=headers)

    assert headers == {"id": "task-1", "request_id": "req-7"}


def test_task_publish_when_no_request_id_leaves_headers_alone():
    headers: dict[str, object] = {"id": "task-1"}

    before_task_publish.send(sender="judging.publish_results", body=(), headers=headers)

    assert headers == {"id": "task-1"}


@pytest.fixture
def eager_tasks():  # type: ignore[no-untyped-def]
    """Tasks run in the test's process, whatever the environment asks for."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_task_when_run_eagerly_during_request_logs_with_its_id(db, captured, eager_tasks):
    # Eager tasks are never published, so they keep the id of the request that runs them.

    def view(request: HttpRequest) -> HttpResponse:
        publish_results.delay(results_id=0)
        return HttpResponse()

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-ID": "eager-1"}))

    assert response["X-Request-ID"] == "eager-1"
    [record] = [record for record in captured.records if record.name == "judging.tasks"]
    assert record.getMessage() == "results 0 are gone: nothing to publish"
    assert record.request_id == "eager-1"  # type: ignore[attr-defined]
    assert request_id_get() is None


@pytest.mark.services
def test_task_when_run_by_worker_logs_json_with_the_request_id(workers):
    workers.start("default", extra_env={"LOG_FORMAT": "json"})

    with request_id_bound("from-the-web-1"):
        publish_results.delay(results_id=0)
    # Queued outside any request: the worker must not lend it the previous task's id.
    publish_results.delay(results_id=-1)

    deadline = time.monotonic() + 30
    messages: dict[object, dict[str, object]] = {}
    while time.monotonic() < deadline and len(messages) < 2:
        time.sleep(0.2)
        messages = {
            entry["message"]: entry for entry in _json_lines(workers.log()) if entry["logger"] == "judging.tasks"
        }
    first = messages["results 0 are gone: nothing to publish"]
    second = messages["results -1 are gone: nothing to publish"]
    assert (first["level"], first["request_id"]) == ("INFO", "from-the-web-1")
    assert (second["level"], second["request_id"]) == ("INFO", None)


def _child_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A clean environment: nothing of the test run's own configuration leaks into the child."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BAIGE_DATA_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "a-key-for-this-test-only",
        **variables,
    }


# Logs through the LOGGING setting, as a web process does, inside a request id.
LOG_IN_CHILD = """
import logging
import django
django.setup()
from config.logging import request_id_bound
with request_id_bound("child-9"):
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("contest.tasks").exception("could not send %s", "mail")
"""


def test_logging_when_log_format_json_writes_json_lines(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LOG_IN_CHILD],
        cwd=ROOT,
        env=_child_env(tmp_path, LOG_FORMAT="json"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    [entry] = _json_lines(done.stderr)
    assert (entry["level"], entry["logger"], entry["message"], entry["request_id"]) == (
        "ERROR",
        "contest.tasks",
        "could not send mail",
        "child-9",
    )
    assert str(entry["exception"]).endswith("ZeroDivisionError: division by zero")


def test_logging_when_no_log_format_writes_plain_text(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LOG_IN_CHILD], cwd=ROOT, env=_child_env(tmp_path), capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("could not send mail\nTraceback (most recent call last):\n")
    assert _json_lines(done.stderr) == []


def test_start_when_log_format_unknown_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_child_env(tmp_path, LOG_FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: LOG_FORMAT must be text or json, not 'xml'."
    )
