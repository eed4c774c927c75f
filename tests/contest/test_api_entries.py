from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, Entry
from contest.services import entry_disqualify
from tests.factories import (
    TINY_PDF,
    ContestFactory,
    ContestRoleFactory,
    EntryFactory,
    NominationFactory,
    PlatformFactory,
    UniversityFactory,
)


@pytest.fixture
def api(db):  # type: ignore[no-untyped-def]
    """A client that reads English unless a test asks otherwise; log it in with ``force_login``."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def author_api(api, participant):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    return api


@pytest.fixture
def entry(contest, nomination, platforms, participant):  # type: ignore[no-untyped-def]
    return EntryFactory(contest=contest, author=participant, nomination=nomination, platforms=platforms)


def iso(moment):  # type: ignore[no-untyped-def]
    """A moment as the API writes it: ISO 8601 in the server's time zone."""
    return timezone.localtime(moment).isoformat()


def new_entry_payload(contest, nomination, platforms, changes=None):  # type: ignore[no-untyped-def]
    """A valid request body for a new entry, with ``changes`` applied."""
    return {
        "contest": contest.slug,
        "title": "Fractions with Wordwall",
        "description": "A quiz on fractions.",
        "nomination": nomination.pk,
        "platforms": [p.pk for p in platforms],
        "live_url": "https://wordwall.net/resource/1",
        "consent_to_publish": True,
        **(changes or {}),
    }


# Reading ----------------------------------------------------------------------------------------------------------


def test_entry_retrieve_shows_every_field(author_api, contest, nomination, platforms, participant):
    university = UniversityFactory(slug="taraz", name_en="Taraz University")
    entry = EntryFactory(
        contest=contest,
        author=participant,
        nomination=nomination,
        platforms=platforms,
        title="Fractions",
        description="Quiz",
        live_url="https://wordwall.net/resource/1",
        consent_to_publish=True,
        with_media=True,
    )
    CoAuthor.objects.create(entry=entry, full_name="Aigerim Sadykova", email="a@example.org", university=university)
    CoAuthor.objects.create(entry=entry, full_name="Dana Omarova", order=1)
    entry.refresh_from_db()
    response = author_api.get(f"/api/v1/entries/{entry.code}/")
    assert response.status_code == 200
    wordwall, canva = platforms
    assert response.json() == {
        "code": entry.code,
        "contest": contest.slug,
        "title": "Fractions",
        "description": "Quiz",
        "nomination": {"id": nomination.pk, "name": nomination.name_en},
        "platforms": [{"id": canva.pk, "name": "Canva"}, {"id": wordwall.pk, "name": "Wordwall"}],
        "other_platform": "",
        "live_url": "https://wordwall.net/resource/1",
        "consent_to_publish": True,
        "coauthors": [
            {
                "full_name": "Aigerim Sadykova",
                "email": "a@example.org",
                "university": {"id": university.pk, "slug": "taraz", "name": "Taraz University"},
            },
            {"full_name": "Dana Omarova", "email": "", "university": None},
        ],
        "status": "draft",
        "submitted_at": None,
        "disqualified_at": None,
        "disqualification_reason": "",
        "media": {
            "name": "lesson.pdf",
            "kind": "pdf",
            "size": len(TINY_PDF),
            "status": "uploaded",
            "reason": "",
            "reason_code": "",
        },
        "created_at": iso(entry.created_at),
        "updated_at": iso(entry.updated_at),
    }


FFPROBE_STDERR = (
    "ffprobe exited with 1\n/var/lib/baige/work/asset-17-x1y2/original: Invalid data found when processing input"
)


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        (
            "en",
            "The video could not be read: it is damaged, incomplete or in a format we cannot play. "
            "Export it again (MP4 with H.264 works everywhere) and upload it.",
        ),
        (
            "ru",
            "Не удалось прочитать видео: оно повреждено, неполное или в формате, который мы не можем "
            "воспроизвести. Экспортируйте его заново (MP4 с кодеком H.264 работает везде) и загрузите.",
        ),
        (
            "kk",
            "Бейнені оқу мүмкін болмады: ол бүлінген, толық емес немесе біз ойната алмайтын пішімде. "
            "Оны қайта экспорттап (H.264 кодегі бар MP4 кез келген жерде ойнатылады), жүктеңіз.",
        ),
    ],
)
def test_entry_retrieve_gives_the_reason_of_a_failed_file_never_tool_output(author_api, entry, language, reason):
    from media_pipeline.enums import AssetStatus
    from tests.factories import MediaAssetFactory

    asset = MediaAssetFactory(
        entry=entry, status=AssetStatus.FAILED, reason_code="unreadable_video", reason=FFPROBE_STDERR
    )
    Entry.objects.filter(pk=entry.pk).update(media=asset)
    response = author_api.get(f"/api/v1/entries/{entry.code}/", HTTP_ACCEPT_LANGUAGE=language)
    media = response.json()["media"]
    assert (media["status"], media["reason_code"], media["reason"]) == ("failed", "unreadable_video", reason)
    assert "/var/lib" not in response.content.decode() and "ffprobe" not in response.content.decode()


