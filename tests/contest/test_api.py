"""API v1 as a whole: token log-in, the deadline as clients see it, and the OpenAPI schema."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import include, path
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api_tokens.services import api_token_create
from contest.enums import EntryStatus
from contest.models import Entry
from contest.services import contest_format_time
from tests.factories import EntryFactory


@pytest.fixture
def entry(contest, nomination, platforms, participant):  # type: ignore[no-untyped-def]
    return EntryFactory(
        contest=contest, author=participant, nomination=nomination, platforms=platforms, with_media=True
    )


def test_entry_list_with_token(entry, participant):
    _row, token = api_token_create(actor=participant, name="script")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/entries/")
    assert response.status_code == 200
    assert [e["code"] for e in response.json()["results"]] == [entry.code]


def test_entry_list_with_wrong_token(entry):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/entries/")
    # Session authentication comes first in the settings, so DRF answers 403 rather than 401.
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def deadline_message(contest, language):  # type: ignore[no-untyped-def]
    """The refusal the author should read, in ``language`` (English until that catalogue has it)."""
    with translation.override(language):
        return gettext(
            "The deadline (%(date)s) has passed: entries can no longer be created, changed or submitted."
        ) % {"date": contest_format_time(contest, contest.submissions_close)}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_entry_submit_second_after_deadline(entry, participant, contest, language):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(participant)
    before = Entry.objects.filter(pk=entry.pk).values().get()
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = client.post(f"/api/v1/entries/{entry.code}/submit/")
    assert response.status_code == 409
    assert response["Content-Language"] == language
    assert response.json() == {"detail": deadline_message(contest, language), "code": "submissions_closed"}
    assert Entry.objects.filter(pk=entry.pk).values().get() == before
    assert before["status"] == EntryStatus.DRAFT


@pytest.mark.parametrize("method", ["put", "patch"])
def test_entry_update_second_after_deadline(entry, participant, contest, nomination, method):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(participant)
    before = (Entry.objects.filter(pk=entry.pk).values().get(), sorted(entry.platforms.values_list("pk", flat=True)))
    payload = {"title": "Too late", "nomination": nomination.pk, "platforms": [entry.platforms.first().pk]}
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = getattr(client, method)(f"/api/v1/entries/{entry.code}/", payload, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": deadline_message(contest, "ru"), "code": "submissions_closed"}
    after = (Entry.objects.filter(pk=entry.pk).values().get(), sorted(entry.platforms.values_list("pk", flat=True)))
    assert after == before


def test_entry_withdraw_second_after_deadline(entry, participant, contest):
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.SUBMITTED, submitted_at=contest.submissions_open)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(participant)
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = client.post(f"/api/v1/entries/{entry.code}/withdraw/")
    assert response.status_code == 409
    assert response.json()["code"] == "submissions_closed"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


API_PATHS = [
    "/api/v1/contests/",
    "/api/v1/contests/{slug}/",
    "/api/v1/contests/{slug}/nominations/",
    "/api/v1/contests/{slug}/platforms/",
    "/api/v1/entries/",
    "/api/v1/entries/{code}/",
    "/api/v1/entries/{code}/submit/",
    "/api/v1/entries/{code}/withdraw/",
]


def test_schema_lists_contest_paths(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert [p for p in API_PATHS if p in paths] == API_PATHS
    # No DELETE: entries are withdrawn, never deleted, through the API.
    assert sorted(paths["/api/v1/entries/{code}/"]) == ["get", "patch", "put"]


def test_schema_of_contest_views_without_warnings():
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("media_pipeline.entry_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert sorted(schema["paths"]) == sorted(API_PATHS)
    assert not GENERATOR_STATS, "drf-spectacular warned or failed while describing the contest API"


def test_api_docs_page_served_from_our_own_static_files(db):
    from django.test import Client

    response = Client().get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    # The page's own script is a file of its own (no inline script under the Content-Security-Policy).
    assert '<script src="/api/docs/?script="></script>' in body
    script = Client().get("/api/docs/?script")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
