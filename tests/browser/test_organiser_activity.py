"""The activity log in a browser, in Kazakh, on a phone and on a desktop: rows, a filter, the downloads."""

import re

import pytest

from contest.services import platform_save
from tests.factories import ProfileFactory

pytestmark = pytest.mark.browser


def test_organiser_activity_in_kazakh_on_a_phone(live_server, page, shoot, contest, organiser):
    ProfileFactory(user=organiser, full_name="Әйгерім Ұйымдастырушы", preferred_language="kk")
    platform = platform_save(
        actor=organiser, contest=contest, name_kk="Wordwall", name_ru="Wordwall", name_en="Wordwall"
    )
    platform_save(
        actor=organiser, contest=contest, platform=platform, name_kk="Kahoot", name_ru="Kahoot", name_en="Kahoot"
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(organiser.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form:not(.entry-find) button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/")
    page.locator("nav a", has_text="Өзгерістер журналы").click()
    page.wait_for_url(re.compile(rf"/kk/organise/c/{contest.slug}/activity/$"))
    body = page.locator("main").inner_text()
    assert "Өзгерістер журналы" in body
    assert "Wordwall → Kahoot" in body
    shoot(page, "activity-phone")
    page.locator("select[name=action]").select_option(label="өзгертілді")
    page.locator("main form:not(.entry-find) button[type=submit]").click()
    page.wait_for_url(re.compile(r"action=1"))
    assert "Kahoot" in page.locator("main table").inner_text()
    assert "action=1" in (page.locator("main a[download]").first.get_attribute("href") or "")
    shoot(page, "activity-filtered")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "activity-desktop")
