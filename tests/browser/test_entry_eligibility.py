"""An organiser disqualifies an entry on a phone in Kazakh; its author reads why in Russian; it is reinstated."""

import re

import pytest
from django.core import mail

from contest.models import ParticipantProfile
from judging.models import Assignment, RoundEntry
from tests.judging import entry_from, juror_in, round_of

pytestmark = pytest.mark.browser

REASON = "Бұл сабақ басқа байқауда жеңіп алған."


def log_in(page, base: str, language: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{language}/accounts/login/")
    page.locator("main form input[name=login]").fill(email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_disqualify_and_reinstate_on_a_phone_in_kazakh(live_server, page, shoot, contest, organiser):
    ParticipantProfile.objects.update_or_create(
        user=organiser, defaults={"full_name": "Ұйымдастырушы", "preferred_language": "kk"}
    )
    jurors = [juror_in(contest, name="Anna"), juror_in(contest, name="Boris")]
    entry = entry_from(contest, None, title="Бөлшектер Wordwall-да")
    ParticipantProfile.objects.filter(user=entry.author).update(preferred_language="ru")
    entry.author.set_password("correct-horse-9")
    entry.author.save()
    round = round_of(contest, [entry], jurors)
    for juror in jurors:
        Assignment.objects.create(round=round, juror=juror, entry=entry)

    log_in(page, live_server.url, "kk", organiser.email)
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/")
    page.locator(f"a[href='/kk/organise/c/{contest.slug}/entries/{entry.code}/eligibility/']").click()
    page.wait_for_url(re.compile(rf"/kk/organise/c/{contest.slug}/entries/{entry.code}/eligibility/$"))
    assert "«Round 1» кезеңі: 2 тағайындау алынып тасталады" in page.locator("#disqualify-effects").inner_text()
    shoot(page, "before")

    page.locator("button[type=submit]", has_text="Жұмысты шеттету").click()  # nothing filled: the browser asks
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("input[name=confirm]").check()
    page.locator("button[type=submit]", has_text="Жұмысты шеттету").click()
    page.wait_for_load_state()
    assert REASON in page.locator("#eligibility-reason").inner_text()
    assert not RoundEntry.objects.filter(entry=entry).exists()
    shoot(page, "disqualified")

    context = page.context.browser.new_context(viewport={"width": 375, "height": 800})
    author = context.new_page()
    log_in(author, live_server.url, "ru", entry.author.email)
    author.goto(f"{live_server.url}/ru/c/{contest.slug}/entries/{entry.code}/")
    notice = author.locator("#entry-disqualified").inner_text()
    assert "Организаторы дисквалифицировали эту работу" in notice
    assert REASON in notice
    context.close()

    page.locator("input[name=confirm]").check()
    page.locator("button[type=submit]", has_text="Жұмысты қайта қабылдау").click()
    page.wait_for_load_state()
    assert RoundEntry.objects.filter(entry=entry).exists()
    assert [message.subject.split(":")[0] for message in mail.outbox] == [
        f"Работа {entry.code} дисквалифицирована",
        f"Работа {entry.code} восстановлена",
    ]
    shoot(page, "reinstated")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/")
    assert page.locator(f"a[href='/kk/organise/c/{contest.slug}/entries/{entry.code}/eligibility/']").is_visible()
    shoot(page, "dashboard-wide")
