"""The pages of founding a contest (staff) and of a contest's organisers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from contest.models import Contest, ContestRole
from judging.models import Round
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory, PlatformFactory, UserFactory
from tests.judging import juror_in


def url(name, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs=kwargs or None)


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def organisers(contest):  # type: ignore[no-untyped-def]
    return sorted(
        ContestRole.objects.filter(contest=contest, role=Role.ORGANISER).values_list("user__email", flat=True)
    )


def blank_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name_kk": "Жаңа байқау",
        "name_ru": "Новый конкурс",
        "name_en": "New contest",
        "slug": "new-contest",
        "source": "",
        "shift_years": "1",
        "shift_days": "0",
        "timezone": "Asia/Almaty",
        "submissions_open": "2031-03-01T09:00",
        "submissions_close": "2031-04-01T18:00",
        "organisers": "lead@example.org, second@example.org",
        "language": "ru",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, db):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_staff=True))
    return client


# Founding a contest


def test_contest_new_blank_by_staff_creates_it_with_its_organisers(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("organiser_contest_new"), blank_data())

    contest = Contest.objects.get(slug="new-contest")
    assert (response.status_code, response["Location"]) == (302, url("organiser_organisers", slug="new-contest"))
    assert (contest.name_kk, contest.name_ru, contest.name_en, contest.timezone) == (
        "Жаңа байқау",
        "Новый конкурс",
        "New contest",
        "Asia/Almaty",
    )
    assert contest.submissions_open.astimezone(contest.tzinfo).isoformat() == "2031-03-01T09:00:00+05:00"
    assert organisers(contest) == ["lead@example.org", "second@example.org"]
    assert sorted(message.to[0] for message in mailoutbox) == ["lead@example.org", "second@example.org"]


def test_contest_new_as_a_copy_by_staff_moves_the_dates(staff_client, contest):  # type: ignore[no-untyped-def]
    Round.objects.create(contest=contest, number=1, name="Screening", name_en="Screening")
    NominationFactory(contest=contest)
    PlatformFactory(contest=contest)

    response = staff_client.post(
        url("organiser_contest_new"),
        blank_data(
            source=str(contest.pk),
            shift_years="0",
            shift_days="7",
            timezone="",
            submissions_open="",
            submissions_close="",
        ),
    )

    copied = Contest.objects.get(slug="new-contest")
    assert response.status_code == 302
    zone = contest.tzinfo
    assert copied.submissions_open.astimezone(zone).replace(tzinfo=None) == (
        contest.submissions_open.astimezone(zone).replace(tzinfo=None, microsecond=0) + timedelta(days=7)
    )
    assert list(Round.objects.filter(contest=copied).values_list("number", "name_en")) == [(1, "Screening")]
    assert copied.name_en == "New contest"


def test_contest_new_with_a_taken_slug_shows_the_error_and_keeps_the_input(staff_client, contest):  # type: ignore[no-untyped-def]
    before = Contest.objects.count()

    response = staff_client.post(url("organiser_contest_new"), blank_data(slug=contest.slug))

    body = response.content.decode()
    assert response.status_code == 400
    assert f"Another contest already has the address “{contest.slug}”: choose another one." in body
    assert "lead@example.org, second@example.org</textarea>" in body
    assert Contest.objects.count() == before


def test_contest_new_without_dates_of_a_blank_contest_is_refused_in_kazakh(staff_client):  # type: ignore[no-untyped-def]
    response = staff_client.post(
        url("organiser_contest_new", language="kk"), blank_data(submissions_open="", submissions_close="")
    )

    with translation.override("kk"):
        expected = translation.gettext("Set when submissions open and close.")
    assert response.status_code == 400
    assert response.content.decode().count(expected) == 2
    assert Contest.objects.filter(slug="new-contest").exists() is False


def test_contest_new_for_anonymous_redirects_to_login(client, db):  # type: ignore[no-untyped-def]
    address = url("organiser_contest_new")

    responses = [client.get(address), client.post(address, blank_data())]

    assert [(r.status_code, r["Location"]) for r in responses] == [(302, login_url(address))] * 2
    assert Contest.objects.filter(slug="new-contest").exists() is False


@pytest.mark.parametrize("kind", ["participant", "juror", "organiser"])
def test_contest_new_refused_to_anyone_but_staff(request, client, contest, kind):  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(kind))

    responses = [client.get(url("organiser_contest_new")), client.post(url("organiser_contest_new"), blank_data())]

    assert [r.status_code for r in responses] == [403, 403]
    assert Contest.objects.filter(slug="new-contest").exists() is False


def test_organiser_home_shows_staff_the_new_contest_button(staff_client):  # type: ignore[no-untyped-def]
    body = staff_client.get(url("organiser_home")).content.decode()

    assert f'href="{url("organiser_contest_new")}">New contest</a>' in body


# Co-organisers


@pytest.mark.parametrize("count", [1, 6])
def test_organisers_page_lists_the_organisers_in_the_same_queries_for_one_or_many(
    client, contest, organiser, django_assert_num_queries, count
):  # type: ignore[no-untyped-def]
    for _ in range(count - 1):
        ContestRoleFactory(contest=contest, role=Role.ORGANISER)
    client.force_login(organiser)

    with django_assert_num_queries(5):
        response = client.get(url("organiser_organisers", slug=contest.slug))

    rows = re.findall(r'data-organiser="([^"]+)"', response.content.decode())
    assert sorted(rows) == organisers(contest)
    assert len(rows) == count


def test_organisers_page_adds_a_co_organiser(
    client, contest, organiser, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("organiser_organisers", slug=contest.slug), {"email": "co@example.org", "language": "kk"}
        )

    assert (response.status_code, response["Location"]) == (302, url("organiser_organisers", slug=contest.slug))
    assert organisers(contest) == sorted([organiser.email, "co@example.org"])
    assert [message.to for message in mailoutbox] == [["co@example.org"]]


def test_organisers_page_with_a_bad_address_shows_the_error(client, contest, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)

    response = client.post(url("organiser_organisers", slug=contest.slug), {"email": "nobody", "language": "kk"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert organisers(contest) == [organiser.email]


def test_organisers_page_removes_a_co_organiser_and_lets_one_leave_but_never_the_last(client, contest, organiser):  # type: ignore[no-untyped-def]
    other = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    client.force_login(organiser)

    removed = client.post(url("organiser_organiser_remove", slug=contest.slug, user_id=other.pk))
    last = client.post(url("organiser_organiser_remove", slug=contest.slug, user_id=organiser.pk))
    page = client.get(url("organiser_organisers", slug=contest.slug)).content.decode()
    ContestRoleFactory(contest=contest, user=other, role=Role.ORGANISER)
    left = client.post(url("organiser_organiser_remove", slug=contest.slug, user_id=organiser.pk))

    assert [removed.status_code, last.status_code, left.status_code] == [302, 302, 302]
    assert left["Location"] == url("organiser_home")
    assert "A contest keeps at least one organiser: add another one before removing this one." in page
    assert organisers(contest) == [other.email]


def test_organiser_pages_for_anonymous_redirect_to_login(client, contest, organiser):  # type: ignore[no-untyped-def]
    page = url("organiser_organisers", slug=contest.slug)
    remove = url("organiser_organiser_remove", slug=contest.slug, user_id=organiser.pk)

    responses = [
        client.get(page),
        client.post(page, {"email": "co@example.org", "language": "en"}),
        client.post(remove),
    ]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, login_url(page)),
        (302, login_url(page)),
        (302, login_url(remove)),
    ]
    assert organisers(contest) == [organiser.email]


@pytest.mark.parametrize("kind", ["participant", "juror", "organiser_of_another_contest"])
def test_organiser_pages_refused_to_others(request, client, contest, organiser, kind):  # type: ignore[no-untyped-def]
    if kind == "organiser_of_another_contest":
        user = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    elif kind == "juror":
        user = juror_in(contest).user
    else:
        user = request.getfixturevalue(kind)
    client.force_login(user)
    page = url("organiser_organisers", slug=contest.slug)

    responses = [
        client.get(page),
        client.post(page, {"email": "co@example.org", "language": "en"}),
        client.post(url("organiser_organiser_remove", slug=contest.slug, user_id=organiser.pk)),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert organisers(contest) == [organiser.email]
