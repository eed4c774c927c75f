"""An organiser issues the certificates and previews a text; a holder's QR code leads a visitor to its page."""

from __future__ import annotations

import re

import pytest

from certificates.enums import CertificateKind
from certificates.models import Certificate
from tests.certificates import KAZAKH_NAME, published_contest
from tests.factories import ContestRoleFactory, ProfileFactory

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/(?!accounts/login)"))


def test_organiser_issues_certificates_and_a_visitor_verifies_one(  # type: ignore[no-untyped-def]
    live_server, browser, page, shoot, contest
):
    from contest.enums import Role

    scenario = published_contest(contest)
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=organiser, full_name="Organiser")
    log_in(page, live_server, organiser)

    page.goto(f"{live_server.url}/en/organise/c/{contest.slug}/certificates/")
    shoot(page, "before")
    page.locator("#issue-form select[name=kind]").select_option("winner")
    page.locator("#issue-form button[type=submit]").click()
    page.wait_for_selector("#certificates")
    assert page.locator("#run-progress").get_attribute("data-done") == "5"
    assert page.locator("#certificates tbody tr").count() == 5
    shoot(page, "issued")

    page.goto(f"{live_server.url}/en/organise/c/{contest.slug}/certificates/texts/?kind=juror&language=kk")
    page.locator("#text-form input[name=title]").fill("Алғыс хат")
    page.locator("#text-form textarea[name=body]").fill("Құрметті {name}!\n\nСіз {entries_scored} жұмысты бағаладыңыз.")
    page.locator("#text-form button[type=submit]").click()
    page.wait_for_selector("#preview")
    page.wait_for_function("document.querySelector('#preview').complete")
    assert page.evaluate("document.querySelector('#preview').naturalWidth") == 900
    shoot(page, "texts")
    page.locator("#text-form textarea[name=body]").fill("{name} {award}")
    page.locator("#text-form button[type=submit]").click()
    assert "Unknown placeholder {award}" in page.locator("#text-form").inner_text()

    diploma = Certificate.objects.get(kind=CertificateKind.WINNER, full_name=KAZAKH_NAME)
    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    phone = visitor.new_page()
    try:
        phone.goto(f"{live_server.url}/kk/verify/{diploma.code.lower()}/")
        assert phone.locator("#holder").inner_text() == KAZAKH_NAME
        assert phone.locator("#certificate-state").get_attribute("data-state") == "valid"
        shoot(phone, "verify-kk")
        wrong = phone.goto(f"{live_server.url}/kk/verify/{'A' * 12}/")
        assert wrong is not None and wrong.status == 404
    finally:
        visitor.close()
    assert scenario.finalised.gold.code == diploma.entry.code