def test_entry_retrieve_gives_a_generic_reason_for_a_failed_file_without_code(author_api, entry):
    from media_pipeline.enums import AssetStatus
    from tests.factories import MediaAssetFactory

    asset = MediaAssetFactory(entry=entry, status=AssetStatus.FAILED, reason_code="", reason=FFPROBE_STDERR)
    Entry.objects.filter(pk=entry.pk).update(media=asset)
    media = author_api.get(f"/api/v1/entries/{entry.code}/").json()["media"]
    assert (media["reason_code"], media["reason"]) == (
        "",
        "The file could not be processed because of an error on our side. We will look into it.",
    )


def test_entry_retrieve_without_media(author_api, entry):
    assert author_api.get(f"/api/v1/entries/{entry.code}/").json()["media"] is None


def test_entry_list_shows_only_own_entries(author_api, entry, other_participant):
    EntryFactory(contest=entry.contest, author=other_participant)
    response = author_api.get("/api/v1/entries/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [e["code"] for e in response.json()["results"]] == [entry.code]


def test_entry_list_filtered_by_contest(author_api, entry, participant):
    elsewhere = EntryFactory(contest=ContestFactory(slug="next-year"), author=participant)
    codes = [e["code"] for e in author_api.get("/api/v1/entries/", {"contest": "next-year"}).json()["results"]]
    assert codes == [elsewhere.code]
    codes = [e["code"] for e in author_api.get("/api/v1/entries/", {"contest": entry.contest.slug}).json()["results"]]
    assert codes == [entry.code]
    assert author_api.get("/api/v1/entries/", {"contest": "nope"}).json()["results"] == []


def test_entry_list_filtered_by_status(author_api, entry, participant):
    submitted = EntryFactory(
        contest=entry.contest, author=participant, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    codes = [e["code"] for e in author_api.get("/api/v1/entries/", {"status": "submitted"}).json()["results"]]
    assert codes == [submitted.code]
    codes = [e["code"] for e in author_api.get("/api/v1/entries/", {"status": "draft"}).json()["results"]]
    assert codes == [entry.code]


def test_entry_list_when_status_unknown(author_api, entry):
    response = author_api.get("/api/v1/entries/", {"status": "won"})
    assert response.status_code == 400
    message = "Select a valid choice. won is not one of the available choices."
    assert response.json() == {"detail": f"status: {message}", "code": "invalid", "errors": {"status": [message]}}


def test_entry_list_query_count_when_many(author_api, contest, nomination, platforms, participant):
    university = UniversityFactory()

    def add_entries(count: int) -> None:
        for _ in range(count):
            entry = EntryFactory(
                contest=contest, author=participant, nomination=nomination, platforms=platforms, with_media=True
            )
            CoAuthor.objects.create(entry=entry, full_name="Aigerim Sadykova", university=university)

    add_entries(1)
    with CaptureQueriesContext(connection) as one:
        assert len(author_api.get("/api/v1/entries/").json()["results"]) == 1
    add_entries(9)
    with CaptureQueriesContext(connection) as ten:
        assert len(author_api.get("/api/v1/entries/").json()["results"]) == 10
    # user (the session is in the cache), count, entries with contest/nomination/media, platforms,
    # co-authors with universities
    assert len(one) == len(ten) == 5


# Creating ---------------------------------------------------------------------------------------------------------


def test_entry_create(author_api, contest, nomination, platforms, participant):
    university = UniversityFactory(slug="taraz")
    contest.universities.add(university)
    coauthors = [
        {"full_name": "Aigerim Sadykova", "email": "a@example.org", "university": "taraz"},
        {"full_name": "Dana Omarova", "university": university.pk},
        {"full_name": "Erlan Nurlanov"},
    ]
    payload = new_entry_payload(contest, nomination, platforms, {"coauthors": coauthors})
    response = author_api.post("/api/v1/entries/", payload, format="json")
    assert response.status_code == 201
    entry = Entry.objects.get()
    body = response.json()
    assert body["code"] == entry.code
    assert (body["contest"], body["title"], body["status"], body["media"]) == (
        contest.slug,
        "Fractions with Wordwall",
        "draft",
        None,
    )
    assert [c["full_name"] for c in body["coauthors"]] == ["Aigerim Sadykova", "Dana Omarova", "Erlan Nurlanov"]
    assert (entry.author, entry.nomination, entry.live_url, entry.consent_to_publish) == (
        participant,
        nomination,
        "https://wordwall.net/resource/1",
        True,
    )
    assert sorted(entry.platforms.values_list("pk", flat=True)) == sorted(p.pk for p in platforms)
    assert list(entry.coauthors.values_list("full_name", "email", "university")) == [
        ("Aigerim Sadykova", "a@example.org", university.pk),
        ("Dana Omarova", "", university.pk),
        ("Erlan Nurlanov", "", None),
    ]


def test_entry_create_with_other_platform(author_api, contest, nomination):
    other = PlatformFactory(contest=contest, is_other=True)
    payload = new_entry_payload(contest, nomination, [other], {"other_platform": "  Quizizz "})
    response = author_api.post("/api/v1/entries/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["other_platform"] == "Quizizz"


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"platforms": []}, {"platforms": ["This list may not be empty."]}),
        ({"title": ""}, {"title": ["This field may not be blank."]}),
        (
            {"live_url": "ftp://example.org/lesson"},
            {"live_url": ["Enter a link that starts with http:// or https://."]},
        ),
        ({"live_url": "javascript:alert(1)"}, {"live_url": ["Enter a link that starts with http:// or https://."]}),
        ({"contest": "nope"}, {"contest": ["Object with slug=nope does not exist."]}),
        (
            {"coauthors": [{"full_name": "A", "university": "nowhere"}]},
            {"coauthors.0.university": ["Unknown university: nowhere."]},
        ),
        ({"coauthors": [{"email": "a@example.org"}]}, {"coauthors.0.full_name": ["This field is required."]}),
    ],
)
def test_entry_create_when_input_malformed(author_api, contest, nomination, platforms, changes, errors):
    response = author_api.post(
        "/api/v1/entries/", new_entry_payload(contest, nomination, platforms, changes), format="json"
    )
    assert response.status_code == 400
    [(field, [message])] = errors.items()
    assert response.json() == {"detail": f"{field}: {message}", "code": "invalid", "errors": errors}
    assert Entry.objects.count() == 0


