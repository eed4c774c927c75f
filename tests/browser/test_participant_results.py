"""On a 375 px phone, in Kazakh: the author and a co-author (by their link) read the outcome and the shared feedback,
and download their certificates."""

import pytest
from django.utils import translation

from certificates.services import certificates_issue
from contest.coauthor_links import coauthor_token
from tests.browser.test_upload_resume import log_in
from tests.judging.stories import judged_contest

pytestmark = pytest.mark.browser


def kk(message: str, **values: str) -> str:
    with translation.override("kk"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def test_author_and_coauthor_read_the_result_and_feedback_on_a_phone(live_server, page, shoot, contest):
    page.set_viewport_size({"width": 375, "height": 740})
    judged = judged_contest(contest)
    judged.publish()
    certificates_issue(actor=None, contest=contest)
    award = kk("%(place)s in the nomination “%(nomination)s”", place=kk("1st place"), nomination="Дизайн")
    shortlisted = kk("Shortlisted in round “%(round)s”: it went on to the next round.", round="Round 1")

    log_in(page, live_server, judged.winner.author)
    page.goto(f"{live_server.url}/kk/entries/")
    assert page.locator("table.my-entries .entry-outcome").first.inner_text().splitlines() == [shortlisted, award]
    shoot(page, "my-entries")

    page.goto(f"{live_server.url}/kk/c/{contest.slug}/entries/{judged.winner.code}/")
    story = page.locator("#results")
    assert story.locator(".story-award").inner_text() == award
    assert story.locator(".story-note").first.is_visible()
    assert "Lovely pacing." in story.inner_text()
    assert kk("Juror %(letter)s", letter="A") in story.inner_text()
    assert "Juror Person" not in page.content()
    shoot(page, "entry-results")
    download_certificates(page, count=2)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/kk/coauthor/{coauthor_token(judged.winner, 'asel@example.org')}/")
    story = page.locator("#results")
    assert story.locator(".story-award").inner_text() == award
    assert "Clean slides" in story.inner_text()
    assert page.locator("form").count() <= 1  # at most the language switcher: nothing to change
    shoot(page, "coauthor-link")
    download_certificates(page, count=2)


def download_certificates(page, *, count: int) -> None:  # type: ignore[no-untyped-def]
    """Each certificate listed on the entry's page downloads as a PDF."""
    links = page.locator("#certificates a[download]")
    assert links.count() == count
    links.first.scroll_into_view_if_needed()
    for index in range(count):
        with page.expect_download() as download:
            links.nth(index).click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
