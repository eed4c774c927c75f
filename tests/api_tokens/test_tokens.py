"""Personal API tokens: made with a hash kept, shown once, accepted as Token or Bearer, revoked for good."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from rest_framework.test import APIClient

from api_tokens.models import ApiToken
from api_tokens.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from config.exceptions import BaigeError

INVALID = {"detail": "Invalid token.", "code": "authentication_failed"}


def api_with(header: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_api_token_create_keeps_only_a_hash(participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="  my   script ")

    assert token.startswith("baige_") and len(token) == len("baige_") + 43
    stored = ApiToken.objects.get()
    assert (stored.pk, stored.user, stored.name, stored.prefix) == (row.pk, participant, "my script", token[:12])
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values().get())


def test_api_token_create_without_a_name_refused(participant):  # type: ignore[no-untyped-def]
    with pytest.raises(BaigeError) as refusal:
        api_token_create(actor=participant, name="   ")
    assert str(refusal.value) == "Give the token a name, e.g. the program that will use it."
    assert ApiToken.objects.count() == 0


def test_api_token_create_beyond_the_limit_refused(participant):  # type: ignore[no-untyped-def]
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(actor=participant, name=f"t{number}")
    with pytest.raises(BaigeError) as refusal:
        api_token_create(actor=participant, name="one more")
    assert str(refusal.value) == "You already have 20 tokens. Revoke one you no longer use first."
    api_token_revoke(actor=participant, token_id=ApiToken.objects.first().pk)  # type: ignore[union-attr]
    assert api_token_create(actor=participant, name="one more")[0].name == "one more"


def test_api_token_revoke_of_someone_else_is_404(participant, other_participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="mine")
    with pytest.raises(Http404):
        api_token_revoke(actor=other_participant, token_id=row.pk)
    row.refresh_from_db()
    assert row.revoked_at is None
    assert api_with(f"Token {token}").get("/api/v1/entries/").status_code == 200


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token", "bearer"])
def test_api_accepts_a_token_as_token_or_bearer(participant, keyword):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="script")

    response = api_with(f"{keyword} {token}").get("/api/v1/entries/")

    assert (response.status_code, response.json()["count"]) == (200, 0)
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_api_token_last_used_written_at_most_each_minute(participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="script")
    client = api_with(f"Token {token}")
    with time_machine.travel(row.created_at + timedelta(hours=1), tick=False) as clock:
        client.get("/api/v1/entries/")
        first = ApiToken.objects.get().last_used_at
        clock.shift(timedelta(seconds=30))
        client.get("/api/v1/entries/")
        assert ApiToken.objects.get().last_used_at == first
        clock.shift(timedelta(seconds=31))
        client.get("/api/v1/entries/")
        assert ApiToken.objects.get().last_used_at == first + timedelta(seconds=61)  # type: ignore[operator]


def test_api_refuses_a_revoked_token(participant):  # type: ignore[no-untyped-def]
    row, token = api_token_create(actor=participant, name="script")
    api_token_revoke(actor=participant, token_id=row.pk)

    response = api_with(f"Token {token}").get("/api/v1/entries/")

    assert (response.status_code, response.json()) == (403, INVALID)


def test_api_refuses_the_token_of_a_deactivated_account(participant):  # type: ignore[no-untyped-def]
    _row, token = api_token_create(actor=participant, name="script")
    participant.is_active = False
    participant.save(update_fields=["is_active"])

    response = api_with(f"Bearer {token}").get("/api/v1/entries/")

    assert (response.status_code, response.json()) == (403, INVALID)


@pytest.mark.parametrize(
    "header",
    [
        "Token baige_notarealtoken",
        "Token 0123456789abcdef0123456789abcdef01234567",
        "Bearer baige_" + "x" * 200,
    ],
)
def test_api_refuses_unknown_tokens(db, header):  # type: ignore[no-untyped-def]
    response = api_with(header).get("/api/v1/entries/")
    assert (response.status_code, response.json()) == (403, INVALID)


def test_api_refuses_a_token_header_with_two_tokens(participant):  # type: ignore[no-untyped-def]
    _row, token = api_token_create(actor=participant, name="script")
    response = api_with(f"Token {token} {token}").get("/api/v1/entries/")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Invalid token header: give one token after the keyword.", "code": "authentication_failed"},
    )


def test_api_without_a_token_is_anonymous(db):  # type: ignore[no-untyped-def]
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/entries/")
    assert (response.status_code, response.json()["code"]) == (403, "not_authenticated")


def test_a_token_opens_only_its_owners_data(participant, other_participant, contest):  # type: ignore[no-untyped-def]
    from tests.factories import EntryFactory

    mine = EntryFactory(contest=contest, author=participant)
    theirs = EntryFactory(contest=contest, author=other_participant)
    _row, token = api_token_create(actor=participant, name="script")
    client = api_with(f"Token {token}")

    assert [e["code"] for e in client.get("/api/v1/entries/").json()["results"]] == [mine.code]
    assert client.get(f"/api/v1/entries/{theirs.code}/").status_code == 404
