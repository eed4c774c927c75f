"""Upload a video and a presentation in a real browser, watch them processed by a live worker, then view them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset
from tests.factories import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _log_in(page, live_server, user):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/c/"))


def _upload_and_watch(page, shoot, live_server, workers, queues, entry, path, step):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/ru/c/{entry.contest.slug}/entries/{entry.code}/")
    page.locator("form[data-resumable-upload] input[type=file]").set_input_files(str(path))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    # After the upload the page follows the processing until it reloads with the result. The worker
    # for the file's queue starts only once the page shows the file waiting: a small file is processed
    # in about a second, faster than the page would show its state otherwise.
    page.wait_for_selector("[data-media-status]", timeout=60_000)
    shoot(page, f"{step}-processing")
    workers.start(queues, name=step)
    # The video may play before every output is made; the state box goes once all are ready.
    page.wait_for_selector("[data-media-status]", state="detached", timeout=180_000)
    page.wait_for_selector(".player video, [data-slides]", timeout=30_000)
    asset = MediaAsset.objects.filter(entry=entry).latest("created_at")
    assert asset.status == AssetStatus.READY
    shoot(page, f"{step}-ready")
    return asset


def test_video_and_presentation_processed_and_viewed(
    live_server, workers, shared_media, page, shoot, contest, participant
):  # type: ignore[no-untyped-def]
    from config.celery import app

    # Tasks wait in the broker until the test starts a worker (the workers fixture puts this back).
    app.conf.task_always_eager = False
    _log_in(page, live_server, participant)

    lesson = EntryFactory(contest=contest, author=participant, title="Видеоурок")
    _upload_and_watch(
        page,
        shoot,
        live_server,
        workers,
        "default,media",
        lesson,
        CORPUS / "videos" / "phpffmpeg_portrait_iphone_rotate90.mov",
        "video",
    )
    video = page.locator(".player video")
    page.wait_for_function("() => document.querySelector('.player video').readyState >= 1", timeout=30_000)
    width, height = video.evaluate("v => [v.videoWidth, v.videoHeight]")
    assert height > width  # the portrait phone video plays upright

    slides = EntryFactory(contest=contest, author=participant, title="Презентация")
    asset = _upload_and_watch(
        page,
        shoot,
        live_server,
        workers,
        "office",
        slides,
        CORPUS / "presentations" / "onlyoffice_sample_presentation_ru.pptx",
        "slides",
    )
    counter = page.locator("[data-slide-counter]")
    expected = "(n) => interpolate(gettext('%s of %s'), [n, " + str(asset.pages) + "])"
    assert counter.inner_text() == page.evaluate(expected, 1)
    assert "из" in counter.inner_text()  # the viewer speaks Russian on a Russian page
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == page.evaluate(expected, 2)
    assert page.locator("[data-slide]:visible").count() == 1
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-slide]')].some(i => !i.hidden && i.naturalWidth > 0)"
    )
    shoot(page, "slides-second")
