"""The organiser in Kazakh on a phone: a ZIP of the entries' files from the dashboard, and the statistics chart
with the names typed under "Other", on a phone and on a wide screen."""

import re

import pytest

from contest.models import Entry
from tests.contest.test_statistics import entry_by
from tests.exchange.test_entry_files import SLIDES, VIDEO, entry_with
from tests.factories import PlatformFactory, ProfileFactory

pytestmark = pytest.mark.browser


def log_in(page, live_server, organiser):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(organiser.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/c/"))


def labels_apart(page) -> bool:  # type: ignore[no-untyped-def]
    """No two names of the chart overlap, and each is drawn at least 10 px high."""
    boxes = page.eval_on_selector_all(
        "#platform-chart .bar-name",
        "nodes => nodes.map(n => { const b = n.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; })",
    )
    for index, (x, y, width, height) in enumerate(boxes):
        assert height >= 10, boxes
        for x2, y2, width2, height2 in boxes[index + 1 :]:
            if x < x2 + width2 and x2 < x + width and y < y2 + height2 and y2 < y + height:
                return False
    return True


def test_files_zip_and_other_names_on_a_phone_and_wide(live_server, page, shoot, contest, nomination, organiser):
    other = PlatformFactory(contest=contest, name="Other", name_en="Other", name_kk="Басқа", is_other=True)
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall", name_kk="Wordwall")
    entry_with(contest, nomination, code="VID001", original=VIDEO, platforms=[wordwall])
    entry_with(contest, nomination, code="SLD002", original=SLIDES, name="deck.pptx", platforms=[other])
    for name in ("Kahoot!", " kahoot! ", "Mentimeter", "Quizizz", "LearningApps with a rather long name typed in"):
        entry = entry_by(ProfileFactory().user, contest, nomination, [other])
        Entry.objects.filter(pk=entry.pk).update(other_platform=name)
    log_in(page, live_server, organiser)

    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/?status=submitted")
    page.locator("#download-files").click()
    page.wait_for_url(re.compile(rf"/kk/organise/c/{contest.slug}/files/\?status=submitted$"))
    assert page.locator("select[name=status]").input_value() == "submitted"
    shoot(page, "files-form")
    page.locator("#files-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kk/organise/c/{contest.slug}/files/$"))
    link = page.locator("#archives a[download]")
    assert "Жүктеу (2 файл" in link.inner_text()
    shoot(page, "files-ready")

    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/statistics/")
    assert "Mentimeter" in page.locator("#platform-table").inner_text()
    assert labels_apart(page)
    assert page.locator("#platform-chart").bounding_box()["width"] <= 390
    shoot(page, "statistics-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/statistics/")
    assert labels_apart(page)
    page.locator("#platform-chart").screenshot(path="test-artifacts/screenshots/statistics-chart-wide.png")
