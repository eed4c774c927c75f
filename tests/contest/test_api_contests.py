from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ContestFactory, NominationFactory, PlatformFactory


@pytest.fixture
def api(db):  # type: ignore[no-untyped-def]
    """An anonymous client that reads English unless a test asks otherwise."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def iso(moment):  # type: ignore[no-untyped-def]
    """A moment as the API writes it: ISO 8601 in the server's time zone."""
    return timezone.localtime(moment).isoformat()


@pytest.fixture
def trilingual_contest(db):  # type: ignore[no-untyped-def]
    return ContestFactory(
        slug="digital-platform-2025",
        name_kk="Ең тиімді цифрлық білім беру платформасы",
        name_ru="Самая эффективная цифровая образовательная платформа",
        name_en="The Most Effective Digital Educational Platform",
        description_kk="Сипаттама",
        description_ru="Описание",
        description_en="Description",
        rules_kk="Ережелер",
        rules_ru="Правила",
        rules_en="Rules",
        timezone="Asia/Almaty",
        max_file_size=1024,
        max_video_duration=600,
        max_pages=50,
    )


def test_contest_list_anonymous_sees_every_field(api, trilingual_contest):
    response = api.get("/api/v1/contests/")
    assert response.status_code == 200
    contest = trilingual_contest
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "slug": "digital-platform-2025",
                "name": "The Most Effective Digital Educational Platform",
                "description": "Description",
                "rules": "Rules",
                "timezone": "Asia/Almaty",
                "submissions_open": iso(contest.submissions_open),
                "submissions_close": iso(contest.submissions_close),
                "results_publish_at": None,
                "submission_window": "open",
                "limits": {"max_file_size": 1024, "max_video_duration": 600, "max_pages": 50},
                "translations": {
                    "kk": {
                        "name": "Ең тиімді цифрлық білім беру платформасы",
                        "description": "Сипаттама",
                        "rules": "Ережелер",
                    },
                    "ru": {
                        "name": "Самая эффективная цифровая образовательная платформа",
                        "description": "Описание",
                        "rules": "Правила",
                    },
                    "en": {
                        "name": "The Most Effective Digital Educational Platform",
                        "description": "Description",
                        "rules": "Rules",
                    },
                },
            }
        ],
    }


@pytest.mark.parametrize(
    ("accept_language", "name", "rules"),
    [
        ("kk", "Ең тиімді цифрлық білім беру платформасы", "Ережелер"),
        ("ru-RU,ru;q=0.9", "Самая эффективная цифровая образовательная платформа", "Правила"),
        ("en-GB,en;q=0.8", "The Most Effective Digital Educational Platform", "Rules"),
    ],
)
def test_contest_retrieve_when_language_negotiated(api, trilingual_contest, accept_language, name, rules):
    response = api.get("/api/v1/contests/digital-platform-2025/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    assert response["Content-Language"] == accept_language[:2]
    assert (response.json()["name"], response.json()["rules"]) == (name, rules)


def test_contest_retrieve_when_text_missing_in_language(api, trilingual_contest):
    trilingual_contest.name_kk = ""
    trilingual_contest.save(update_fields=["name_kk"])
    body = api.get("/api/v1/contests/digital-platform-2025/", HTTP_ACCEPT_LANGUAGE="kk").json()
    # Kazakh falls back to Russian; the translations object keeps what was really written.
    assert body["name"] == "Самая эффективная цифровая образовательная платформа"
    assert body["translations"]["kk"]["name"] == ""


@pytest.mark.parametrize(
    ("opens_in_days", "closes_in_days", "window"),
    [(1, 5, "upcoming"), (-1, 5, "open"), (-5, -1, "closed")],
)
def test_contest_retrieve_submission_window(api, opens_in_days, closes_in_days, window):
    now = timezone.now()
    ContestFactory(
        slug="c",
        submissions_open=now + timedelta(days=opens_in_days),
        submissions_close=now + timedelta(days=closes_in_days),
    )
    assert api.get("/api/v1/contests/c/").json()["submission_window"] == window


def test_contest_retrieve_when_unknown_slug(api):
    response = api.get("/api/v1/contests/nope/")
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_contest_write_refused(api, participant, trilingual_contest, method):
    api.force_login(participant)
    url = "/api/v1/contests/" if method == "post" else "/api/v1/contests/digital-platform-2025/"
    response = getattr(api, method)(url, {"slug": "x", "name": "Taken"}, format="json")
    assert response.status_code == 405
    trilingual_contest.refresh_from_db()
    assert (trilingual_contest.slug, trilingual_contest.name_en) == (
        "digital-platform-2025",
        "The Most Effective Digital Educational Platform",
    )


def test_contest_list_query_count_when_many(api):
    ContestFactory()
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/v1/contests/").json()["results"]) == 1
    ContestFactory.create_batch(9)
    with CaptureQueriesContext(connection) as ten:
        assert len(api.get("/api/v1/contests/").json()["results"]) == 10
    assert len(one) == len(ten) == 2  # count + page


def test_nominations_of_contest(api, trilingual_contest):
    second = NominationFactory(contest=trilingual_contest, slug="ai", name_en="AI tools", name_ru="ИИ", order=2)
    first = NominationFactory(
        contest=trilingual_contest, slug="games", name_en="Games", name_ru="Игры", description_en="Quizzes", order=1
    )
    NominationFactory(slug="elsewhere")
    response = api.get("/api/v1/contests/digital-platform-2025/nominations/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response.json() == [
        {"id": first.pk, "slug": "games", "name": "Игры", "description": "Quizzes"},
        {"id": second.pk, "slug": "ai", "name": "ИИ", "description": ""},
    ]


def test_platforms_of_contest(api, trilingual_contest):
    other = PlatformFactory(contest=trilingual_contest, slug="other", name_en="Other", is_other=True, order=0)
    wordwall = PlatformFactory(contest=trilingual_contest, slug="wordwall", name_en="Wordwall", order=1)
    canva = PlatformFactory(contest=trilingual_contest, slug="canva", name_en="Canva", order=1)
    PlatformFactory(slug="elsewhere")
    response = api.get("/api/v1/contests/digital-platform-2025/platforms/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": canva.pk, "slug": "canva", "name": "Canva", "is_other": False},
        {"id": wordwall.pk, "slug": "wordwall", "name": "Wordwall", "is_other": False},
        {"id": other.pk, "slug": "other", "name": "Other", "is_other": True},
    ]


@pytest.mark.parametrize("part", ["nominations", "platforms"])
def test_contest_parts_when_unknown_contest(api, part):
    assert api.get(f"/api/v1/contests/nope/{part}/").status_code == 404
