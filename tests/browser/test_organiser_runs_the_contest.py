"""An organiser runs the contest from Baige alone, in a real browser: opens an entry from the dashboard and watches
its video, disqualifies it (its author reads why in Kazakh), writes to the participants with drafts (each gets one
e-mail in their language), copies the contest for next year, appoints a co-organiser, and finds each of those
acts in the activity log, whose spreadsheet opens."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.utils import translation

from contest.enums import EntryStatus, Role
from contest.models import Contest, ContestRole, ParticipantProfile
from messaging.models import MessageRecipient
from tests.browser.test_organiser_entry import judged_video, video_plays
from tests.messaging import entry, person

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
REASON = "Бұл сабақ 2025 жылы басқа байқауда жеңіп алған."
SUBJECT = {"kk": "{name}, жұмысыңызды жіберіңіз", "ru": "{name}, отправьте работу", "en": "{name}, submit your entry"}
BODY = {
    "kk": "Сіздің {entry_code} жұмысыңыз әлі жоба күйінде. Мерзімі: {deadline}.",
    "ru": "Ваша работа {entry_code} ещё черновик. Срок: {deadline}.",
    "en": "Your entry {entry_code} is still a draft. Deadline: {deadline}.",
}


def in_kazakh(message: str, context: str | None = None) -> str:
    with translation.override("kk"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def log_in(page, base: str, language: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{language}/accounts/login/")
    page.locator("main form input[name=login]").fill(email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_an_organiser_runs_the_contest_from_baige(live_server, page, shoot, contest, organiser):  # type: ignore[no-untyped-def]
    organiser.is_staff = True
    organiser.save(update_fields=["is_staff"])
    video = judged_video(contest)
    ParticipantProfile.objects.filter(user=video.author).update(preferred_language="kk")
    drafter_kk = person("Айгерім Сәрсенова", None, "kk", "aigerim@example.org")
    drafter_ru = person("Ольга Ким", None, "ru", "olga@example.org")
    nomination = video.nomination
    draft_kk = entry(contest, drafter_kk, nomination, "Бөлшектер", status=EntryStatus.DRAFT)
    draft_ru = entry(contest, drafter_ru, nomination, "Дроби", status=EntryStatus.DRAFT)
    base = live_server.url
    organise = f"{base}/en/organise/c/{contest.slug}/"
    page.set_viewport_size(WIDE)
    log_in(page, base, "en", organiser.email)

    # 1. From the dashboard's table to the entry's page, whose video plays as its jurors see it.
    page.goto(organise)
    page.locator(f"main table a.code[href$='/entries/{video.code}/']").click()
    page.wait_for_url(re.compile(rf"/en/organise/c/{contest.slug}/entries/{video.code}/$"))
    video_plays(page)
    shoot(page, "entry")

    # 2. Disqualified with a reason; its author reads it in Kazakh, on the page and in one e-mail.
    page.get_by_role("button", name="Disqualify…").click()
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("input[name=confirm]").check()
    page.locator("button[type=submit]", has_text="Disqualify the entry").click()
    page.wait_for_load_state()
    assert REASON in page.locator("#eligibility-reason").inner_text()
    shoot(page, "disqualified")
    told = [email for email in mail.outbox if email.to == [video.author.email]]
    assert len(told) == 1
    assert REASON in told[0].body
    author = page.context.browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    log_in(author, base, "kk", video.author.email)
    author.goto(f"{base}/kk/c/{contest.slug}/entries/{video.code}/")
    notice = author.locator("#entry-disqualified").inner_text()
    assert in_kazakh("The organisers have disqualified this entry") in notice
    assert REASON in notice
    shoot(author, "author-reads-why")
    author.context.close()

    # 3. A message to the participants with drafts: each gets it once, in their own language.
    mail.outbox.clear()
    page.goto(f"{organise}messages/new/")
    page.locator("#message-form input[name=drafts]").check()
    for language in ("kk", "ru", "en"):
        page.locator(f"#message-form input[name=subject_{language}]").fill(SUBJECT[language])
        page.locator(f"#message-form textarea[name=body_{language}]").fill(BODY[language])
    page.locator("#message-form button[type=submit]").click()
    page.wait_for_selector("#preview")
    assert page.locator("#people-count").inner_text() == "2 people would get it now."
    page.locator("#send-form button[type=submit]").click()
    page.wait_for_selector("#recipients")
    assert page.locator("#recipients tbody tr[data-status=sent]").count() == 2
    shoot(page, "message-sent")
    received = sorted((email.to[0], email.subject) for email in mail.outbox)
    assert received == [
        ("aigerim@example.org", "Айгерім Сәрсенова, жұмысыңызды жіберіңіз"),
        ("olga@example.org", "Ольга Ким, отправьте работу"),
    ]
    by_address = {email.to[0]: email.body for email in mail.outbox}
    assert draft_kk.code in by_address["aigerim@example.org"]
    assert draft_ru.code in by_address["olga@example.org"]
    assert MessageRecipient.objects.filter(message__contest=contest).count() == 2

    # 4. Next year's contest: a copy with its dates moved by a year.
    page.goto(f"{base}/en/organise/contests/new/")
    page.locator("input[name=name_en]").fill("The Most Effective Digital Educational Platform 2027")
    page.locator("input[name=slug]").fill("platform-2027")
    page.locator("select[name=source]").select_option(label=f"{contest.name} ({contest.slug})")
    page.locator("textarea[name=organisers]").fill(organiser.email)
    page.locator("main form button[type=submit]", has_text="Create the contest").click()
    page.wait_for_url(re.compile(r"/en/organise/c/platform-2027/organisers/$"))
    copy = Contest.objects.get(slug="platform-2027")
    close = contest.submissions_close
    assert copy.submissions_close == close.replace(year=close.year + 1, microsecond=0)
    assert not copy.entries.exists()
    shoot(page, "copied")

    # 5. A co-organiser of this year's contest, appointed by e-mail.
    page.goto(f"{organise}organisers/")
    page.locator("input[name=email]").fill("co@example.org")
    page.locator("main form button[type=submit]", has_text="Add").click()
    page.wait_for_load_state()
    assert "co@example.org" in page.locator("main table").inner_text()
    assert ContestRole.objects.filter(contest=contest, role=Role.ORGANISER, user__email="co@example.org").exists()
    shoot(page, "co-organiser")

    # 6. The activity log tells each act with its values before and after, and its spreadsheet opens.
    activity(page, organise, video, REASON, shoot)


def activity(page, organise: str, video, reason: str, shoot) -> None:  # type: ignore[no-untyped-def]
    """Each act of the journey is in the log with its values before and after; the XLSX download opens."""
    page.goto(f"{organise}activity/")
    rows = page.locator("main table.activity-log tbody tr")
    log = page.locator("main table.activity-log").inner_text()
    entry_row = rows.filter(has_text=video.code).filter(has_text="reason for disqualification").first
    assert re.search(rf"reason for disqualification: — → {re.escape(reason)}", entry_row.inner_text())
    message_row = rows.filter(has_text="{name}, submit your entry").filter(has_text="state").first
    assert "state: Draft → Sending" in message_row.inner_text()
    assert "co@example.org" in log
    shoot(page, "activity")

    with page.expect_download() as download:
        page.locator("main a[download]", has_text="XLSX").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    cells = [[str(cell) if cell is not None else "" for cell in row] for row in book.active.iter_rows(values_only=True)]
    assert cells[0] == ["Time", "Who", "Action", "Object type", "Object", "Field", "Before", "After"]
    fields = {(row[5], row[6], row[7]) for row in cells[1:] if video.code in row[4]}
    assert ("reason for disqualification", "", reason) in fields

    # The copy's own log starts with the contest it was made as.
    page.goto(organise.replace(f"/c/{video.contest.slug}/", "/c/platform-2027/") + "activity/")
    assert (
        "The Most Effective Digital Educational Platform 2027" in page.locator("main table.activity-log").inner_text()
    )
    shoot(page, "activity-of-the-copy")
