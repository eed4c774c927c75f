"""The API's glue: one error shape for every refusal, documented on every operation; ids within range."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from config.converters import MAX_DATABASE_INTEGER
from contest.models import CoAuthor
from tests.factories import EntryFactory
from tests.judging import entry_from, juror_in, round_of

TOO_LARGE = MAX_DATABASE_INTEGER + 1


@pytest.fixture
def api(db):  # type: ignore[no-untyped-def]
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


# Every error has {"detail", "code"}


def test_error_when_not_logged_in(api):  # type: ignore[no-untyped-def]
    response = api.get("/api/v1/entries/")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
    )


def test_error_when_method_not_allowed(api, participant):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    response = api.delete("/api/v1/entries/")
    assert (response.status_code, response.json()) == (
        405,
        {"detail": 'Method "DELETE" not allowed.', "code": "method_not_allowed"},
    )


def test_error_when_media_type_unsupported(api, participant):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    response = api.post("/api/v1/entries/", "title=x", content_type="text/plain")
    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    )


def test_error_when_json_malformed(api, participant):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    response = api.post("/api/v1/entries/", "{", content_type="application/json")
    body = response.json()
    assert (response.status_code, body["code"], sorted(body)) == (400, "parse_error", ["code", "detail"])
    assert body["detail"].startswith("JSON parse error")


def test_error_when_input_invalid_names_each_field(api, participant, contest):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    response = api.post("/api/v1/entries/", {"contest": contest.slug, "coauthors": [{"email": "nope"}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "title: This field is required. nomination: This field is required. "
        "platforms: This field is required. coauthors.0.full_name: This field is required. "
        "coauthors.0.email: Enter a valid email address.",
        "code": "invalid",
        "errors": {
            "title": ["This field is required."],
            "nomination": ["This field is required."],
            "platforms": ["This field is required."],
            "coauthors.0.full_name": ["This field is required."],
            "coauthors.0.email": ["Enter a valid email address."],
        },
    }


def test_error_when_path_unknown_under_api_is_json(api):  # type: ignore[no-untyped-def]
    response = api.get("/api/v1/no-such-thing/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_error_when_page_unknown_is_still_a_page(client, db):  # type: ignore[no-untyped-def]
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# PATCH with a co-author given without e-mail or university (a KeyError before)


def test_entry_patch_with_coauthor_without_email(api, participant, contest):  # type: ignore[no-untyped-def]
    entry = EntryFactory(contest=contest, author=participant)
    api.force_login(participant)
    response = api.patch(f"/api/v1/entries/{entry.code}/", {"coauthors": [{"full_name": "Bolat"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["coauthors"] == [{"full_name": "Bolat", "email": "", "university": None}]
    assert list(CoAuthor.objects.filter(entry=entry).values_list("full_name", "email", "university")) == [
        ("Bolat", "", None)
    ]


def test_entry_patch_with_coauthor_without_name(api, participant, contest):  # type: ignore[no-untyped-def]
    entry = EntryFactory(contest=contest, author=participant)
    api.force_login(participant)
    response = api.patch(f"/api/v1/entries/{entry.code}/", {"coauthors": [{"email": "b@example.org"}]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"coauthors.0.full_name": ["This field is required."]}


# Ids beyond the database's integers are 404 (an OverflowError on SQLite before)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/jury/rounds/{TOO_LARGE}/entries/ABC123/",
        f"/api/v1/jury/rounds/{TOO_LARGE}/entries/ABC123/review/",
        f"/api/v1/jury/rounds/{TOO_LARGE}/entries/ABC123/review/submit/",
        f"/en/jury/r/{TOO_LARGE}/ABC123/",
        f"/en/jury/r/{TOO_LARGE}/",
        "/en/jury/r/99999999999999999999999999/ABC123/",
    ],
)
def test_ids_beyond_the_database_range_match_no_url(path):  # type: ignore[no-untyped-def]
    with pytest.raises(Resolver404):
        resolve(path)


def test_largest_database_id_still_matches():  # type: ignore[no-untyped-def]
    match = resolve(f"/api/v1/jury/rounds/{MAX_DATABASE_INTEGER}/entries/ABC123/")
    assert (match.url_name, match.kwargs) == ("entry", {"round_id": MAX_DATABASE_INTEGER, "code": "ABC123"})
    with translation.override("en"):
        assert reverse("frontend:jury_entry", kwargs={"round_id": 7, "code": "ABC123"}) == "/en/jury/r/7/ABC123/"


def test_huge_round_id_for_a_juror_is_404(api, client, contest):  # type: ignore[no-untyped-def]
    entry = entry_from(contest, None)
    juror = juror_in(contest, name="Dana")
    round_of(contest, [entry], [juror], k=1)
    api.force_login(juror.user)
    client.force_login(juror.user)

    answer = api.get(f"/api/v1/jury/rounds/{TOO_LARGE}/entries/{entry.code}/")
    page = client.get(f"/en/jury/r/{TOO_LARGE}/{entry.code}/")

    assert (answer.status_code, answer.json()) == (404, {"detail": "Not found.", "code": "not_found"})
    assert page.status_code == 404


# The schema documents it


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_documents_the_error_answers_of_every_operation(schema):  # type: ignore[no-untyped-def]
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"400", "401", "403", "404", "406"} | ({"415"} if method in ("post", "put", "patch") else set())
            assert expected <= set(responses), (method, path)
            for code, response in responses.items():
                if code >= "400":
                    assert response["content"] == error, (method, path, code)


def test_schema_error_shape(schema):  # type: ignore[no-untyped-def]
    error = schema["components"]["schemas"]["Error"]
    assert (sorted(error["properties"]), error["required"]) == (["code", "detail", "errors"], ["code", "detail"])
    assert error["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_schema_lets_links_and_emails_be_blank(schema):  # type: ignore[no-untyped-def]
    entry = schema["components"]["schemas"]["Entry"]["properties"]
    coauthor = schema["components"]["schemas"]["CoAuthor"]["properties"]
    assert entry["live_url"]["anyOf"] == [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]
    jury_entry = schema["components"]["schemas"]["JuryEntry"]["properties"]
    assert jury_entry["live_url"]["anyOf"] == entry["live_url"]["anyOf"]
    assert coauthor["email"]["anyOf"] == [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]


def test_schema_path_ids_are_bounded(schema):  # type: ignore[no-untyped-def]
    operation = schema["paths"]["/api/v1/jury/rounds/{round_id}/entries/{code}/"]["get"]
    [round_id] = [parameter for parameter in operation["parameters"] if parameter["name"] == "round_id"]
    assert round_id["schema"] == {"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_DATABASE_INTEGER}


# A NUL character in a path is a 404 before any view (a DataError from PostgreSQL before)


@pytest.mark.parametrize("path", ["/api/v1/contests/a%00b/", "/api/v1/jury/rounds/1/entries/AB%00C/"])
def test_api_path_with_nul_is_404(api, juror, path):  # type: ignore[no-untyped-def]
    api.force_login(juror)
    response = api.get(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "code": "not_found"})


@pytest.mark.parametrize("path", ["/en/jury/r/1/%00/", "/en/c/a%00b/", "/en/organise/c/%00/processing/"])
def test_page_path_with_nul_is_404(client, juror, path):  # type: ignore[no-untyped-def]
    client.force_login(juror)
    assert client.get(path).status_code == 404
