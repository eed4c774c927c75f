"""People are named by their full name, never by the username Baige made up for them."""

from contest.names import person_name
from judging.models import Juror
from tests.factories import ProfileFactory, UserFactory


def test_person_name_when_profile_is_the_full_name(db):
    user = ProfileFactory(full_name="Aigerim Seitkali", user__username="aigerim.test").user
    assert person_name(user) == "Aigerim Seitkali"


def test_person_name_when_no_profile_is_the_account_name_or_email(db):
    named = UserFactory(username="aigerim.test", email="a.s@example.kz", first_name="Aigerim", last_name="Seitkali")
    unnamed = UserFactory(username="dana.test", email="d.o@example.kz")

    assert (person_name(named), person_name(unnamed)) == ("Aigerim Seitkali", "d.o@example.kz")


def test_juror_str_when_no_profile_is_the_email_not_the_username(contest):
    juror = Juror.objects.create(contest=contest, user=UserFactory(username="dana.test", email="d.o@example.kz"))
    assert str(juror) == "d.o@example.kz"
