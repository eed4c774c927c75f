"""Every entry endpoint against every role that must be refused: exact status, and nothing changed."""

import pytest
from rest_framework.test import APIClient

from contest.models import CoAuthor, Entry
from tests.factories import EntryFactory, PlatformFactory

#: Someone else's entry answers exactly like a missing one; without a login nothing is answered at all.
REFUSED = [("anonymous", 403), ("other_participant", 404), ("juror", 404), ("organiser", 404)]

#: Requests that would succeed for the author: (method, URL suffix, body or None).
ENTRY_WRITES = [
    ("put", "", "full"),
    ("patch", "", {"title": "Taken over", "consent_to_publish": True, "coauthors": []}),
    ("post", "submit/", None),
]


def client_as(user):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def snapshot(entry):  # type: ignore[no-untyped-def]
    """Everything stored about an entry, to prove a refused request changed nothing."""
    return (
        Entry.objects.filter(pk=entry.pk).values().get(),
        sorted(entry.platforms.values_list("pk", flat=True)),
        list(CoAuthor.objects.filter(entry=entry).values()),
    )


def full_update(entry):  # type: ignore[no-untyped-def]
    """A complete, valid PUT body that changes the entry."""
    return {
        "title": "Taken over",
        "nomination": entry.nomination_id,
        "platforms": [PlatformFactory(contest=entry.contest).pk],
    }


@pytest.fixture
def entry(contest, nomination, platforms, participant):  # type: ignore[no-untyped-def]
    """A draft that its author could submit right now."""
    entry = EntryFactory(
        contest=contest, author=participant, nomination=nomination, platforms=platforms, with_media=True
    )
    CoAuthor.objects.create(entry=entry, full_name="Aigerim Sadykova")
    return entry


@pytest.mark.parametrize(("role", "expected"), REFUSED)
def test_entry_retrieve_by_others_refused(request, entry, role, expected):
    response = client_as(request.getfixturevalue(role)).get(f"/api/v1/entries/{entry.code}/")
    assert response.status_code == expected
    assert entry.title not in response.content.decode()


@pytest.mark.parametrize(("method", "suffix", "payload"), ENTRY_WRITES)
@pytest.mark.parametrize(("role", "expected"), REFUSED)
def test_entry_write_by_others_refused(request, entry, role, expected, method, suffix, payload):
    if payload == "full":
        payload = full_update(entry)
    before = snapshot(entry)
    client = client_as(request.getfixturevalue(role))
    response = getattr(client, method)(f"/api/v1/entries/{entry.code}/{suffix}", payload, format="json")
    assert response.status_code == expected
    assert snapshot(entry) == before


@pytest.mark.parametrize(("role", "expected"), REFUSED)
def test_entry_withdraw_by_others_refused(request, entry, role, expected):
    Entry.objects.filter(pk=entry.pk).update(status="submitted", submitted_at=entry.created_at)
    before = snapshot(entry)
    response = client_as(request.getfixturevalue(role)).post(f"/api/v1/entries/{entry.code}/withdraw/")
    assert response.status_code == expected
    assert snapshot(entry) == before


@pytest.mark.parametrize("role", ["other_participant", "juror", "organiser"])
def test_entry_list_by_others_hides_entry(request, entry, role):
    response = client_as(request.getfixturevalue(role)).get("/api/v1/entries/")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_entry_list_anonymous_refused(entry):
    response = client_as(None).get("/api/v1/entries/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 403), ("other_participant", 405), ("juror", 405)])
def test_entry_delete_by_others_refused(request, entry, role, expected):
    response = client_as(request.getfixturevalue(role)).delete(f"/api/v1/entries/{entry.code}/")
    # No one deletes through the API; a logged-in person learns only that the method does not exist.
    assert response.status_code == expected
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(("method", "suffix", "payload"), ENTRY_WRITES)
def test_entry_write_by_author_allowed(entry, participant, method, suffix, payload):
    """The refusals above are real: the same requests from the author change the entry."""
    if payload == "full":
        payload = full_update(entry)
    before = snapshot(entry)
    response = getattr(client_as(participant), method)(f"/api/v1/entries/{entry.code}/{suffix}", payload, format="json")
    assert response.status_code == 200
    assert snapshot(entry) != before
