"""An organiser's look at one entry in a real browser: from the dashboard's table to the entry's page, whose video
plays as its jurors see it; in Kazakh on a phone and on a wide screen, and in English; and the search by code."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from judging.enums import AssignmentOrigin, ReviewChangeKind, ReviewStatus
from judging.models import Assignment, Review, ReviewChange, Score
from tests.factories import UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.media_pipeline.helpers import processed

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def kk(message: str) -> str:
    with translation.override("kk"):
        return translation.gettext(message)


def judged_video(contest):  # type: ignore[no-untyped-def]
    """A video entry, processed, with one juror's submitted review in an open round."""
    university = UniversityFactory(name="Абай атындағы ҚазҰПУ", name_kk="Абай атындағы ҚазҰПУ")
    entry = processed(
        entry_from(contest, university, title="Wordwall-дағы бөлшектер"), "videos/exoplayer_sample_h264_aac.mp4"
    )
    type(entry).objects.filter(pk=entry.pk).update(code="KZ0001")
    entry.refresh_from_db()
    c1, c2 = criteria_for(contest, 5, 10)
    juror = juror_in(contest, name="Гүлнар Ахметова")
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    now = timezone.now()
    review = Review.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        status=ReviewStatus.SUBMITTED,
        submitted_at=now,
        feedback="Қадамдары анық.",
        comment="Сәл ұзақ.",
    )
    Score.objects.create(review=review, criterion=c1, value=4, max_score=5, comment="Қарқыны жақсы")
    Score.objects.create(review=review, criterion=c2, value=8, max_score=10)
    ReviewChange.objects.create(
        review=review,
        kind=ReviewChangeKind.SUBMITTED,
        changed_by=juror.user,
        changed_at=now,
        new={"scores": {str(c1.pk): 4, str(c2.pk): 8}, "comment": "Сәл ұзақ.", "feedback": "Қадамдары анық."},
    )
    return entry


def log_in(page, live_server, user, language):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def video_plays(page):  # type: ignore[no-untyped-def]
    page.wait_for_function("() => document.querySelector('.player video').readyState >= 1", timeout=30_000)
    assert page.locator(".player video source").get_attribute("src").endswith("/video-720/")


def test_organiser_opens_an_entry_from_the_dashboard_and_watches_it(live_server, page, shoot, contest, organiser):  # type: ignore[no-untyped-def]
    entry = judged_video(contest)
    dashboard = f"{live_server.url}/kk/organise/c/{contest.slug}/"
    entry_page = f"{dashboard}entries/{entry.code}/"

    # Kazakh, on a wide screen: the code in the dashboard's table opens the entry.
    page.set_viewport_size(WIDE)
    log_in(page, live_server, organiser, "kk")
    page.goto(dashboard)
    page.locator(f'main table a.code:text-is("{entry.code}")').click()
    page.wait_for_url(entry_page)
    video_plays(page)
    assert page.locator("h1").inner_text() == "Wordwall-дағы бөлшектер"
    assert page.locator("#entry-files").inner_text() == kk("Files")
    assert "Гүлнар Ахметова" in page.locator("[data-review]").inner_text()
    shoot(page, "kk-wide")

    # On a phone the page stays within the screen, and the video still plays.
    page.set_viewport_size(PHONE)
    page.reload()
    video_plays(page)
    shoot(page, "kk-phone")

    # The search in the organisers' menu goes straight to the entry, whatever the case typed.
    page.goto(dashboard)
    page.locator("form.entry-find input[name=code]").fill(f" {entry.code.lower()} ")
    page.locator("form.entry-find button").click()
    page.wait_for_url(entry_page)

    # In English, on a wide screen.
    page.set_viewport_size(WIDE)
    page.goto(entry_page.replace("/kk/", "/en/"))
    video_plays(page)
    assert page.locator("#entry-as-jurors").inner_text() == "As jurors see it"
    shoot(page, "en-wide")
