"""A juror with a long list, in Kazakh on a phone: finds an entry, scores it with the total shown as they go,
goes on to the next one to score, and steps aside from an entry they know."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from judging.enums import ConflictState, ReviewStatus
from judging.models import Assignment, Conflict, Review, Round
from tests.judging import criteria_for, entry_from, juror_in, round_of

pytestmark = pytest.mark.browser


def kk(message: str, context: str = "") -> str:
    with translation.override("kk"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def test_juror_works_through_a_long_list_in_kazakh(live_server, page, shoot, contest):  # type: ignore[no-untyped-def]
    c1, c2 = criteria_for(contest, 4, 3)
    type(c2).objects.filter(pk=c2.pk).update(weight=3)
    entries = []
    for number in range(1, 26):
        entry = entry_from(contest, None, title=f"Сабақ {number}")
        type(entry).objects.filter(pk=entry.pk).update(code=f"K{number:04d}")
        entry.refresh_from_db()
        entries.append(entry)
    juror = juror_in(contest, name="Айгүл Серікова")
    round = round_of(contest, entries, [juror], k=1)
    Round.objects.filter(pk=round.pk).update(blind=False)
    for entry in entries:
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    base = f"{live_server.url}/kk/jury/r/{round.pk}"

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(juror.user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    cards = page.locator("[data-entry]")
    assert cards.count() == 20
    assert page.locator("[data-page]").inner_text() == kk("Page %(number)s of %(pages)s") % {"number": 1, "pages": 2}
    shoot(page, "list-phone")

    # Found by title.
    page.locator("input[name=q]").fill("Сабақ 2")
    page.locator(".jury-search button").click()
    page.wait_for_url(re.compile(r".*/\?q=.*"))
    assert cards.evaluate_all("links => links.map(a => a.dataset.entry)") == [
        "K0002",
        *[f"K00{n}" for n in range(20, 26)],
    ]
    shoot(page, "search-phone")

    # The entry page: the total follows the scores chosen, on the results' scale: 100 · (1·2/4 + 3·3/3) / 4.
    page.goto(f"{base}/K0001/")
    total = page.locator("[data-live-total-value]")
    assert total.inner_text() == "—"
    page.locator('input[name="score-c1"][value="2"]').check()
    assert total.inner_text() == "—"
    assert page.locator("[data-live-total-note]").inner_text() == page.evaluate(
        "() => interpolate(gettext('%s of %s criteria scored'), [1, 2])"
    )
    page.locator('input[name="score-c2"][value="3"]').check()
    expected = page.evaluate("() => new Intl.NumberFormat('kk', {minimumFractionDigits: 2}).format(87.5)")
    assert total.inner_text() == expected
    page.locator("textarea[name=feedback]").fill("Жақсы құрылған сабақ.")
    shoot(page, "entry-total-phone")
    page.locator("[data-action=submit]").click()
    # Submitted for real, and on to the next entry to score.
    page.wait_for_url(f"{base}/K0002/")
    review = Review.objects.get(entry=entries[0], juror=juror)
    assert review.status == ReviewStatus.SUBMITTED
    assert kk("Your review is submitted.") in page.content()

    # The juror knows who made K0002: they step aside from it on its page, and go on to K0003.
    page.locator(".jury-conflict summary").click()
    page.locator("#conflict-reason").fill("Менің студентім")
    shoot(page, "conflict-phone")
    page.locator("[data-declare-conflict]").click()
    page.wait_for_url(f"{base}/K0003/")
    conflict = Conflict.objects.get(juror=juror)
    assert (conflict.entry, conflict.reason, conflict.state) == (entries[1], "Менің студентім", ConflictState.RESOLVED)
    assert not Assignment.objects.filter(juror=juror, entry=entries[1]).exists()

    # Unscored first: K0001, scored, is last; K0002 is gone from the list.
    page.goto(f"{base}/?sort=status&page=2")
    assert cards.evaluate_all("links => links.map(a => a.dataset.entry)")[-1] == "K0001"
    assert page.locator("[data-entry=K0002]").count() == 0
    shoot(page, "list-unscored-first-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/K0003/")
    shoot(page, "entry-wide")
    page.goto(f"{base}/")
    shoot(page, "list-wide")
