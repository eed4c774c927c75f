"""The organiser's pages on a phone, in Russian: dashboard, settings, platforms, nominations, import."""

import re

import pytest

from tests.factories import EntryFactory

pytestmark = pytest.mark.browser


def test_organiser_pages_on_a_phone(live_server, page, shoot, contest, nomination, platforms, organiser):
    codes = [EntryFactory(contest=contest, nomination=nomination, platforms=platforms).code for _ in range(3)]
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("main form input[name=login]").fill(organiser.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/c/"))
    page.locator("header a[href='/ru/organise/']").click()
    page.wait_for_url(re.compile(rf"/ru/organise/c/{contest.slug}/$"))
    body = page.locator("main").inner_text()
    assert all(code in body for code in codes)
    shoot(page, "dashboard")
    for name in ("settings", "platforms", "nominations", "import"):
        page.goto(f"{live_server.url}/ru/organise/c/{contest.slug}/{name}/")
        assert page.locator("html").get_attribute("lang") == "ru"
        shoot(page, name)