def test_entry_create_when_choices_of_another_contest(author_api, contest, nomination, platforms):
    foreign_nomination = NominationFactory()
    foreign_platform = PlatformFactory()
    changes = {"nomination": foreign_nomination.pk, "platforms": [platforms[0].pk, foreign_platform.pk]}
    payload = new_entry_payload(contest, nomination, platforms, changes)
    response = author_api.post("/api/v1/entries/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "nomination: This nomination belongs to another contest. "
        "platforms: This platform belongs to another contest.",
        "code": "invalid",
        "errors": {
            "nomination": ["This nomination belongs to another contest."],
            "platforms": ["This platform belongs to another contest."],
        },
    }
    assert Entry.objects.count() == 0


def test_entry_create_when_other_platform_unnamed(author_api, contest, nomination):
    other = PlatformFactory(contest=contest, is_other=True)
    response = author_api.post("/api/v1/entries/", new_entry_payload(contest, nomination, [other]), format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Name the other platform you used.", "code": "invalid"}
    assert Entry.objects.count() == 0


def test_entry_create_second_after_deadline(author_api, contest, nomination, platforms):
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = author_api.post("/api/v1/entries/", new_entry_payload(contest, nomination, platforms), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "submissions_closed"
    assert Entry.objects.count() == 0


def test_entry_create_when_form_encoded(author_api, contest, nomination, platforms):
    response = author_api.post("/api/v1/entries/", new_entry_payload(contest, nomination, platforms))
    assert response.status_code == 415
    assert Entry.objects.count() == 0


def test_entry_create_anonymous_refused(api, contest, nomination, platforms):
    response = api.post("/api/v1/entries/", new_entry_payload(contest, nomination, platforms), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
    assert Entry.objects.count() == 0


# Changing ---------------------------------------------------------------------------------------------------------


def test_entry_partial_update(author_api, entry):
    response = author_api.patch(f"/api/v1/entries/{entry.code}/", {"title": "Fractions, revised"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Fractions, revised"
    entry.refresh_from_db()
    assert (entry.title, entry.description) == ("Fractions, revised", "A lesson built with an interactive quiz.")
    assert entry.platforms.count() == 2


def test_entry_update_replaces_lists(author_api, entry, contest, platforms):
    entry.coauthors.create(full_name="Old co-author")
    other = PlatformFactory(contest=contest, is_other=True, name_en="Other")
    nomination = NominationFactory(contest=contest)
    payload = {
        "title": "New title",
        "nomination": nomination.pk,
        "platforms": [platforms[0].pk, other.pk],
        "other_platform": "Quizizz",
        "coauthors": [{"full_name": "Aigerim Sadykova"}],
    }
    response = author_api.put(f"/api/v1/entries/{entry.code}/", payload, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.title, entry.nomination, entry.other_platform) == ("New title", nomination, "Quizizz")
    assert sorted(entry.platforms.values_list("pk", flat=True)) == sorted([platforms[0].pk, other.pk])
    assert list(entry.coauthors.values_list("full_name", flat=True)) == ["Aigerim Sadykova"]
    # Leaving the "other" platform drops its name.
    response = author_api.patch(f"/api/v1/entries/{entry.code}/", {"platforms": [platforms[0].pk]}, format="json")
    assert response.json()["other_platform"] == ""


def test_entry_update_when_full_update_incomplete(author_api, entry):
    response = author_api.put(f"/api/v1/entries/{entry.code}/", {"title": "Only a title"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "nomination: This field is required. platforms: This field is required.",
        "code": "invalid",
        "errors": {"nomination": ["This field is required."], "platforms": ["This field is required."]},
    }
    entry.refresh_from_db()
    assert entry.title != "Only a title"


def test_entry_update_when_platform_of_another_contest(author_api, entry):
    foreign = PlatformFactory()
    response = author_api.patch(f"/api/v1/entries/{entry.code}/", {"platforms": [foreign.pk]}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "platforms: This platform belongs to another contest.",
        "code": "invalid",
        "errors": {"platforms": ["This platform belongs to another contest."]},
    }
    assert entry.platforms.count() == 2


def test_entry_update_of_submitted_entry(author_api, entry):
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.SUBMITTED, submitted_at=timezone.now())
    response = author_api.patch(f"/api/v1/entries/{entry.code}/", {"description": "Better"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["description"]) == ("submitted", "Better")


def test_entry_delete_not_offered(author_api, entry):
    response = author_api.delete(f"/api/v1/entries/{entry.code}/")
    assert response.status_code == 405
    assert Entry.objects.filter(pk=entry.pk).exists()


# Submitting and withdrawing ---------------------------------------------------------------------------------------


def test_entry_submit(author_api, contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    moment = contest.submissions_close - timedelta(seconds=1)
    with time_machine.travel(moment, tick=False):
        response = author_api.post(f"/api/v1/entries/{entry.code}/submit/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["submitted_at"]) == ("submitted", iso(moment))
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (EntryStatus.SUBMITTED, moment)


def test_entry_submit_without_file(author_api, entry):
    response = author_api.post(f"/api/v1/entries/{entry.code}/submit/")
    assert response.status_code == 400
    assert response.json() == {"detail": "Upload the video or presentation before submitting.", "code": "invalid"}
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_entry_withdraw(author_api, contest, participant):
    entry = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    response = author_api.post(f"/api/v1/entries/{entry.code}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def test_entry_withdraw_of_draft(author_api, entry):
    response = author_api.post(f"/api/v1/entries/{entry.code}/withdraw/")
    assert response.status_code == 400
    assert response.json() == {"detail": "Only a submitted entry can be withdrawn.", "code": "invalid"}
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


# Codes are unique per contest only ----------------------------------------------------------------------------------


def test_entry_retrieve_when_code_in_two_contests(author_api, entry, participant):
    twin = EntryFactory(contest=ContestFactory(slug="next-year"), author=participant)
    Entry.objects.filter(pk=twin.pk).update(code=entry.code)
    response = author_api.get(f"/api/v1/entries/{entry.code}/")
    assert response.status_code == 400
    message = "You have entries with this code in several contests: add ?contest=<slug>."
    assert response.json() == {"detail": f"contest: {message}", "code": "invalid", "errors": {"contest": [message]}}
    response = author_api.get(f"/api/v1/entries/{entry.code}/", {"contest": "next-year"})
    assert (response.status_code, response.json()["title"]) == (200, twin.title)
    response = author_api.patch(
        f"/api/v1/entries/{entry.code}/?contest={entry.contest.slug}", {"title": "This one"}, format="json"
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    twin.refresh_from_db()
    assert (entry.title, twin.title != "This one") == ("This one", True)


def test_entry_retrieve_when_code_unknown(author_api, entry):
    response = author_api.get("/api/v1/entries/ZZZZZZ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_disqualified_entry_shows_its_state_and_reason_to_its_author(author_api, contest, participant):
    entry = EntryFactory(contest=contest, author=participant, status=EntryStatus.SUBMITTED, submitted_at=timezone.now())
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    entry_disqualify(actor=organiser, entry=entry, reason="Not the author's own work.")
    entry.refresh_from_db()
    body = author_api.get(f"/api/v1/entries/{entry.code}/").json()
    assert (body["status"], body["disqualified_at"], body["disqualification_reason"]) == (
        "submitted",
        iso(entry.disqualified_at),
        "Not the author's own work.",
    )
