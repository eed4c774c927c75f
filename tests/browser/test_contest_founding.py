"""Staff found a contest in Kazakh on a phone, then its organiser adds a co-organiser; the pages at desk width too."""

import re

import pytest
from django.utils import translation

from contest.enums import Role
from contest.models import Contest, ContestRole
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_found_a_contest_and_add_a_co_organiser_in_kazakh(live_server, page, shoot, db):
    staff = UserFactory(is_staff=True)
    ProfileFactory(user=staff, preferred_language="kk")
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("main form input[name=login]").fill(staff.email)
    page.locator("main form input[name=password]").fill("correct-horse-9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    with translation.override("kk"):
        organise = translation.gettext("Organise")
        new_contest = translation.gettext("New contest")
        created = translation.gettext("The contest “%(contest)s” is created.") % {"contest": "Жаңа байқау"}
    page.locator("header").get_by_role("link", name=organise).click()
    page.wait_for_url(re.compile(r"/kk/organise/$"))
    page.locator("main").get_by_role("button", name=new_contest).click()
    page.wait_for_url(re.compile(r"/kk/organise/contests/new/$"))
    assert page.locator("html").get_attribute("lang") == "kk"
    shoot(page, "new-contest-form")

    page.locator("input[name=name_kk]").fill("Жаңа байқау")
    page.locator("input[name=slug]").fill("jana-baiqau")
    page.locator("input[name=submissions_open]").fill("2031-03-01T09:00")
    page.locator("input[name=submissions_close]").fill("2031-04-01T18:00")
    page.locator("textarea[name=organisers]").fill(staff.email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/organise/c/jana-baiqau/organisers/$"))
    assert created in page.locator("main").inner_text()
    shoot(page, "organisers")

    page.locator("input[name=email]").fill("co@example.org")
    page.locator("section form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/organise/c/jana-baiqau/organisers/$"))
    assert "co@example.org" in page.locator("main table").inner_text()
    shoot(page, "co-organiser-added")

    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "organisers-wide")
    contest = Contest.objects.get(slug="jana-baiqau")
    assert sorted(
        ContestRole.objects.filter(contest=contest, role=Role.ORGANISER).values_list("user__email", flat=True)
    ) == sorted([staff.email, "co@example.org"])
