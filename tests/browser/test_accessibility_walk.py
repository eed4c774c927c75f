"""Every page of the site, as each role sees it in Kazakh, checked by axe-core in Chromium.

The pages are those of the Kazakh walk (``tests/frontend/test_kazakh_walk.py``), over the same seeded
data; the test client first finds which of them each role may open, so the browser loads each page a
role can see once, and one refusal (the 403 or 404 page) besides.
"""

from __future__ import annotations

import pytest
from django.test import Client

from exchange.demo import DEMO_PASSWORD
from tests.browser.axe import axe_checked, axe_wait, axe_watch
from tests.frontend.test_kazakh_walk import ROLES, seed_world, walk_paths


def _pages_of(world, role):  # type: ignore[no-untyped-def]
    """The HTML pages ``role`` opens (after any redirect), each once, with one refusal."""
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    pages, refused = [], []
    for paths in walk_paths(world).values():
        for path in paths:
            if path.endswith("/logout/"):
                continue
            response = client.get(path)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if response.status_code == 200:
                pages.append(path)
            elif response.status_code in (403, 404):
                refused.append(path)
    return pages + refused[:1]


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_kazakh_is_accessible(live_server, browser, transactional_db, role):  # type: ignore[no-untyped-def]
    world = seed_world()
    pages = _pages_of(world, role)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    violations = axe_watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    user = world.users[role]
    if user is not None:
        page.goto(f"{live_server.url}/kk/accounts/login/")
        page.locator("main form input[name=login]").fill(user.email)
        page.locator("main form input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in pages:
        axe_wait(page)
        page.goto(f"{live_server.url}{path}")

    assert len(pages) > 5
    axe_checked(page, violations)
