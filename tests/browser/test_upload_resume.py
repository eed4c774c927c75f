"""The entry's file through Uppy in a real browser: progress, a broken part retried, a reload resumed."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from config.celery import app
from config.exceptions import DeadlinePassed
from contest.services import contest_ensure_accepting
from media_pipeline import upload_parts, uploads
from media_pipeline.enums import UploadStatus
from media_pipeline.models import MediaAsset, UploadSession
from tests.factories import EntryFactory

pytestmark = pytest.mark.browser

CORPUS_VIDEO = (
    Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "videos" / "phpffmpeg_test_theora_vorbis.ogv"
)
MIB = 1024 * 1024
PART_PUT = re.compile(r"/api/v1/uploads/[0-9a-f-]+/parts/(\d+)/\?signature=")
#: Every percent the page reports, kept across its reload.
RECORD_PROGRESS = """
document.addEventListener("upload:progress", function (event) {
  var seen = JSON.parse(sessionStorage.getItem("progress") || "[]");
  seen.push(event.detail.percent);
  sessionStorage.setItem("progress", JSON.stringify(seen));
});
"""


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _pipeline_queued_not_run():  # type: ignore[no-untyped-def]
    """The new file is queued on the broker as in production, not processed inside the request."""
    app.conf.task_always_eager = False
    yield
    app.control.purge()
    from django.conf import settings

    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def entry(contest, participant):  # type: ignore[no-untyped-def]
    return EntryFactory(contest=contest, author=participant, title="Fractions with Wordwall")


def log_in(page, live_server, user):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/c/"))


def entry_page(page, live_server, entry):  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_PROGRESS)
    page.goto(f"{live_server.url}/en/c/{entry.contest.slug}/entries/{entry.code}/")
    page.wait_for_function("() => window.Uppy !== undefined")


def stored_bytes(entry) -> bytes:  # type: ignore[no-untyped-def]
    asset = MediaAsset.objects.get(entry=entry)
    with default_storage.open(asset.original.name, "rb") as stored:
        return stored.read()


def wait_for(page, condition, seconds: float = 30):  # type: ignore[no-untyped-def]
    """Poll the server side until ``condition()`` is truthy; the page keeps running (and routing) meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def test_upload_through_uppy(live_server, page, shoot, entry, participant):
    log_in(page, live_server, participant)
    entry_page(page, live_server, entry)
    page.locator("input[type=file]").set_input_files(str(CORPUS_VIDEO))
    shoot(page, "chosen")
    with page.expect_navigation():
        page.locator("form[data-resumable-upload] button[type=submit]").click()
    page.wait_for_selector("[data-upload-pending]")
    shoot(page, "pending")

    progress = json.loads(page.evaluate("sessionStorage.getItem('progress')"))
    assert progress[-1] == 100
    assert progress == sorted(progress)
    assert page.locator("[data-upload-pending]").inner_text() == (
        "New file “phpffmpeg_test_theora_vorbis.ogv” (1.7\xa0MB) received · Queued. "
        "It replaces the current file once it is checked."
    )
    assert stored_bytes(entry) == CORPUS_VIDEO.read_bytes()
    assert UploadSession.objects.get(entry=entry).status == UploadStatus.COMPLETED


def test_upload_retries_a_broken_part(live_server, page, shoot, entry, participant, tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "PART_SIZE", 5 * MIB)
    lesson = tmp_path / "lesson.mp4"
    lesson.write_bytes(os.urandom(11 * MIB))  # three parts: 5, 5 and 1 MiB
    attempts: dict[int, int] = {}

    def break_the_second_part_once(route):  # type: ignore[no-untyped-def]
        number = int(PART_PUT.search(route.request.url).group(1))
        attempts[number] = attempts.get(number, 0) + 1
        if number == 2 and attempts[number] == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    log_in(page, live_server, participant)
    entry_page(page, live_server, entry)
    page.route(PART_PUT, break_the_second_part_once)
    page.locator("input[type=file]").set_input_files(str(lesson))
    with page.expect_navigation(timeout=60_000):
        page.locator("form[data-resumable-upload] button[type=submit]").click()
    page.wait_for_selector("[data-upload-pending]")
    shoot(page, "pending")

    assert attempts == {1: 1, 2: 2, 3: 1}
    assert json.loads(page.evaluate("sessionStorage.getItem('progress')"))[-1] == 100
    assert stored_bytes(entry) == lesson.read_bytes()


