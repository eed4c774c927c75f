"""The organisers' exports through the API: the same files as the command, and nobody else's."""

import io
import json

import openpyxl
import pytest
from django.urls import include, path, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from contest.enums import Role
from exchange.api import ContestExportView
from judging.models import Assignment
from tests.exchange.test_export_results import HEADER, NO_AWARDS, ROUND_2, reviewed_round, round_1_csv
from tests.exchange.test_export_results import judged as judged  # noqa: PLC0414 (the fixture)
from tests.factories import ContestFactory, ContestRoleFactory, UserFactory

RESULTS_CSV = HEADER + round_1_csv(NO_AWARDS, "no") + ROUND_2


def export_url(contest, what="results", **params):  # type: ignore[no-untyped-def]
    address = reverse("judging_api:export", kwargs={"slug": contest.slug, "what": what})
    if params:
        address += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return address


@pytest.fixture(autouse=True)
def in_english(api_client):  # type: ignore[no-untyped-def]
    """Messages in English: without Accept-Language the API speaks the site's default language."""
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def contest_of(judged):  # type: ignore[no-untyped-def]
    return judged["round"].contest


@pytest.fixture
def organiser_api(api_client, judged):  # type: ignore[no-untyped-def]
    api_client.force_login(judged["organiser"])
    return api_client


def content_of(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


# Files


def test_export_api_results_csv_streams_the_commands_file(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, format="csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{contest_of.slug}-results.csv"'
    assert content_of(response).decode() == "\ufeff" + RESULTS_CSV


def test_export_api_csv_without_a_format(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of))

    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert content_of(response).decode() == "\ufeff" + RESULTS_CSV


def test_export_api_results_of_one_round_as_json(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, format="json", round=2))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="{contest_of.slug}-results-round-2.json"'
    rows = json.loads(content_of(response))
    assert [(row["round"], row["entry_code"], row["place"], row["finalised"]) for row in rows] == [
        (2, "QUIZ01", None, "no")
    ]


def test_export_api_results_xlsx(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, format="xlsx", round=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{contest_of.slug}-results-round-1.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(content_of(response)))["export"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.strip().split(","))
    assert [row[4] for row in rows[1:]] == [
        "QUIZ01",
        "QUIZ02",
        "QUIZ03",
        "QUIZ04",
        "QUIZ05",
        "GAME02",
        "GAME03",
        "GAME01",
    ]


def test_export_api_platform_stats_json_document(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, "platform-stats", format="json"))

    assert response.status_code == 200
    document = json.loads(content_of(response))
    assert list(document) == ["contest", "columns", "platforms", "nominations", "scores", "winners"]
    assert document["contest"] == contest_of.slug


def test_export_api_reviews_csv_of_one_round(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, "reviews", format="csv", round=2))

    assert content_of(response).decode() == (
        "\ufeffround,entry_code,entry_title,nomination,juror_email,juror_name,status,c1,c2,total,comment,feedback,"
        "c1_comment,c2_comment,submitted_at\r\n"
    )


def test_export_api_for_superuser(api_client, contest_of):  # type: ignore[no-untyped-def]
    api_client.force_login(UserFactory(is_superuser=True))

    response = api_client.get(export_url(contest_of, format="csv"))

    assert (response.status_code, content_of(response).decode()) == (200, "\ufeff" + RESULTS_CSV)


@pytest.mark.parametrize("entries", [1, 30])
def test_export_api_queries_do_not_grow_with_rows(api_client, contest, entries, django_assert_num_queries):  # type: ignore[no-untyped-def]
    reviewed_round(contest, entries)
    api_client.force_login(ContestRoleFactory(contest=contest, role=Role.ORGANISER).user)

    # User (the session is in the cache), the contest, the organiser's role (checked by the view, then by
    # the export), and the export's seven: the rounds, the results, their awards, and the ranking's four.
    with django_assert_num_queries(11):
        response = api_client.get(export_url(contest, format="csv"))
        text = content_of(response).decode()

    assert text.count("\r\n") == entries + 1


# Refusals


@pytest.mark.parametrize(
    ("what", "params", "message"),
    [
        (
            "winners",
            {},
            "Unknown export “winners”; choose one of: assignments, reviews, results, platform-stats, entries.",
        ),
        ("results", {"format": "pdf"}, "Unknown format “pdf”; choose one of: csv, xlsx, json."),
        ("results", {"round": "first"}, "“first” is not a round number."),
        ("results", {"round": "9"}, "Contest “{slug}” has no round 9; its rounds are: 1, 2."),
        ("entries", {"round": "1"}, "The export “entries” covers the whole contest, not one round."),
    ],
)
def test_export_api_bad_request(organiser_api, contest_of, what, params, message):  # type: ignore[no-untyped-def]
    response = organiser_api.get(export_url(contest_of, what, **params))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message.format(slug=contest_of.slug), "code": "export_refused"}
    assert response.get("Content-Disposition") is None


def test_export_api_unknown_contest(organiser_api):  # type: ignore[no-untyped-def]
    response = organiser_api.get(reverse("judging_api:export", kwargs={"slug": "nowhere", "what": "results"}))

    assert response.status_code == 404


def test_export_api_for_anonymous(api_client, contest_of):  # type: ignore[no-untyped-def]
    response = api_client.get(export_url(contest_of, format="csv"))

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


@pytest.fixture(params=["participant", "juror", "assigned_juror", "organiser_of_another_contest"])
def refused_user(request, judged):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        return Assignment.objects.select_related("juror__user").first().juror.user
    if request.param == "juror":
        return ContestRoleFactory(contest=judged["round"].contest, role=Role.JUROR).user
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("params", [{"format": "csv"}, {"format": "xlsx", "round": "1"}, {"format": "pdf"}])
def test_export_api_for_others_forbidden(api_client, contest_of, refused_user, params):  # type: ignore[no-untyped-def]
    api_client.force_login(refused_user)

    response = api_client.get(export_url(contest_of, **params))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the contest's organisers can download its exports.",
        "code": "not_allowed",
    }
    assert response.get("Content-Disposition") is None


def test_export_api_only_by_get(organiser_api, contest_of):  # type: ignore[no-untyped-def]
    assert organiser_api.post(export_url(contest_of)).status_code == 405


# Schema


def test_export_api_in_the_openapi_schema(api_client, db):  # type: ignore[no-untyped-def]
    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/contests/{slug}/exports/{what}/"]["get"]
    assert (operation["summary"], operation["tags"]) == ("Download an export of a contest", ["exports"])
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert sorted(parameters) == ["format", "round", "slug", "what"]
    assert parameters["format"]["schema"] == {"type": "string", "enum": ["csv", "json", "xlsx"], "default": "csv"}
    assert parameters["round"]["schema"] == {"type": "integer"}
    assert parameters["what"]["schema"]["enum"] == ["assignments", "entries", "platform-stats", "results", "reviews"]
    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "404", "406"]
    assert sorted(operation["responses"]["200"]["content"]) == [
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
    ]
    assert operation["responses"]["200"]["content"]["text/csv"]["schema"] == {"type": "string", "format": "binary"}


def test_export_api_schema_without_warnings():  # type: ignore[no-untyped-def]
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/contests/<slug:slug>/exports/<str:what>/", ContestExportView.as_view())]
    generator = SchemaGenerator(patterns=[path("", include((patterns, "exports")))])

    schema = generator.get_schema(request=None, public=True)

    assert sorted(schema["paths"]) == ["/api/v1/contests/{slug}/exports/{what}/"]
    assert not GENERATOR_STATS, "drf-spectacular warned or failed while describing the exports API"
