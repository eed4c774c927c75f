import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.models import Assignment
from judging.services.results import results_finalise
from judging.services.reviews import review_submit
from judging.services.rounds import round_close
from tests.contest.test_statistics import entry_by, statistics_contest
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    NominationFactory,
    PlatformFactory,
    ProfileFactory,
    UniversityFactory,
    UserFactory,
)
from tests.judging import criteria_for, juror_in, round_of


def url(name, contest, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def page(contest, language="en"):  # type: ignore[no-untyped-def]
    return url("organiser_statistics", contest, language)


def download(contest, file_format):  # type: ignore[no-untyped-def]
    return url("organiser_statistics_download", contest, file_format=file_format)


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


@pytest.fixture
def counted(contest):  # type: ignore[no-untyped-def]
    return statistics_contest(contest)


@pytest.fixture
def judged(counted):  # type: ignore[no-untyped-def]
    """Round 1 "Screening": Dana scored A1's quiz (Wordwall and Canva) 80; round 2 "Final" with nothing yet."""
    (c1,) = criteria_for(counted, 5)
    entry = counted.entries.get(title="A1 quiz")
    dana = juror_in(counted, name="Dana")
    first = round_of(counted, [entry], [dana])
    first.name_en = "Screening"
    first.save(update_fields=["name_en"])
    Assignment.objects.create(round=first, juror=dana, entry=entry)
    review_submit(actor=dana.user, round=first, entry=entry, scores={c1.pk: 4})
    final = round_of(counted, [entry], [dana], number=2)
    final.name_en = "Final"
    final.save(update_fields=["name_en"])
    return counted


def body_of(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


# The page


def test_statistics_page_shows_the_table_as_reported(organiser_client, counted):  # type: ignore[no-untyped-def]
    response = organiser_client.get(page(counted))

    assert response.status_code == 200
    body = body_of(response)
    headers = [
        '<th scope="col">Alpha University (3)</th>',
        '<th scope="col">Beta University (2)</th>',
        '<th scope="col">Gamma University (1)</th>',
        '<th scope="col">No university (1)</th>',
        '<th scope="col">Total (7)</th>',
    ]
    assert [header in body for header in headers] == [True] * 5
    wordwall = (
        '<th scope="row">Wordwall</th>\n          <td>2 (66.7%)</td><td>0 (0.0%)</td><td>1 (100.0%)</td>'
        "<td>0 (0.0%)</td><td>3 (42.9%)</td>"
    )
    assert wordwall in body
    assert "7 participants with a submitted entry." in body
    assert "Delta University" not in body


def test_statistics_page_draws_the_chart_without_script(organiser_client, counted):  # type: ignore[no-untyped-def]
    body = body_of(organiser_client.get(page(counted)))

    assert '<svg id="platform-chart" role="img"' in body
    # 42.9 % of the 300 units of a full bar; 14.3 % for Other, the smallest.
    assert body.count("<rect ") == 4
    assert 'width="128.7"' in body
    assert 'width="42.9"' in body
    assert "<title>Wordwall: 3 (42.9%)</title>" in body


def test_statistics_page_nominations(organiser_client, counted):  # type: ignore[no-untyped-def]
    body = body_of(organiser_client.get(page(counted)))

    assert '<th scope="row">Best quiz</th>\n          <td>2</td><td>1</td><td>1</td><td>1</td><td>5</td>' in body
    assert '<th scope="row">Total</th>\n        <td>4</td><td>2</td><td>1</td><td>1</td><td>8</td>' in body


def test_statistics_page_in_russian(organiser_client, counted):  # type: ignore[no-untyped-def]
    body = body_of(organiser_client.get(page(counted, "ru")))

    assert "<td>2 (66,7%)</td>" in body


def test_statistics_page_scores_of_the_latest_round(organiser_client, judged):  # type: ignore[no-untyped-def]
    body = body_of(organiser_client.get(page(judged)))

    assert '<option value="2" selected>2. Final</option>' in body
    assert '<th scope="row">Wordwall</th>\n            <td>0</td>\n            <td>—</td>' in body


def test_statistics_page_scores_of_a_chosen_round(organiser_client, judged):  # type: ignore[no-untyped-def]
    body = body_of(organiser_client.get(page(judged) + "?round=1"))

    assert '<option value="1" selected>1. Screening</option>' in body
    assert '<th scope="row">Wordwall</th>\n            <td>1</td>\n            <td>80.00</td>' in body
    assert '<th scope="row">Genially</th>\n            <td>0</td>\n            <td>—</td>' in body


def test_statistics_page_winners_per_platform(organiser_client, judged):  # type: ignore[no-untyped-def]
    organiser = ContestRoleFactory(contest=judged, role=Role.ORGANISER).user
    first = judged.rounds.get(number=1)
    # Some of the contest's submitted entries are in no round: the organiser goes on knowingly.
    round_close(actor=organiser, round=first, confirm_unjudged=True)
    first.refresh_from_db()
    results_finalise(actor=organiser, round=first, confirm_unjudged=True)

    body = body_of(organiser_client.get(page(judged)))

    assert '<h2 id="winners-title">Winners per platform</h2>' in body
    # A1's quiz (Wordwall and Canva), alone in its round, takes the first place.
    assert '<th scope="row">Wordwall</th>\n          <td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>' in body
    assert '<th scope="row">Canva</th>\n          <td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>' in body
    assert '<th scope="row">Genially</th>\n          <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>' in body


@pytest.mark.parametrize("number", ["9", "first"])
def test_statistics_page_of_an_unknown_round(organiser_client, judged, number):  # type: ignore[no-untyped-def]
    assert organiser_client.get(page(judged) + f"?round={number}").status_code == 404


def test_statistics_page_without_rounds_or_entries(organiser_client, contest):  # type: ignore[no-untyped-def]
    response = organiser_client.get(page(contest))

    assert response.status_code == 200
    body = body_of(response)
    assert "No judging round yet." in body
    assert "0 participants with a submitted entry." in body


def test_statistics_page_for_superuser(client, counted):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(page(counted)).status_code == 200


def test_statistics_page_queries_do_not_grow_with_entries(organiser_client, contest, django_assert_num_queries):  # type: ignore[no-untyped-def]
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    nomination = NominationFactory(contest=contest)
    universities = [UniversityFactory(), UniversityFactory()]
    entry = entry_by(ProfileFactory(university=universities[0]).user, contest, nomination, [wordwall])
    round_of(contest, [entry], [])
    with CaptureQueriesContext(connection) as one:
        assert organiser_client.get(page(contest)).status_code == 200
    for number in range(40):
        university = universities[number % 2]
        entry_by(ProfileFactory(university=university).user, contest, nomination, [wordwall])

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(page(contest))

    assert response.status_code == 200
    assert "41 participants with a submitted entry." in body_of(response)


# Downloads


def test_statistics_download_csv(organiser_client, counted):  # type: ignore[no-untyped-def]
    from tests.exchange.test_export_statistics import PLATFORM_STATS_CSV

    counted.entries.filter(title="A3 game").update(other_platform="Kahoot")

    response = organiser_client.get(download(counted, "csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{counted.slug}-platform-stats.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeff" + PLATFORM_STATS_CSV


def test_statistics_download_xlsx(organiser_client, counted):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(counted, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{counted.slug}-platform-stats.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Platforms", "Nominations", "Scores", "Winners"]
    assert workbook["Platforms"]["B2"].value == "2 (66.7%)"


def test_statistics_download_json(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, "json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(b"".join(response.streaming_content))
    assert [column["participants"] for column in document["columns"]] == [3, 2, 1, 1, 7]
    assert [(each["round"], each["platforms"][0]["mean"]) for each in document["scores"]] == [(1, 80.0), (2, None)]
    assert [(each["slug"], each["total"]) for each in document["winners"]] == [
        ("wordwall", 0),
        ("canva", 0),
        ("genially", 0),
        ("other", 0),
    ]


def test_statistics_download_unknown_format(organiser_client, counted):  # type: ignore[no-untyped-def]
    assert organiser_client.get(download(counted, "pdf")).status_code == 404


def test_statistics_only_by_get(organiser_client, counted):  # type: ignore[no-untyped-def]
    assert [
        organiser_client.post(page(counted)).status_code,
        organiser_client.post(download(counted, "csv")).status_code,
    ] == [405, 405]


# Who may


def test_statistics_for_anonymous_redirect_to_login(client, judged):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        login = reverse("account_login")
    for address in (page(judged), download(judged, "csv")):
        response = client.get(address)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login)


@pytest.fixture(params=["participant", "juror", "assigned_juror", "organiser_of_another_contest"])
def refused_user(request, judged):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        return Assignment.objects.select_related("juror__user").first().juror.user
    return request.getfixturevalue(request.param)


def test_statistics_for_others_forbidden(client, judged, refused_user):  # type: ignore[no-untyped-def]
    client.force_login(refused_user)

    responses = [client.get(page(judged)), *(client.get(download(judged, fmt)) for fmt in ("csv", "xlsx", "json"))]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert [response.get("Content-Disposition") for response in responses] == [None] * 4


def test_dashboard_shows_the_table_and_the_chart(organiser_client, counted):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        dashboard = reverse("frontend:organiser_dashboard", kwargs={"slug": counted.slug})
    body = body_of(organiser_client.get(dashboard))

    assert '<th scope="col">Total (7)</th>' in body
    assert "<td>2 (66.7%)</td><td>0 (0.0%)</td><td>1 (100.0%)</td><td>0 (0.0%)</td><td>3 (42.9%)</td>" in body
    assert "<title>Wordwall: 3 (42.9%)</title>" in body
    assert page(counted) in body  # the link to every statistic and the downloads
