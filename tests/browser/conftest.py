"""Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.axe import axe_before_leaving, axe_checked, axe_wait, axe_watch

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the
# same thread are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):  # type: ignore[no-untyped-def]
    """A phone-sized page; its last screen is saved even when the test fails; every page it loads is checked by axe."""
    # A visitor in Bishkek (UTC+6) looking at a contest that runs on Almaty time (UTC+5).
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, timezone_id="Asia/Bishkek"
    )
    violations = axe_watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe_before_leaving(page)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
    axe_checked(page, violations)


@pytest.fixture
def shoot(request):  # type: ignore[no-untyped-def]
    """Save a numbered screenshot of a step of the journey."""
    counter = {"n": 0}

    def _shoot(page, step: str) -> Path:  # type: ignore[no-untyped-def]
        counter["n"] += 1
        axe_wait(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        # Phone-sized: nothing may push the page wider than the screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{step}: the page is {width}px wide on a phone"
        return path

    return _shoot
