"""A juror with no participant profile makes an API token on a phone, in Kazakh, uses it and revokes it."""

import re
import urllib.error
import urllib.request

import pytest

from contest.enums import Role
from tests.factories import ContestRoleFactory

pytestmark = pytest.mark.browser


def api_status(url: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - the live test server, over http
        f"{url}/api/v1/entries/", headers={"Authorization": f"Token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live test server
            return int(response.status)
    except urllib.error.HTTPError as refusal:
        return refusal.code


def test_api_token_journey_on_a_phone(live_server, page, shoot, contest):  # type: ignore[no-untyped-def]
    juror = ContestRoleFactory(contest=contest, role=Role.JUROR).user
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(juror.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/(?!accounts/login)"))
    page.goto(f"{live_server.url}/kk/profile/")
    page.locator("#api-access a").click()
    page.wait_for_url(re.compile(r"/kk/account/tokens/$"))
    assert page.locator("h1").inner_text() == "API токендері"
    shoot(page, "empty")

    page.locator("main form input[name=name]").fill("бағалау скрипті")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/kk/account/tokens/$"))
    token = page.locator("#new-token-value").inner_text()
    assert token.startswith("baige_")
    shoot(page, "created")
    assert api_status(live_server.url, token) == 200

    page.reload()
    assert page.locator("#new-token").count() == 0
    assert token not in page.content()
    page.locator("#tokens button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/account/tokens/$"))
    assert "«бағалау скрипті» токені кері қайтарылды" in page.locator("main").inner_text()
    shoot(page, "revoked")
    assert api_status(live_server.url, token) == 403
