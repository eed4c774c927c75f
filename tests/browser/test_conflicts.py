"""A juror of a blind round declares conflicts on a phone, in Kazakh; the organiser resolves them."""

import re

import pytest

from judging.models import Assignment, Conflict, Review
from judging.services.assignments import assignment_add
from judging.services.reviews import review_submit
from tests.factories import UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(user.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_conflict_declared_in_a_blind_round_then_resolved(live_server, page, shoot, contest, organiser):
    taraz, zhetysu = UniversityFactory(name="Тараз университеті"), UniversityFactory(name="Жетісу университеті")
    contest.universities.add(taraz, zhetysu)
    dana = juror_in(contest, taraz, name="Дана Нұрланова")
    arman = juror_in(contest, UniversityFactory(), name="Арман Сәдіқов")
    reviewed, other = entry_from(contest, zhetysu), entry_from(contest, zhetysu)
    round = round_of(contest, [reviewed, other], [dana, arman], k=1)
    assignment_add(actor=organiser, round=round, juror=dana, entry=reviewed)
    assignment_add(actor=organiser, round=round, juror=dana, entry=other)
    (criterion,) = criteria_for(contest, 5)
    review_submit(actor=dana.user, round=round, entry=reviewed, scores={criterion.pk: 4})

    log_in(page, live_server, dana.user)
    page.goto(f"{live_server.url}/kk/jury/c/{contest.slug}/conflicts/")
    shoot(page, "juror-form")
    page.get_by_label("Жетісу университеті").check()
    page.locator("input[name=entry_codes]").fill("nope42")
    page.locator("textarea[name=reason]").fill("Туысым сонда оқиды")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kk/jury/c/{contest.slug}/conflicts/$"))
    body = page.locator("main").inner_text()
    assert "Мәлімдемеңіз тіркелді." in page.locator("body").inner_text()
    assert "Университет: Жетісу университеті — Ұйымдастырушыларды күтуде" in body
    assert "NOPE42 жұмысы — Ұйымдастырушыларды күтуде" in body
    assert Assignment.objects.filter(juror=dana).count() == 2
    shoot(page, "juror-declared")
    page.goto(f"{live_server.url}/kk/jury/welcome/")
    assert "NOPE42 жұмысы — Ұйымдастырушыларды күтуде" in page.locator("main").inner_text()
    shoot(page, "juror-welcome")

    log_in(page, live_server, organiser)
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/")
    assert "2 мәлімдеме" in page.locator("#pending-conflicts").inner_text()
    shoot(page, "dashboard")
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/rounds/{round.number}/progress/")
    assert page.locator("#pending-conflicts article").count() == 2
    shoot(page, "progress")
    page.goto(f"{live_server.url}/kk/organise/c/{contest.slug}/jury/")
    shoot(page, "jury-pending")
    first = page.locator("#pending-conflicts article").first
    first.get_by_label("Шеттету: олар енді еш жерде есепке алынбайды").check()
    first.locator("textarea[name=reason]").fill("Туысының жұмысын бағалаған")
    first.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kk/organise/c/{contest.slug}/jury/$"))
    shoot(page, "jury-resolved")

    conflict = Conflict.objects.get(university=zhetysu)
    assert (conflict.state, conflict.review_decision, conflict.withdrawn, conflict.replaced) == (
        "resolved",
        "set_aside",
        2,
        2,
    )
    assert Review.objects.get(juror=dana).status == "set_aside"
    assert sorted(Assignment.objects.values_list("juror", flat=True)) == [arman.pk, arman.pk]
    assert page.locator("#pending-conflicts article").count() == 1
