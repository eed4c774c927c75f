"""The contest's permissions: the named predicates of contest.rules and what the services refuse through them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from config.exceptions import DeadlinePassed, NotAllowed
from contest.rules import contest_accepts_entries, contest_of, is_organiser
from contest.services import contest_ensure_accepting, contest_ensure_organiser, entry_ensure_author
from tests.factories import EntryFactory, UserFactory


@pytest.fixture
def entry(contest, participant):  # type: ignore[no-untyped-def]
    return EntryFactory(contest=contest, author=participant)


@pytest.mark.parametrize(
    ("role", "view", "change", "manage"),
    [
        ("participant", True, True, False),
        ("other_participant", False, False, False),
        ("juror", False, False, False),
        ("organiser", True, False, True),
    ],
)
def test_rules_entry_permissions_by_role(request, entry, role, view, change, manage):
    user = request.getfixturevalue(role)
    assert [
        user.has_perm("contest.view_entry", entry),
        user.has_perm("contest.change_entry", entry),
        user.has_perm("contest.manage_contest", entry.contest),
    ] == [view, change, manage]


def test_rules_anonymous_and_superuser(entry):
    superuser = UserFactory(is_superuser=True)
    assert AnonymousUser().has_perm("contest.view_entry", entry) is False
    assert superuser.has_perm("contest.manage_contest", entry.contest) is True
    # Django grants a superuser every permission; the service still lets only the author change an entry.
    assert superuser.has_perm("contest.change_entry", entry) is True
    with pytest.raises(NotAllowed):
        entry_ensure_author(superuser, entry)


def test_rules_change_entry_when_deadline_passed(entry, participant):
    entry.contest.submissions_close = entry.contest.submissions_open + timedelta(days=1)
    entry.contest.save(update_fields=["submissions_close"])
    assert participant.has_perm("contest.change_entry", entry) is False
    assert participant.has_perm("contest.view_entry", entry) is True


def test_rules_contest_accepts_entries_on_the_given_clock(contest):
    after = contest.submissions_close + timedelta(seconds=1)
    assert contest_accepts_entries(None, contest) is True
    assert contest_accepts_entries(None, contest, now=after) is False
    assert contest_accepts_entries(None, contest, now=contest.submissions_open) is True
    with pytest.raises(DeadlinePassed):
        contest_ensure_accepting(contest, now=after)
    with pytest.raises(DeadlinePassed):
        contest_ensure_accepting(contest, now=contest.submissions_open - timedelta(seconds=1))


def test_rules_contest_of_through_a_round(contest, organiser, juror):
    review = SimpleNamespace(round=SimpleNamespace(contest=contest))
    assert contest_of(review) == contest
    assert is_organiser.test(organiser, review) is True
    assert is_organiser.test(juror, review) is False
    assert contest_of(SimpleNamespace()) is None


def test_rules_services_refuse_with_the_same_messages(entry, other_participant):
    with pytest.raises(NotAllowed) as not_author:
        entry_ensure_author(AnonymousUser(), entry)
    assert str(not_author.value) == "Only the author can change this entry."
    with pytest.raises(NotAllowed) as not_organiser:
        contest_ensure_organiser(other_participant, entry.contest)
    assert str(not_organiser.value) == "Only the contest's organisers can change it."
    with pytest.raises(NotAllowed) as named:
        contest_ensure_organiser(other_participant, entry.contest, refusal="Only organisers import.")
    assert str(named.value) == "Only organisers import."
