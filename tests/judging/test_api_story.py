"""`GET /api/v1/entries/<code>/results/`: an entry's results for its author or co-author, none before publication."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from rest_framework.test import APIClient

from contest.enums import Role
from tests.factories import ContestRoleFactory, ProfileFactory, UserFactory
from tests.judging.stories import Judged, judged_contest


@pytest.fixture
def judged(contest) -> Judged:  # type: ignore[no-untyped-def]
    return judged_contest(contest)


def results_of(user, code: str, **params: str):  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(reverse("judging_api:entry-results", kwargs={"code": code}), params, HTTP_ACCEPT_LANGUAGE="en")


def test_entry_results_api_is_empty_before_publication(judged):
    response = results_of(judged.winner.author, judged.winner.code)

    assert (response.status_code, response.json()) == (200, [])


def test_entry_results_api_after_publication_gives_the_story(judged):
    judged.publish()

    response = results_of(judged.winner.author, judged.winner.code)

    assert response.status_code == 200
    screening, final = response.json()
    assert screening == {
        "round_number": 1,
        "round_name": "Round 1",
        "view": "outcome",
        "final": False,
        "shortlisted": True,
        "outcome": "Shortlisted in round “Round 1”: it went on to the next round.",
        "awards": [],
        "total": None,
        "criteria": [],
        "notes": [],
    }
    assert final["awards"] == [{"place": 1, "nomination": "Design", "name": ""}]
    assert (final["total"], final["criteria"][0]) == (92.5, {"name": "Content", "mean": 4.5, "max_score": 5})
    assert final["notes"][0] == {
        "juror": "Juror A",
        "feedback": "Lovely pacing.",
        "comments": [{"name": "Content", "text": "Rich content"}],
    }
    assert "Juror Person" not in response.content.decode()


def test_entry_results_api_for_a_verified_coauthor(judged):
    judged.publish()
    coauthor = ProfileFactory(user=UserFactory(email="asel@example.org")).user

    assert len(results_of(coauthor, judged.winner.code).json()) == 2
    EmailAddress.objects.filter(user=coauthor).update(verified=False)
    assert results_of(coauthor, judged.winner.code).status_code == 404


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("role", ["other participant", "juror", "organiser of another contest", "anonymous"])
def test_entry_results_api_refuses_anyone_else(judged, role, published):
    if published:
        judged.publish()
    user = {
        "other participant": judged.cut.author,
        "juror": judged.jurors[1].user,
        "organiser of another contest": ContestRoleFactory(role=Role.ORGANISER).user,
        "anonymous": None,
    }[role]

    response = results_of(user, judged.winner.code)

    assert response.status_code == (403 if user is None else 404)
    assert "Lovely pacing" not in response.content.decode()
