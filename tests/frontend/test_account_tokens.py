"""The account's API tokens page: every logged-in person makes, sees and revokes their own tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from api_tokens.models import ApiToken
from api_tokens.services import api_token_create
from contest.enums import Role
from tests.factories import ContestRoleFactory, UserFactory


def page(language: str = "en") -> str:
    with translation.override(language):
        return reverse("frontend:account_tokens")


def revoke_url(pk: int, language: str = "en") -> str:
    with translation.override(language):
        return reverse("frontend:account_token_revoke", kwargs={"pk": pk})


def new_token_in(html: str) -> str:
    [token] = re.findall(r'<code id="new-token-value">(baige_[A-Za-z0-9_-]+)</code>', html)
    return token


def entries_with(token: str) -> int:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/entries/").status_code


@pytest.fixture(params=["participant", "juror", "organiser"])
def person(request, contest):  # type: ignore[no-untyped-def]
    """Everyone who logs in; jurors and organisers here have no participant profile."""
    if request.param == "participant":
        return request.getfixturevalue("participant")
    return ContestRoleFactory(contest=contest, role=getattr(Role, request.param.upper())).user


def test_tokens_page_creates_a_token_shown_once(client, person):  # type: ignore[no-untyped-def]
    client.force_login(person)

    created = client.post(page(), {"name": "my scoring script"})
    response = client.get(page())

    assert (created.status_code, created["Location"]) == (302, page())
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = new_token_in(html)
    assert "Your new token. Copy it now: it will not be shown again." in html
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.prefix) == (person, "my scoring script", token[:12])
    assert entries_with(token) == 200
    again = client.get(page()).content.decode()
    assert token not in again and 'id="new-token"' not in again
    assert f"<code>{token[:12]}…</code>" in again and "my scoring script" in again
    assert "api_tokens.new_token" not in client.session


def test_tokens_page_lists_only_the_owners_tokens(client, participant, other_participant):  # type: ignore[no-untyped-def]
    api_token_create(actor=participant, name="mine")
    api_token_create(actor=other_participant, name="someone else's")
    client.force_login(participant)

    html = client.get(page()).content.decode()

    rows = html.split('id="tokens"')[1].split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 1 and "mine" in rows[0]
    assert "someone else" not in html


def test_tokens_page_when_none_says_so(client, participant):  # type: ignore[no-untyped-def]
    client.force_login(participant)
    assert '<p id="no-tokens">You have no token.</p>' in client.get(page()).content.decode()


def test_tokens_page_without_a_name_refused(client, participant):  # type: ignore[no-untyped-def]
    client.force_login(participant)
    response = client.post(page(), {"name": ""})
    assert (response.status_code, ApiToken.objects.count()) == (200, 0)
    assert 'id="new-token"' not in response.content.decode()


def test_revoke_my_token(client, participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="old script")
    client.force_login(participant)

    response = client.post(revoke_url(row.pk))

    assert (response.status_code, response["Location"]) == (302, page())
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert entries_with(token) == 403
    html = client.get(page()).content.decode()
    assert "The token “old script” is revoked: it no longer opens the API." in html
    assert 'id="tokens"' not in html


def test_revoke_someone_elses_token_is_404(client, participant, other_participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="mine")
    client.force_login(other_participant)

    response = client.post(revoke_url(row.pk))

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None and entries_with(token) == 200


def test_revoke_twice_or_unknown_is_404(client, participant):  # type: ignore[no-untyped-def]
    row, _token = api_token_create(actor=participant, name="mine")
    client.force_login(participant)
    assert client.post(revoke_url(row.pk)).status_code == 302
    assert client.post(revoke_url(row.pk)).status_code == 404
    assert client.post(revoke_url(row.pk + 1000)).status_code == 404
    assert client.post(f"/en/account/tokens/{2**63}/revoke/").status_code == 404


def test_revoke_only_by_post(client, participant):  # type: ignore[no-untyped-def]
    row, _token = api_token_create(actor=participant, name="mine")
    client.force_login(participant)
    assert client.get(revoke_url(row.pk)).status_code == 405
    row.refresh_from_db()
    assert row.revoked_at is None


def test_tokens_page_and_revoke_need_csrf(participant):  # type: ignore[no-untyped-def]
    row, _token = api_token_create(actor=participant, name="mine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    assert client.post(page(), {"name": "forged"}).status_code == 403
    assert client.post(revoke_url(row.pk)).status_code == 403
    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [("mine", None)]


def test_tokens_page_for_anonymous_redirects_to_login(client, db):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        login = reverse("account_login")
    for response in (client.get(page()), client.post(page(), {"name": "x"}), client.post(revoke_url(1))):
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login)
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "title", "button"),
    [
        ("kk", "API токендері", "Токен жасау"),
        ("ru", "API-токены", "Создать токен"),
        ("en", "API tokens", "Create token"),
    ],
)
def test_tokens_page_in_each_language(client, participant, language, title, button):  # type: ignore[no-untyped-def]
    client.force_login(participant)
    html = client.get(page(language)).content.decode()
    assert f"<h1>{title}</h1>" in html and f">{button}</button>" in html


def test_profile_links_to_the_tokens_page(client, db):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())
    html = client.get(reverse("frontend:profile")).content.decode()
    assert f'<a href="{page()}">Your API tokens</a>' in html
