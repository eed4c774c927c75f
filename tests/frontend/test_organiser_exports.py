import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from contest.models import Entry
from judging.enums import AssignmentOrigin
from judging.models import Assignment
from judging.services.reviews import review_submit
from tests.factories import ContestFactory, ContestRoleFactory, UserFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

SUBMITTED_AT = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def url(name, contest, language="en", **params):  # type: ignore[no-untyped-def]
    with translation.override(language):
        address = reverse(f"frontend:{name}", kwargs={"slug": contest.slug})
    if params:
        address += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return address


def download(contest, **params):  # type: ignore[no-untyped-def]
    return url("organiser_export_download", contest, **params)


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


@pytest.fixture
def judged(contest):  # type: ignore[no-untyped-def]
    """Round 1 "Screening" where Dana submitted entry E1 (4 of 5); round 2 with nothing yet."""
    (c1,) = criteria_for(contest, 5)
    entry = entry_from(contest, None, title="Fractions with Wordwall")
    Entry.objects.filter(pk=entry.pk).update(code="E1")
    entry.refresh_from_db()
    dana = juror_in(contest, name="Dana Nurlanova")
    dana.user.email = "dana@example.org"
    dana.user.save(update_fields=["email"])
    first = round_of(contest, [entry], [dana])
    first.name_en = "Screening"
    first.save(update_fields=["name_en"])
    Assignment.objects.create(round=first, juror=dana, entry=entry, origin=AssignmentOrigin.AUTOMATIC)
    review_submit(actor=dana.user, round=first, entry=entry, scores={c1.pk: 4}, comment="Good.", now=SUBMITTED_AT)
    round_of(contest, [entry], [dana], number=2)
    return contest


def reviews_csv(contest):  # type: ignore[no-untyped-def]
    nomination = Entry.objects.get(code="E1").nomination.name
    return (
        "\ufeffround,entry_code,entry_title,nomination,juror_email,juror_name,status,c1,total,comment,feedback,"
        "c1_comment,submitted_at\r\n"
        f"1,E1,Fractions with Wordwall,{nomination},dana@example.org,Dana Nurlanova,submitted,4,80.00,Good.,,,"
        "2030-03-05T14:00:00+05:00\r\n"
    )


# The page


