"""A juror's journey in a real browser, in Russian: score three entries of a blind round, one of them offline.

The round asks for feedback for the entrant of at least 20 characters; the juror also comments on criteria.
"""

from __future__ import annotations

import re
import time

import pytest
from django.utils import translation

from judging.enums import ReviewStatus
from judging.models import Assignment, CriterionLevel, Review, Round
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.media_pipeline.helpers import processed

pytestmark = pytest.mark.browser


def ru(message: str, context: str = "") -> str:
    with translation.override("ru"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def coded(entry, code):  # type: ignore[no-untyped-def]
    """Fix the entry's (normally random) code, so that the list's order is known."""
    type(entry).objects.filter(pk=entry.pk).update(code=code)
    entry.refresh_from_db()
    return entry


def wait_for_review(entry, status, scores, timeout=10.0):  # type: ignore[no-untyped-def]
    """Poll the database until the juror's review of ``entry`` has ``status`` and ``scores``."""
    deadline = time.monotonic() + timeout
    while True:
        review = Review.objects.filter(entry=entry).first()
        found = dict(review.scores.values_list("criterion__slug", "value")) if review else None
        if review is not None and review.status == status and found == scores:
            return review
        if time.monotonic() > deadline:
            raise AssertionError(f"review of {entry.code}: {review and review.status} {found}")
        time.sleep(0.2)


def score(page, slug, value):  # type: ignore[no-untyped-def]
    page.locator(f'input[name="score-{slug}"][value="{value}"]').check()


def test_juror_scores_three_entries_one_offline(live_server, page, shoot, contest, platforms):  # type: ignore[no-untyped-def]
    c1, c2 = criteria_for(contest, 4, 3)
    CriterionLevel.objects.create(criterion=c1, score=4, descriptor="Образцово", descriptor_ru="Образцово")
    video = processed(
        coded(entry_from(contest, None, title="Дроби в Wordwall"), "JA0001"), "videos/exoplayer_sample_h264_aac.mp4"
    )
    slides = processed(
        coded(entry_from(contest, None, title="Планеты в Canva"), "JA0002"),
        "pdf/gofpdf_utf8font_multilang_cyrillic.pdf",
    )
    third = coded(entry_from(contest, None, title="Викторина"), "JA0003")
    juror = juror_in(contest, name="Гульнара Ахметова")
    round = round_of(contest, [video, slides, third], [juror], k=1)
    Round.objects.filter(pk=round.pk).update(feedback_required=True, feedback_min_length=20)
    assert round.blind
    for entry in (video, slides, third):
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    author = video.author.profile.full_name
    base = f"{live_server.url}/ru/jury/r/{round.pk}"

    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("main form input[name=login]").fill(juror.user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    # A juror lands on their panel, which opens their one round.
    page.wait_for_url(f"{base}/")
    progress = ru("%(scored)s of %(total)s scored")
    assert page.locator("[data-progress]").inner_text() == progress % {"scored": 0, "total": 3}
    assert page.locator("[data-entry]").evaluate_all("links => links.map(a => a.dataset.entry)") == [
        "JA0001",
        "JA0002",
        "JA0003",
    ]
    shoot(page, "list")

    # The video: it plays from the jury's own route, scored and submitted through the page's script.
    page.locator("[data-entry=JA0001]").click()
    page.wait_for_url(f"{base}/JA0001/")
    page.wait_for_function("() => document.querySelector('.player video').readyState >= 1", timeout=30_000)
    assert author not in page.content()
    # Previous and next are at the top too.
    assert page.locator(".jury-pager-top a[rel=next]").get_attribute("href").endswith("/JA0002/")
    # The total shows once every criterion is scored, as the results compute it: 100 · (4/4 + 2/3) / 2.
    total = page.locator("[data-live-total-value]")
    assert total.inner_text() == "—"
    assert page.locator("[data-live-total-note]").inner_text() == page.evaluate(
        "() => interpolate(gettext('%s of %s criteria scored'), [0, 2])"
    )
    score(page, "c1", 4)
    assert total.inner_text() == "—"
    score(page, "c2", 2)
    assert total.inner_text() == "83,33"
    assert page.locator("[data-live-total-note]").inner_text() == ""
    page.locator("textarea[name=comment]").fill("Ясная цель урока")
    page.locator("textarea[name=comment-c2]").fill("Wordwall к месту")
    page.locator("textarea[name=feedback]").fill("Коротко")
    saved = page.evaluate("() => gettext('Saved at %s').replace('%s', '')")
    page.wait_for_function(
        "(saved) => document.querySelector('[data-autosave-status]').textContent.startsWith(saved)", arg=saved
    )
    draft = wait_for_review(video, ReviewStatus.DRAFT, {"c1": 4, "c2": 2})
    assert (draft.comment, draft.feedback) == ("Ясная цель урока", "Коротко")
    shoot(page, "video-draft")
    # Too short a feedback: the submission is refused, in Russian, and nothing typed is lost.
    page.locator("[data-action=submit]").click()
    too_short = ru(
        "The feedback for the entrant is too short: this round asks for at least %(min)d characters, it has %(count)d."
    ) % {"min": 20, "count": 7}
    page.wait_for_function("(text) => document.querySelector('[data-form-error]').textContent === text", arg=too_short)
    assert page.locator("textarea[name=feedback]").input_value() == "Коротко"
    assert Review.objects.get(entry=video).status == ReviewStatus.DRAFT
    shoot(page, "video-feedback-refused")
    page.locator("textarea[name=feedback]").fill("Ясная цель; покажите правила до викторины.")
    page.locator("[data-action=submit]").click()
    # Submitted, the juror goes on to the next entry to score, the presentation.
    page.wait_for_url(f"{base}/JA0002/")
    assert ru("Your review is submitted.") in page.content()
    review = wait_for_review(video, ReviewStatus.SUBMITTED, {"c1": 4, "c2": 2})
    assert review.feedback == "Ясная цель; покажите правила до викторины."
    assert dict(review.scores.values_list("criterion__slug", "comment")) == {"c1": "", "c2": "Wordwall к месту"}
    shoot(page, "video-submitted")

    # The presentation: the connection drops while the juror scores it.
    counter = page.locator("[data-slide-counter]")
    assert counter.inner_text() == page.evaluate("() => interpolate(gettext('%s of %s'), [1, 2])")
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == page.evaluate("() => interpolate(gettext('%s of %s'), [2, 2])")
    # The connection to Baige drops: every request of the form to the server fails from now on.
    api = re.compile(r".*/api/v1/jury/.*")
    page.route(api, lambda route: route.abort("internetdisconnected"))
    score(page, "c1", 3)
    score(page, "c2", 1)
    page.locator("textarea[name=comment]").fill("Связь пропала, но оценка осталась")
    page.locator("textarea[name=feedback]").fill("Отзыв, написанный без связи с сервером")
    offline = page.evaluate("() => gettext('Offline — kept on this device')")
    status_is = "(text) => document.querySelector('[data-autosave-status]').textContent === text"
    page.wait_for_function(status_is, arg=offline)
    shoot(page, "slides-offline")
    assert not Review.objects.filter(entry=slides).exists()  # the server never got it
    # The juror reloads the page while still cut off: what was typed comes back from the device.
    page.reload()
    assert page.locator('input[name="score-c1"][value="3"]').is_checked()
    assert page.locator('input[name="score-c2"][value="1"]').is_checked()
    assert page.locator("textarea[name=comment]").input_value() == "Связь пропала, но оценка осталась"
    assert page.locator("textarea[name=feedback]").input_value() == "Отзыв, написанный без связи с сервером"
    page.wait_for_function(status_is, arg=offline)
    assert not Review.objects.filter(entry=slides).exists()
    # Back online: the browser says so, and the draft goes to the server.
    page.unroute(api)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_review(slides, ReviewStatus.DRAFT, {"c1": 3, "c2": 1})
    page.wait_for_function(
        "(saved) => document.querySelector('[data-autosave-status]').textContent.startsWith(saved)", arg=saved
    )
    shoot(page, "slides-restored")
    page.locator("[data-action=submit]").click()
    page.wait_for_url(f"{base}/JA0003/")
    review = wait_for_review(slides, ReviewStatus.SUBMITTED, {"c1": 3, "c2": 1})
    assert (review.comment, review.feedback) == (
        "Связь пропала, но оценка осталась",
        "Отзыв, написанный без связи с сервером",
    )

    # The third entry has no file yet; it is scored all the same. A comment written before its criterion
    # is scored waits on the device, and goes to the server with the score.
    score(page, "c2", 3)
    page.locator("textarea[name=comment-c1]").fill("Хорошее начало")
    held = page.evaluate(
        "() => gettext('A comment on a criterion you have not scored yet is kept on this device until you score it.')"
    )
    page.wait_for_function(
        "(held) => document.querySelector('[data-autosave-status]').textContent.endsWith(held)", arg=held
    )
    page.reload()
    assert page.locator("textarea[name=comment-c1]").input_value() == "Хорошее начало"
    score(page, "c1", 2)
    draft = wait_for_review(third, ReviewStatus.DRAFT, {"c1": 2, "c2": 3})
    deadline = time.monotonic() + 10
    while dict(draft.scores.values_list("criterion__slug", "comment")).get("c1") != "Хорошее начало":
        assert time.monotonic() < deadline, "the held comment never reached the server"
        time.sleep(0.2)
    page.locator("textarea[name=feedback]").fill("Викторина интересная, но длинная.")
    page.locator("[data-action=submit]").click()
    # The last one to score: back to the list, all done.
    page.wait_for_url(f"{base}/")
    wait_for_review(third, ReviewStatus.SUBMITTED, {"c1": 2, "c2": 3})
    assert ru("All done: every entry assigned to you in this round is scored.") in page.content()
    assert page.locator("[data-progress]").inner_text() == progress % {"scored": 3, "total": 3}
    assert (
        page.locator("[data-review-status]").evaluate_all("marks => marks.map(m => m.dataset.reviewStatus)")
        == ["submitted"] * 3
    )
    assert author not in page.content()
    shoot(page, "list-done")

    # A submitted review is changed and submitted again: nothing is left to score, so back to the list.
    page.goto(f"{base}/JA0001/")
    assert total.inner_text() == "83,33"
    score(page, "c2", 3)
    assert total.inner_text() == "100,00"
    page.locator("[data-action=submit]").click()
    page.wait_for_url(f"{base}/")
    assert ru("Your changes to the review are submitted.") in page.content()
    wait_for_review(video, ReviewStatus.SUBMITTED, {"c1": 4, "c2": 3})

    # On a wide screen the rubric stands beside the entry.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/JA0001/")
    media_box = page.locator(".jury-entry-media").bounding_box()
    rubric_box = page.locator("form.rubric").bounding_box()
    assert rubric_box["x"] > media_box["x"] + media_box["width"] - 1
    # The rubric scrolls by itself there: it is reached and scrolled with the keyboard.
    rubric = page.locator("form.rubric")
    assert rubric.evaluate("form => form.scrollHeight > form.clientHeight")
    rubric.focus()
    assert page.evaluate("() => document.activeElement.matches('form.rubric')")
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('form.rubric').scrollTop > 0")
    shoot(page, "video-wide")
