"""An organiser finalises and publishes a round's results; a visitor finds the winner's post, plays it and filters."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Assignment, Results
from judging.services.reviews import review_submit
from tests.factories import ContestRoleFactory, ProfileFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.media_pipeline.helpers import processed

pytestmark = pytest.mark.browser


@pytest.fixture
def judged(contest, nomination, platforms):  # type: ignore[no-untyped-def]
    """A closed round of three entries of one nomination: the video of Wordwall wins, Canva's is second."""
    wordwall, canva = platforms
    criteria = criteria_for(contest, 5, 5)
    winner = processed(
        entry_from(contest, UniversityFactory(), platforms=[wordwall], title="Fractions with Wordwall"),
        "videos/exoplayer_sample_h264_aac.mp4",
    )
    second = entry_from(contest, UniversityFactory(), platforms=[canva], title="Planets in Canva")
    third = entry_from(contest, UniversityFactory(), platforms=[canva], title="A quiz")
    for entry in (winner, second, third):
        entry.nomination = nomination
        entry.consent_to_publish = entry is winner
        entry.save(update_fields=["nomination", "consent_to_publish"])
    profile = second.author.profile
    profile.full_name = "Hidden Author"
    profile.save(update_fields=["full_name"])
    jurors = [juror_in(contest, UniversityFactory(), name=f"Juror {n}") for n in range(2)]
    round = round_of(contest, [winner, second, third], jurors, k=2)
    for juror in jurors:
        for entry, value in ((winner, 5), (second, 3), (third, 1)):
            Assignment.objects.create(round=round, juror=juror, entry=entry)
            review_submit(actor=juror.user, round=round, entry=entry, scores={c.pk: value for c in criteria})
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    # Submissions are closed; the results are announced for tomorrow, so publishing today is early.
    contest.submissions_close = timezone.now() - timedelta(hours=1)
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["submissions_close", "results_publish_at"])
    return round, winner, second


def test_organiser_publishes_and_a_visitor_watches_the_winner(  # type: ignore[no-untyped-def]
    live_server, browser, page, shoot, contest, judged, platforms
):
    round, winner, second = judged
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=organiser, full_name="Organiser")

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("main form input[name=login]").fill(organiser.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/(organise|c)/"))

    page.goto(f"{live_server.url}/en/organise/c/{contest.slug}/rounds/{round.number}/results/")
    shoot(page, "results")
    page.locator("#finalise-form input[name=confirm]").check()
    page.locator("#finalise-form button[type=submit]").click()
    page.wait_for_selector("#awards")
    results = Results.objects.get(round=round)
    assert list(results.awards.order_by("place").values_list("entry__code", "place")) == [
        (winner.code, 1),
        (second.code, 2),
        (round.round_entries.exclude(entry__in=[winner, second]).get().entry.code, 3),
    ]
    page.locator("a[data-publish]").click()
    page.wait_for_selector("#publish-form")
    assert page.locator("#post-counts").inner_text() == (
        "3 awards are published on the blog, one post each, in Kazakh, Russian and English. "
        "New posts: 3; updated: 0; unchanged: 0; withdrawn: 0."
    )
    assert page.locator("#name-counts").inner_text() == "Authors named (they consented): 1; anonymous (no consent): 2."
    assert page.locator("#email-counts").inner_text() == (
        "3 authors of the contest's judged entries receive the results by e-mail, in their language. "
        "0 co-authors receive it too, at the addresses the entries give."
    )
    assert page.locator("#early-warning").is_visible()
    shoot(page, "confirm")
    # The same page in Kazakh, on the phone.
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/rounds/{round.number}/results/publish/")
    assert page.locator("h1").inner_text() == "Нәтижелерді жариялау"
    assert "Байқау нәтижелерін" in page.locator("#early-warning").inner_text()
    shoot(page, "confirm-kk")
    page.goto(f"{live_server.url}/en/organise/c/{contest.slug}/rounds/{round.number}/results/publish/")
    # Without the second box the browser keeps the form; nothing is published.
    page.locator("#publish-form input[name=confirm]").check()
    page.locator("#publish-form button[type=submit]").click()
    assert Results.objects.get(round=round).published_at is None
    page.locator("#publish-form input[name=early]").check()
    page.locator("#publish-form button[type=submit]").click()
    page.wait_for_selector("#awards")
    shoot(page, "published")
    results.refresh_from_db()
    assert results.published_at is not None

    # A visitor, not logged in, on a phone.
    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    blog = visitor.new_page()
    blog.set_default_timeout(15_000)
    try:
        blog.goto(f"{live_server.url}/en/blog/")
        assert blog.locator("[data-post]").count() == 3
        assert "Hidden Author" not in blog.content()
        shoot(blog, "blog")

        wordwall, canva = platforms
        blog.locator("select[name=platform]").select_option(canva.slug)
        blog.wait_for_url(re.compile(f"platform={canva.slug}"))
        titles = blog.locator("[data-post] h2").all_inner_texts()
        assert len(titles) == 2 and not any("Fractions with Wordwall" in title for title in titles)
        blog.locator("select[name=platform]").select_option(wordwall.slug)
        blog.wait_for_url(re.compile(f"platform={wordwall.slug}"))
        assert [t for t in blog.locator("[data-post] h2").all_inner_texts() if "Fractions with Wordwall" in t]
        shoot(blog, "filtered")

        blog.locator("[data-post] h2 a").first.click()
        blog.wait_for_selector(".player video")
        assert winner.author.profile.full_name in blog.content()  # the winner consented
        played = blog.evaluate(
            """async () => {
                const video = document.querySelector('.player video');
                video.muted = true;
                await video.play();
                await new Promise((done) => setTimeout(done, 600));
                return [video.paused, video.currentTime, video.videoWidth];
            }"""
        )
        assert played[0] is False and played[1] > 0 and played[2] > 0, played
        shoot(blog, "post")
    finally:
        visitor.close()
