"""An organiser writes a message in Kazakh on a phone, previews it for one person, sends it and sees each copy."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from contest.enums import Role
from messaging.enums import DeliveryStatus
from messaging.models import MessageRecipient
from tests.factories import ContestRoleFactory, ProfileFactory
from tests.messaging import people_of

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/(?!accounts/login)"))


def test_organiser_writes_previews_and_sends_a_message(  # type: ignore[no-untyped-def]
    live_server, browser, page, shoot, contest
):
    people_of(contest)
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=organiser, full_name="Ұйымдастырушы", preferred_language="kk")
    log_in(page, live_server, organiser)
    base = f"{live_server.url}/kk/organise/c/{contest.slug}/messages/"

    page.goto(base)
    assert page.locator("#no-messages").is_visible()
    shoot(page, "empty")
    page.locator("#new-message").click()
    page.locator("#message-form input[name=submitted]").check()
    page.locator("#message-form input[name=coauthors]").check()
    page.locator("#message-form input[name=subject_kk]").fill("Сәлем, {name.__class__}")
    page.locator("#message-form textarea[name=body_kk]").fill("Жұмыстарыңыз: {entry_code}. Мерзімі: {deadline}.")
    page.locator("#message-form button[type=submit]").click()
    assert "{name.__class__}" in page.locator("#message-form").inner_text()
    shoot(page, "refused")
    page.locator("#message-form input[name=subject_kk]").fill("Сәлем, {name}")
    page.locator("#message-form button[type=submit]").click()
    page.wait_for_selector("#preview")
    assert page.locator("#people-count").inner_text() == "Қазір оны 4 адам алар еді."
    page.locator("#preview-to").select_option("dana@example.org")
    page.locator("#preview-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"to=dana"))
    assert page.locator("#preview-subject").inner_text() == "Сәлем, Dana Account"
    shoot(page, "preview")

    page.locator("#send-form button[type=submit]").click()
    page.wait_for_selector("#recipients")
    assert page.locator("#recipients tbody tr[data-status=sent]").count() == 4
    shoot(page, "sent")
    assert sorted(email.to[0] for email in mail.outbox) == [
        "asel@example.org",
        "bolat@example.org",
        "dana@example.org",
        "erlan@example.org",
    ]
    assert MessageRecipient.objects.filter(status=DeliveryStatus.SENT).count() == 4

    page.goto(base)
    assert page.locator("#messages tbody tr td.sent").inner_text() == "4"
    shoot(page, "list")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}new/")
    shoot(page, "compose-wide")