@pytest.mark.parametrize(
    ("mib", "kept_by_browser"),
    [(9, True), (11, False)],
    ids=["file-kept-by-browser", "file-chosen-again"],
)
def test_upload_resumes_after_a_reload(
    live_server, page, shoot, entry, participant, tmp_path, monkeypatch, mib, kept_by_browser
):
    """The page is reloaded after the first part; only the other parts are sent after it.

    Golden Retriever keeps files up to 10 MiB in the browser and the upload goes on by itself; a larger file
    must be chosen again, and then the upload goes on from where it stopped.
    """
    monkeypatch.setattr(uploads, "PART_SIZE", 5 * MIB)
    lesson = tmp_path / "lesson.mp4"
    lesson.write_bytes(os.urandom(mib * MIB))
    sent: list[int] = []
    held: list = []
    line = {"broken": True}

    def hold_the_second_part(route):  # type: ignore[no-untyped-def]
        number = int(PART_PUT.search(route.request.url).group(1))
        if number == 2 and line["broken"]:
            held.append(route)  # no answer: the connection hangs
            return
        sent.append(number)
        route.continue_()

    log_in(page, live_server, participant)
    entry_page(page, live_server, entry)
    page.route(PART_PUT, hold_the_second_part)
    page.locator("input[type=file]").set_input_files(str(lesson))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    upload = wait_for(page, lambda: UploadSession.objects.filter(entry=entry).first())
    first_part = upload_parts.LocalParts.folder(upload) / "part-00001"
    wait_for(page, first_part.exists)
    wait_for(page, lambda: held)
    page.wait_for_timeout(1500)  # the browser notes the upload's state at most twice a second
    shoot(page, "interrupted")

    for route in held:
        route.abort("connectionreset")  # the part never reaches the server
    page.reload()
    line["broken"] = False
    if not kept_by_browser:
        status = page.locator("[data-upload-status]")
        expected = (
            "The upload of “lesson.mp4” was interrupted. Choose the same file again to continue where it stopped."
        )
        page.wait_for_function(
            "(text) => document.querySelector('[data-upload-status]').innerText === text", arg=expected
        )
        assert status.inner_text() == expected
        shoot(page, "choose-again")
        page.locator("input[type=file]").set_input_files(str(lesson))
    page.wait_for_selector("[data-upload-pending]", timeout=60_000)
    shoot(page, "resumed")

    assert sent == ([1, 2] if kept_by_browser else [1, 2, 3])
    assert stored_bytes(entry) == lesson.read_bytes()


def test_upload_refused_at_completion_says_why_in_the_page_language(live_server, page, shoot, contest, participant):
    """The deadline passes while the file is on its way: the server's reason is shown, in Russian."""
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    moment = {}

    def deadline_passes(route):  # type: ignore[no-untyped-def]
        contest.refresh_from_db()
        contest.submissions_close = timezone.now() - timedelta(seconds=1)
        contest.save(update_fields=["submissions_close"])
        moment["closed"] = contest.submissions_close
        route.continue_()

    log_in(page, live_server, participant)
    page.goto(f"{live_server.url}/ru/c/{contest.slug}/entries/{entry.code}/")
    page.wait_for_function("() => window.Uppy !== undefined && Uppy.locales.ru_RU !== undefined")
    page.route(re.compile(r"/api/v1/uploads/s3/multipart/[0-9a-f-]+/complete"), deadline_passes)
    page.locator("input[type=file]").set_input_files(str(CORPUS_VIDEO))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    alert = page.locator("[data-upload-status][role=alert]")
    alert.wait_for()
    with translation.override("ru"):
        try:
            contest_ensure_accepting(contest, now=moment["closed"] + timedelta(seconds=1))
        except DeadlinePassed as closed:
            expected = str(closed)
        # The entry has a file already: the refusal says that it stays.
        expected += " " + translation.gettext("Your current file stays as it was.")
    assert alert.inner_text() == expected
    assert (
        page.locator(".uppy-StatusBar-statusPrimary").inner_text().startswith("Загрузка не удалась")
    )  # Uppy's own Russian
    shoot(page, "refused")

    upload = UploadSession.objects.get(entry=entry)
    entry.refresh_from_db()
    assert (upload.status, entry.media) == (UploadStatus.OPEN, previous)
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0


def test_upload_of_a_file_over_the_limit_is_refused_in_the_browser(live_server, page, contest, participant):
    contest.max_file_size = 1_000_000
    contest.save(update_fields=["max_file_size"])
    entry = EntryFactory(contest=contest, author=participant)
    log_in(page, live_server, participant)
    entry_page(page, live_server, entry)
    page.locator("input[type=file]").set_input_files(str(CORPUS_VIDEO))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    alert = page.locator("[data-upload-status][role=alert]")
    alert.wait_for()
    assert alert.inner_text() == "This file is larger than 976.6\xa0KB, the limit of this contest."
    assert UploadSession.objects.count() == 0