def test_exports_page_lists_every_download(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(url("organiser_exports", judged))

    assert response.status_code == 200
    body = response.content.decode()
    links = [
        download(judged, what=what, format=file_format, **({"round": number} if number else {}))
        for what in ("assignments", "reviews", "results")
        for number in (None, 1, 2)
        for file_format in ("csv", "xlsx")
    ]
    assert [link.replace("&", "&amp;") in body for link in links] == [True] * 18
    assert "Round 1 · Screening" in body
    assert "All rounds" in body


def test_exports_page_for_superuser(client, judged):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(url("organiser_exports", judged)).status_code == 200


def test_exports_page_queries_do_not_grow_with_rounds(organiser_client, contest, django_assert_num_queries):  # type: ignore[no-untyped-def]
    round_of(contest, [], [], number=1)
    with CaptureQueriesContext(connection) as one:
        assert organiser_client.get(url("organiser_exports", contest)).status_code == 200
    for number in range(2, 7):
        round_of(contest, [], [], number=number)

    # Session, user, the contest, the organiser's role, the rounds, and what the page's header needs.
    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(url("organiser_exports", contest))

    assert response.status_code == 200
    assert response.content.decode().count("Round 6 · Round 6") == 3  # once per export by round


# Downloads


def test_export_download_csv_streams_exact_content(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, what="reviews", format="csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{judged.slug}-reviews.csv"'
    assert b"".join(response.streaming_content).decode() == reviews_csv(judged)


def test_export_download_xlsx_of_one_round(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, what="assignments", format="xlsx", round=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{judged.slug}-assignments-round-1.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    nomination = Entry.objects.get(code="E1").nomination.name
    assert list(workbook.active.iter_rows(values_only=True)) == [
        (
            "round",
            "entry_code",
            "entry_title",
            "nomination",
            "juror_email",
            "juror_name",
            "juror_university",
            "origin",
            "review_status",
        ),
        (1, "E1", "Fractions with Wordwall", nomination, "dana@example.org", "Dana Nurlanova", None)
        + ("automatic", "submitted"),
    ]


def test_export_download_of_an_empty_round_has_the_header_only(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, what="assignments", format="csv", round=2))

    assert b"".join(response.streaming_content).decode() == (
        "\ufeffround,entry_code,entry_title,nomination,juror_email,juror_name,juror_university,origin,review_status\r\n"
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["assignments", "reviews"])
def test_export_download_queries_do_not_grow_with_rows(
    organiser_client, contest, what, file_format, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    (c1,) = criteria_for(contest, 5)
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(4)]
    entries = [entry_from(contest, None) for _ in range(5)]
    small = round_of(contest, entries[:1], jurors[:1])
    Assignment.objects.create(round=small, juror=jurors[0], entry=entries[0])
    review_submit(actor=jurors[0].user, round=small, entry=entries[0], scores={c1.pk: 3})
    with django_assert_max_num_queries(8) as one:
        b"".join(organiser_client.get(download(contest, what=what, format=file_format)).streaming_content)
    big = round_of(contest, entries, jurors, number=2)
    for juror in jurors:
        for entry in entries:
            Assignment.objects.create(round=big, juror=juror, entry=entry)
            review_submit(actor=juror.user, round=big, entry=entry, scores={c1.pk: 2})

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = organiser_client.get(download(contest, what=what, format=file_format))
        content = b"".join(response.streaming_content)

    if file_format == "csv":
        assert len(content.decode().splitlines()) == 1 + 21
    else:
        assert openpyxl.load_workbook(io.BytesIO(content)).active.max_row == 1 + 21


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"what": "gossip", "format": "csv"}, "Unknown export “gossip”; choose one of: assignments, reviews"),
        ({"what": "reviews", "format": "pdf"}, "Unknown format “pdf”; choose one of: csv, xlsx."),
        ({"what": "reviews"}, "Unknown format “”; choose one of: csv, xlsx."),
        ({"what": "reviews", "format": "csv", "round": "first"}, "“first” is not a round number."),
        ({"what": "reviews", "format": "csv", "round": "9"}, "has no round 9; its rounds are: 1, 2."),
    ],
)
def test_export_download_bad_params(organiser_client, judged, params, message):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, **params))

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert message in response.content.decode()


# Who may


def test_exports_for_anonymous_redirect_to_login(client, judged):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        login = reverse("account_login")
    for address in (url("organiser_exports", judged), download(judged, what="reviews", format="csv")):
        response = client.get(address)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login)


@pytest.fixture(params=["participant", "juror", "assigned_juror", "organiser_of_another_contest"])
def refused_user(request, judged):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        return Assignment.objects.select_related("juror__user").first().juror.user
    return request.getfixturevalue(request.param)


def test_exports_for_others_forbidden(client, judged, refused_user):  # type: ignore[no-untyped-def]
    client.force_login(refused_user)

    responses = [
        client.get(url("organiser_exports", judged)),
        client.get(download(judged, what="reviews", format="csv")),
        client.get(download(judged, what="assignments", format="xlsx", round=1)),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    assert [response.get("Content-Disposition") for response in responses] == [None, None, None]


def test_export_download_only_by_get(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.post(download(judged, what="reviews", format="csv"))

    assert response.status_code == 405


def test_export_download_results_csv_of_one_round(organiser_client, judged):  # type: ignore[no-untyped-def]
    response = organiser_client.get(download(judged, what="results", format="csv", round=1))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{judged.slug}-results-round-1.csv"'
    nomination = Entry.objects.get(code="E1").nomination.name
    assert b"".join(response.streaming_content).decode() == (
        "\ufeffround,nomination,place,shared,entry_code,entry_title,reviews,mean,median,trimmed,normalised,"
        "rank_mean,rank_median,rank_trimmed,rank_normalised,award,finalised\r\n"
        f"1,{nomination},1,no,E1,Fractions with Wordwall,1,80.00,80.00,80.00,80.00,1,1,1,1,,no\r\n"
    )
