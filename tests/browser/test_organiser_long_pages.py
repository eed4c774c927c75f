"""The organiser's long pages on the demo contest, in Kazakh: their main action stays in reach, their wide tables
fit 1280 px without sideways scrolling and keep their essential columns on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from exchange.demo import demo_seed
from judging.models import Assignment, Round

pytestmark = pytest.mark.browser

#: Every table that scrolls in its own region, with its region's scrolled and visible widths.
TABLE_WIDTHS = """() => [...document.querySelectorAll('main table')].map(table => {
  const region = table.closest('.overflow-auto') || table.parentElement;
  return [table.id || table.className, region.scrollWidth, region.clientWidth];
})"""


def kk(message: str) -> str:
    with translation.override("kk"):
        return translation.gettext(message)


def fitting(page, *, only_fit=False):  # type: ignore[no-untyped-def]
    """The tables of the page whose region is wider than it shows (none, when the page is right)."""
    tables = page.evaluate(TABLE_WIDTHS)
    return [t for t in tables if t[1] > t[2] and (not only_fit or "fit" in t[0] or t[0] in ("jurors", "entries"))]


def test_long_organiser_pages_keep_their_actions_in_reach(live_server, page, shoot):  # type: ignore[no-untyped-def]
    summary = demo_seed()
    contest = summary.contest
    round = Round.objects.get(contest=contest, number=1)
    base = f"{live_server.url}/kk/organise/c/{contest.slug}"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(summary.organiser)
    page.locator("main form input[name=password]").fill(summary.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # At 1280 px every organiser table shows all its columns without scrolling sideways.
    for path in ("/", "/rounds/1/progress/", "/rounds/1/results/"):
        page.goto(base + path)
        assert fitting(page) == [], path
    shoot(page, "results-wide")

    # The assignment preview: its "Save" sits in the bar at the top, which stays in view down the long page.
    page.goto(f"{base}/rounds/1/assign/")
    page.locator("input[name=seed]").fill("7")
    page.locator("button[value=preview]").click()
    page.wait_for_load_state()
    assert fitting(page) == []
    save = page.locator("[data-page-bar] button[value=save]")
    assert save.bounding_box()["y"] < 600
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("() => document.documentElement.scrollHeight") > 5000
    box = save.bounding_box()
    assert 0 <= box["y"] < 900, box
    shoot(page, "assign-preview-scrolled")

    # The round is open and has assignments: saving another one asks first, with the count, in Kazakh.
    before = set(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))
    save.click()
    page.wait_for_selector("[data-assignment-change]")
    assert page.locator("h1").inner_text() == kk("Replace the assignments?")
    assert re.search(r"\d+", page.locator("[data-assignment-change]").inner_text())
    assert set(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id")) == before
    shoot(page, "assign-confirm")
    page.locator("button[value=save]").click()
    page.wait_for_url(f"{base}/rounds/1/assign/")
    assert Round.objects.get(pk=round.pk).assignment_seed == 7

    # On a phone the bar stays at the top of the page, and the tables keep the code, title and actions in view.
    page.set_viewport_size({"width": 375, "height": 812})
    for name, path in (("dashboard", "/"), ("progress", "/rounds/1/progress/"), ("results", "/rounds/1/results/")):
        page.goto(base + path)
        assert fitting(page, only_fit=True) == [], path
        shoot(page, f"{name}-phone")
    page.goto(f"{base}/rounds/1/progress/")
    assert page.locator("#jurors th").evaluate_all("cells => cells.filter(c => c.offsetParent).length") == 3
    bar = page.locator("[data-page-bar]").bounding_box()
    assert bar["y"] + bar["height"] <= 812  # on the first screen, under the organisers' menu
