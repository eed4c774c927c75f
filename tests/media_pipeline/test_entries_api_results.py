"""The participant's entries API says nothing of judging: no scores, feedback or juror, before or after publication."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contest.enums import Role
from tests.factories import ContestRoleFactory, ProfileFactory, UserFactory
from tests.judging.stories import judged_contest

#: Words only the jurors wrote, and what only the results say.
SECRETS = ("Lovely pacing", "Rich content", "Clean slides", "SET ASIDE", "Juror Person", "Secret Juror University")
JUDGING_KEYS = ('"feedback"', '"scores"', '"total"', '"award', '"shortlisted"', '"juror')


def texts(client: APIClient, code: str) -> str:
    listed = client.get(reverse("contest_api:entry-list"))
    one = client.get(reverse("contest_api:entry-detail", kwargs={"code": code}))
    return json.dumps([listed.json(), one.json()], ensure_ascii=False)


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize(
    "role", ["author", "verified co-author", "other participant", "juror", "organiser of another contest", "anonymous"]
)
def test_entries_api_never_shows_results_or_feedback(contest, role, published):
    judged = judged_contest(contest)
    if published:
        judged.publish()
    user = {
        "author": judged.winner.author,
        "verified co-author": ProfileFactory(user=UserFactory(email="asel@example.org")).user,
        "other participant": judged.cut.author,
        "juror": judged.jurors[1].user,
        "organiser of another contest": ContestRoleFactory(role=Role.ORGANISER).user,
        "anonymous": None,
    }[role]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)

    told = texts(client, judged.winner.code)

    for secret in (*SECRETS, *JUDGING_KEYS):
        assert secret not in told
    if role == "author":
        assert judged.winner.title in told
    else:
        assert judged.winner.title not in told
