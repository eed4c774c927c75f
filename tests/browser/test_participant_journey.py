"""A participant's whole journey in a real browser: sign up, verify, create, upload, submit."""

import re
from pathlib import Path

import pytest
from django.core import mail

from contest.enums import EntryStatus
from contest.models import Entry, ParticipantProfile

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "upload"),
    [
        ("kk", CORPUS / "videos" / "exoplayer_sample_h264_aac.mp4"),
        ("en", CORPUS / "presentations" / "onlyoffice_sample_presentation_ru.pptx"),
    ],
)
def test_participant_journey(live_server, page, shoot, contest, nomination, platforms, language, upload):
    email = f"student-{language}@example.org"
    page.goto(f"{live_server.url}/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    countdown = page.locator(".countdown")
    first_reading = countdown.inner_text()
    page.wait_for_function("(first) => document.querySelector('.countdown').innerText !== first", arg=first_reading)
    local_deadline = page.locator("[data-local-out]").nth(1)
    assert local_deadline.is_visible()
    assert local_deadline.inner_text().endswith("(Asia/Bishkek)")
    shoot(page, "contest")

    page.locator(f"header a[href='/{language}/accounts/signup/']").click()
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password1]").fill("Tulpar-2026-kz")
    form.locator("input[name=password2]").fill("Tulpar-2026-kz")
    form.locator("input[name=full_name]").fill("Аружан Сейткали")
    form.locator("select[name=university]").select_option(index=1)
    form.locator("input[name=programme]").fill("Pedagogy and psychology")
    form.locator("select[name=country]").select_option("KZ")
    form.locator("select[name=preferred_language]").select_option(language)
    shoot(page, "signup")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    shoot(page, "verification-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    shoot(page, "confirm-email")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/c/{contest.slug}/$"))

    page.locator(f"main a[href='/{language}/c/{contest.slug}/entries/new/']").first.click()
    page.locator("input[name=title]").fill("Бөлшектер: Wordwall ойыны")
    page.locator("textarea[name=description]").fill("A lesson on fractions with a quiz and a wheel.")
    page.locator("select[name=nomination]").select_option(str(nomination.pk))
    page.locator(f"input[name=platforms][value='{platforms[0].pk}']").check()
    page.locator(f"input[name=platforms][value='{platforms[1].pk}']").check()
    page.locator("input[name=live_url]").fill("https://wordwall.net/resource/12345")
    page.locator("input[name=consent_to_publish]").check()
    shoot(page, "entry-form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/c/{contest.slug}/entries/[A-Z0-9]+/$"))

    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    page.wait_for_selector("a[href$='/file/']")
    shoot(page, "uploaded")

    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_selector(".status-submitted")
    shoot(page, "submitted")

    entry = Entry.objects.get(author__email=email)
    assert entry.status == EntryStatus.SUBMITTED
    assert sorted(p.pk for p in entry.platforms.all()) == sorted(p.pk for p in platforms)
    assert entry.media.size == upload.stat().st_size
    assert entry.media.kind == ("video" if upload.suffix == ".mp4" else "presentation")
    profile = ParticipantProfile.objects.get(user=entry.author)
    assert (profile.full_name, profile.preferred_language) == ("Аружан Сейткали", language)
