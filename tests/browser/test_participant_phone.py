"""A participant on a 375 px phone, in Kazakh: "My entries" shows each status, a refused replacement keeps the file."""

import pytest
from django.utils import timezone, translation

from contest.enums import EntryStatus
from tests.browser.test_upload_resume import CORPUS_VIDEO, log_in
from tests.factories import EntryFactory, PlatformFactory

pytestmark = pytest.mark.browser


def kk(message):  # type: ignore[no-untyped-def]
    with translation.override("kk"):
        return translation.gettext(message)


def test_my_entries_status_visible_on_a_phone(live_server, page, shoot, contest, participant):
    page.set_viewport_size({"width": 375, "height": 740})
    long_names = [PlatformFactory(contest=contest, name_en=f"Interactive platform number {n}") for n in range(3)]
    EntryFactory(
        contest=contest,
        author=participant,
        title="Бөлшектерді қосу мен азайтуға арналған интерактивті сабақ",
        platforms=long_names,
        with_media=True,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    EntryFactory(contest=contest, author=participant, platforms=long_names)
    log_in(page, live_server, participant)
    page.goto(f"{live_server.url}/kk/entries/")
    statuses = page.locator("table.my-entries td .status")
    assert statuses.count() == 2
    for index in range(2):
        box = statuses.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert statuses.nth(0).is_visible() and statuses.nth(1).is_visible()
    shoot(page, "my-entries")


def test_refused_replacement_says_the_file_stays(live_server, page, shoot, contest, participant):
    contest.max_file_size = 1_000_000
    contest.save(update_fields=["max_file_size"])
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    log_in(page, live_server, participant)
    page.goto(f"{live_server.url}/kk/c/{contest.slug}/entries/{entry.code}/")
    page.wait_for_function("() => window.Uppy !== undefined")
    page.locator("input[type=file]").set_input_files(str(CORPUS_VIDEO))
    page.locator("form[data-resumable-upload] button[type=submit]").click()
    alert = page.locator("[data-upload-status][role=alert]")
    alert.wait_for()
    assert alert.inner_text().endswith(" " + kk("Your current file stays as it was."))
    assert kk("Your current file stays as it was.") == "Қазіргі файлыңыз өзгеріссіз қалады."
    shoot(page, "refused-replacement")
    entry.refresh_from_db()
    assert entry.media == previous
