"""Organisers seated by e-mail, a contest founded by staff, and never a contest left without an organiser."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation

from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.models import Contest, ContestRole
from contest.organisers import contest_create, contest_organiser_add, contest_organiser_remove
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory, UserFactory

ALMATY = ZoneInfo("Asia/Almaty")
User = get_user_model()


def organisers(contest):  # type: ignore[no-untyped-def]
    return sorted(
        ContestRole.objects.filter(contest=contest, role=Role.ORGANISER).values_list("user__email", flat=True)
    )


def create(actor, **overrides):  # type: ignore[no-untyped-def]
    arguments = {
        "actor": actor,
        "slug": "new-contest",
        "names": {"kk": "Жаңа байқау", "ru": "Новый конкурс", "en": "New contest"},
        "timezone": "Asia/Almaty",
        "submissions_open": datetime(2031, 3, 1, 9, 0, tzinfo=ALMATY),
        "submissions_close": datetime(2031, 4, 1, 18, 0, tzinfo=ALMATY),
        "organiser_emails": ["first@example.org", "second@example.org", "FIRST@example.org"],
        "language": "kk",
    }
    arguments.update(overrides)
    return contest_create(**arguments)


def test_contest_create_by_staff_seats_its_organisers_and_tells_each_in_their_language(
    db, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    staff = UserFactory(is_staff=True)
    known = ProfileFactory(preferred_language="en", user__email="second@example.org").user

    with django_capture_on_commit_callbacks(execute=True):
        contest = create(staff)

    assert (contest.slug, contest.name_kk, contest.name_en) == ("new-contest", "Жаңа байқау", "New contest")
    assert organisers(contest) == ["first@example.org", "second@example.org"]
    new = User.objects.get(email="first@example.org")
    assert (new.has_usable_password(), new.profile.preferred_language) == (False, "kk")
    assert sorted(message.to[0] for message in mailoutbox) == ["first@example.org", "second@example.org"]
    to_known = next(message for message in mailoutbox if message.to == [known.email])
    assert to_known.subject == "You are an organiser of New contest"
    assert "Log in with your usual password" in to_known.body
    to_new = next(message for message in mailoutbox if message.to == [new.email])
    with translation.override("kk"):
        assert to_new.subject == translation.gettext("You are an organiser of %(contest)s") % {"contest": "Жаңа байқау"}
    assert "/password/reset/key/" in to_new.body


@pytest.mark.parametrize("kind", ["organiser", "juror", "participant", "anonymous"])
def test_contest_create_is_refused_to_anyone_but_staff(db, kind):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if kind == "anonymous" else UserFactory()
    if kind in ("organiser", "juror"):
        ContestRoleFactory(user=user, role=kind)
    before = Contest.objects.count()

    with pytest.raises(NotAllowed):
        create(user)

    assert Contest.objects.count() == before


def test_contest_create_with_a_taken_slug_or_no_organiser_is_refused(db):  # type: ignore[no-untyped-def]
    staff = UserFactory(is_staff=True)
    ContestFactory(slug="taken")

    with translation.override("en"), pytest.raises(BaigeError) as taken:
        create(staff, slug="Taken")
    with translation.override("en"), pytest.raises(BaigeError) as nobody:
        create(staff, organiser_emails=[" "])

    assert (taken.value.code, nobody.value.code) == ("slug_taken", "no_organisers")
    assert str(nobody.value) == "Name at least one organiser by e-mail."
    assert Contest.objects.filter(slug="new-contest").exists() is False


def test_contest_organiser_add_by_an_organiser_seats_and_tells_once(
    contest, organiser, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        added = contest_organiser_add(actor=organiser, contest=contest, email="co@example.org", language="ru")
        again = contest_organiser_add(actor=organiser, contest=contest, email="CO@example.org", language="ru")

    assert (added.email, again) == ("co@example.org", None)
    assert organisers(contest) == sorted([organiser.email, "co@example.org"])
    assert [message.to for message in mailoutbox] == [["co@example.org"]]


@pytest.mark.parametrize("kind", ["juror", "participant", "other organiser"])
def test_contest_organiser_add_and_remove_refused_to_others(contest, organiser, kind):  # type: ignore[no-untyped-def]
    user = UserFactory()
    if kind == "juror":
        ContestRoleFactory(contest=contest, user=user, role=Role.JUROR)
    elif kind == "other organiser":
        ContestRoleFactory(user=user, role=Role.ORGANISER)

    with pytest.raises(NotAllowed):
        contest_organiser_add(actor=user, contest=contest, email="co@example.org", language="en")
    with pytest.raises(NotAllowed):
        contest_organiser_remove(actor=user, contest=contest, user=organiser)

    assert organisers(contest) == [organiser.email]


def test_contest_organiser_remove_keeps_the_last_organiser(contest, organiser):  # type: ignore[no-untyped-def]
    other = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user

    contest_organiser_remove(actor=organiser, contest=contest, user=organiser)
    with translation.override("en"), pytest.raises(BaigeError) as refused:
        contest_organiser_remove(actor=other, contest=contest, user=other)

    assert refused.value.code == "last_organiser"
    assert organisers(contest) == [other.email]


@pytest.mark.django_db(transaction=True)
def test_two_organisers_removing_each_other_at_once_leave_one(contest):  # type: ignore[no-untyped-def]
    first = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    second = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(actor, user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            contest_organiser_remove(actor=actor, contest=contest, user=user)
            outcomes.append("removed")
        except BaigeError as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) in (["last_organiser", "removed"], ["not_allowed", "removed"])
    assert len(organisers(contest)) == 1
