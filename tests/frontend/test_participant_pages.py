from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contest.enums import EntryStatus
from contest.models import CoAuthor, Entry
from tests.factories import TINY_PDF, EntryFactory, PlatformFactory, ProfileFactory, UniversityFactory

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def url(name, entry=None, language="en", **kwargs):
    with translation.override(language):
        if entry is not None:
            kwargs = {"slug": entry.contest.slug, "code": entry.code, **kwargs}
        return reverse(f"frontend:{name}", kwargs=kwargs)


def translated(language, message):
    with translation.override(language):
        return translation.gettext(message)


def test_contest_page_shows_timeline_for_anonymous(client, contest, nomination, platforms):
    response = client.get(url("contest", slug=contest.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert contest.name in body
    assert "Asia/Almaty" in body
    assert 'data-countdown="' + contest.submissions_close.isoformat() in body
    assert "Wordwall" in body and "Canva" in body


def test_contest_page_text_falls_back_to_another_language(client, contest):
    contest.name_kk = ""
    contest.name_ru = "Конкурс платформ"
    contest.name_en = ""
    contest.save()
    response = client.get(url("contest", slug=contest.slug, language="kk"))
    assert "<h1>Конкурс платформ</h1>" in response.content.decode()


def test_home_redirects_by_browser_language(client, contest):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="kk,ru;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_entry_new_with_two_platforms(participant_client, participant, contest, nomination, platforms):
    response = participant_client.post(
        url("entry_new", slug=contest.slug),
        {
            "title": "Fractions game",
            "description": "A quiz",
            "nomination": nomination.pk,
            "platforms": [p.pk for p in platforms],
            "live_url": "https://wordwall.net/resource/1",
            "consent_to_publish": "on",
            "coauthors-TOTAL_FORMS": "1",
            "coauthors-INITIAL_FORMS": "0",
            "coauthors-0-full_name": "Aruzhan Bekova",
        },
    )
    entry = Entry.objects.get(author=participant)
    assert response.status_code == 302
    assert response["Location"] == url("entry_detail", entry)
    assert entry.title == "Fractions game"
    assert entry.status == EntryStatus.DRAFT
    assert entry.consent_to_publish is True
    assert sorted(p.name for p in entry.platforms.all()) == ["Canva", "Wordwall"]
    assert [c.full_name for c in entry.coauthors.all()] == ["Aruzhan Bekova"]


@pytest.mark.parametrize("link", ["ftp://example.org/x", "javascript:alert(1)", "not a link"])
def test_entry_new_refuses_bad_link(participant_client, participant, contest, nomination, platforms, link):
    response = participant_client.post(
        url("entry_new", slug=contest.slug),
        {
            "title": "T",
            "nomination": nomination.pk,
            "platforms": [platforms[0].pk],
            "live_url": link,
            "coauthors-TOTAL_FORMS": "0",
            "coauthors-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert Entry.objects.filter(author=participant).count() == 0


def test_entry_new_without_platform_refused(participant_client, participant, contest, nomination):
    response = participant_client.post(
        url("entry_new", slug=contest.slug),
        {"title": "T", "nomination": nomination.pk, "coauthors-TOTAL_FORMS": "0", "coauthors-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400
    assert "Choose at least one platform." in response.content.decode()
    assert Entry.objects.count() == 0


def test_upload_then_submit(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    pdf = (CORPUS / "pdf" / "unstructured_fake_memo.pdf").read_bytes()
    response = participant_client.post(
        url("entry_upload", entry), {"file": SimpleUploadedFile("memo.PDF", pdf)}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    entry.refresh_from_db()
    assert entry.media.kind == "pdf"
    assert entry.media.size == len(pdf)
    assert entry.media.original.read() == pdf
    assert entry.media.original.name.endswith("/original.pdf")
    response = participant_client.post(url("entry_submit", entry))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_upload_video_from_corpus(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    video = (CORPUS / "videos" / "phpffmpeg_portrait_iphone_rotate90.mov").read_bytes()
    participant_client.post(url("entry_upload", entry), {"file": SimpleUploadedFile("IMG_0001.MOV", video)})
    entry.refresh_from_db()
    assert (entry.media.kind, entry.media.extension) == ("video", "mov")


def test_upload_over_limit_keeps_previous_file(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    contest.max_file_size = 1000
    contest.save()
    response = participant_client.post(
        url("entry_upload", entry, language="ru"),
        {"file": SimpleUploadedFile("big.pdf", TINY_PDF + b"%" * 2000)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith(translated("ru", "The file is %(size)s; this contest accepts files up to %(limit)s.")[:10])
    entry.refresh_from_db()
    assert entry.media == previous


def test_upload_of_text_file_refused(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    response = participant_client.post(
        url("entry_upload", entry), {"file": SimpleUploadedFile("lesson.mp4", b"just some text, renamed")}
    )
    assert response.status_code == 302
    page = participant_client.get(response["Location"]).content.decode()
    assert "neither a video nor a presentation" in page
    entry.refresh_from_db()
    assert entry.media == previous


def test_corpus_files_detected_by_content(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    mislabeled = CORPUS / "presentations" / "unstructured_eng_spa_mult_ooxml_mislabeled.ppt"
    participant_client.post(url("entry_upload", entry), {"file": SimpleUploadedFile("x.ppt", mislabeled.read_bytes())})
    entry.refresh_from_db()
    assert (entry.media.kind, entry.media.extension) == ("presentation", "pptx")


ENTRY_PAGES = [
    ("get", "entry_detail"),
    ("get", "entry_edit"),
    ("post", "entry_edit"),
    ("post", "entry_upload"),
    ("post", "entry_submit"),
    ("post", "entry_withdraw"),
    ("get", "entry_file"),
]


@pytest.mark.parametrize(("method", "name"), ENTRY_PAGES)
@pytest.mark.parametrize("role", ["other_participant", "juror", "organiser"])
def test_entry_pages_refused_to_others(request, method, name, role, contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True, title="Mine")
    client = Client()
    client.force_login(request.getfixturevalue(role))
    data = {"title": "Stolen", "file": SimpleUploadedFile("x.pdf", TINY_PDF)} if method == "post" else {}
    response = getattr(client, method)(url(name, entry), data)
    assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Mine", EntryStatus.DRAFT)
    assert entry.assets.count() == 1


@pytest.mark.parametrize(("method", "name"), ENTRY_PAGES)
def test_entry_pages_send_anonymous_to_login(client, method, name, contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    response = getattr(client, method)(url(name, entry))
    assert response.status_code == 302
    assert response["Location"].startswith(url("home") + "accounts/login/")


def test_my_entries_shows_only_own(participant_client, participant, other_participant, contest):
    EntryFactory(contest=contest, author=participant, title="Mine")
    EntryFactory(contest=contest, author=other_participant, title="Theirs")
    body = participant_client.get(url("my_entries")).content.decode()
    assert "Mine" in body
    assert "Theirs" not in body


def test_my_entries_query_count_does_not_grow(participant_client, participant, contest, django_assert_num_queries):
    """The person, their entries and the entries' platforms, the current contest, the menu's panels; their
    confirmed addresses and the entries they co-authored; whether the contests' results are out."""
    EntryFactory(contest=contest, author=participant, with_media=True)
    with django_assert_num_queries(8):
        body = participant_client.get(url("my_entries")).content.decode()
    assert body.count('<span class="status status-draft">') == 1
    for _ in range(10):
        EntryFactory(contest=contest, author=participant, with_media=True)
    with django_assert_num_queries(8):
        body = participant_client.get(url("my_entries")).content.decode()
    assert body.count('<span class="status status-draft">') == 11


def test_contest_page_query_count_does_not_grow(
    client, participant_client, participant, contest, nomination, platforms, django_assert_num_queries
):
    """The contest with its nominations, platforms and universities, its rubric's criteria and its rounds with
    published results; for a participant also the person, how many entries they have and the menu's panels."""
    EntryFactory(contest=contest, author=participant)
    with django_assert_num_queries(9):
        body = participant_client.get(url("contest", slug=contest.slug)).content.decode()
    assert f'<a href="{url("my_entries")}">My entries (1)</a>' in body
    for _ in range(9):
        EntryFactory(contest=contest, author=participant)
    with django_assert_num_queries(9):
        body = participant_client.get(url("contest", slug=contest.slug)).content.decode()
    assert f'<a href="{url("my_entries")}">My entries (10)</a>' in body
    with django_assert_num_queries(6):
        assert Client().get(url("contest", slug=contest.slug)).status_code == 200


def test_entry_detail_query_count_does_not_grow(participant_client, participant, contest, django_assert_num_queries):
    """The person; the entry with its platforms and co-authors; its newest file and its renditions; the file
    being checked (the upload form of an open contest); the menu's panels; whether the contest's results are out;
    the reader's certificates of the entry."""
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    CoAuthor.objects.create(entry=entry, full_name="Co-author 0", university=UniversityFactory(), order=0)
    with django_assert_num_queries(10):
        body = participant_client.get(url("entry_detail", entry)).content.decode()
    assert "Co-author 0 (" in body
    entry.platforms.add(*(PlatformFactory(contest=contest) for _ in range(5)))
    for order in range(1, 6):
        university = UniversityFactory()
        CoAuthor.objects.create(entry=entry, full_name=f"Co-author {order}", university=university, order=order)
    with django_assert_num_queries(10):
        body = participant_client.get(url("entry_detail", entry)).content.decode()
    assert "Co-author 5 (" in body


def test_entry_without_a_file_asks_for_one_only_while_submissions_are_open(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    ask = translated("kk", "No file yet. Upload your video or presentation.")
    closed = translated("kk", "No file was uploaded before submissions closed.")

    before = participant_client.get(url("entry_detail", entry, language="kk")).content.decode()
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        after = participant_client.get(url("entry_detail", entry, language="kk")).content.decode()

    assert ask in before and closed not in before
    assert closed in after and ask not in after
    assert "data-resumable-upload" in before and "data-resumable-upload" not in after


class TestDeadline:
    """Every change is refused one second after the deadline, and allowed one second before."""

    @pytest.fixture
    def entry(self, contest, participant):
        return EntryFactory(contest=contest, author=participant, with_media=True, title="Before")

    def _post_all(self, client, entry, nomination):
        return {
            "create": client.post(
                url("entry_new", language="ru", slug=entry.contest.slug),
                {
                    "title": "New",
                    "nomination": nomination.pk,
                    "platforms": [entry.platforms.first().pk],
                    "coauthors-TOTAL_FORMS": "0",
                    "coauthors-INITIAL_FORMS": "0",
                },
            ),
            "edit": client.post(
                url("entry_edit", entry, language="ru"),
                {
                    "title": "After",
                    "nomination": entry.nomination.pk,
                    "platforms": [entry.platforms.first().pk],
                    "coauthors-TOTAL_FORMS": "0",
                    "coauthors-INITIAL_FORMS": "0",
                },
            ),
            "upload": client.post(
                url("entry_upload", entry, language="ru"),
                {"file": SimpleUploadedFile("new.pdf", TINY_PDF + b"\n%new")},
                HTTP_ACCEPT="application/json",
            ),
            "submit": client.post(url("entry_submit", entry, language="ru")),
        }

    def test_changes_refused_second_after(self, participant_client, participant, contest, entry):
        previous_media = entry.media
        expected = translated(
            "ru", "The deadline (%(date)s) has passed: entries can no longer be created, changed or submitted."
        )
        assert expected != "The deadline (%(date)s) has passed: entries can no longer be created, changed or submitted."
        prefix = expected.split("%(date)s")[0]
        with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
            responses = self._post_all(participant_client, entry, entry.nomination)
            submit_page = participant_client.get(responses["submit"]["Location"]).content.decode()
        assert responses["create"].status_code == 409
        assert prefix in responses["create"].content.decode()
        assert responses["edit"].status_code == 409
        assert prefix in responses["edit"].content.decode()
        assert responses["upload"].status_code == 409
        assert responses["upload"].json()["error"].startswith(prefix)
        assert prefix in submit_page
        entry.refresh_from_db()
        assert (entry.title, entry.status, entry.media) == ("Before", EntryStatus.DRAFT, previous_media)
        assert Entry.objects.filter(author=participant).count() == 1

    def test_changes_allowed_second_before(self, participant_client, participant, contest, entry):
        with time_machine.travel(contest.submissions_close - timedelta(seconds=1), tick=False):
            responses = self._post_all(participant_client, entry, entry.nomination)
        assert [responses[k].status_code for k in ("create", "edit", "upload", "submit")] == [302, 302, 200, 302]
        entry.refresh_from_db()
        assert (entry.title, entry.status) == ("After", EntryStatus.SUBMITTED)
        assert entry.media.original.read().endswith(b"%new")
        assert Entry.objects.filter(author=participant).count() == 2


def test_profile_saves(participant_client, participant):
    profile = participant.profile
    response = participant_client.post(
        url("profile"),
        {
            "full_name": "Dana Omarova",
            "university": profile.university.pk,
            "programme": "Primary education",
            "country": "KG",
            "preferred_language": "kk",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.full_name, profile.country, profile.preferred_language) == ("Dana Omarova", "KG", "kk")


def test_profile_page_for_user_without_profile(client, db):
    user = ProfileFactory().user
    user.profile.delete()
    client.force_login(user)
    assert client.get(url("profile")).status_code == 200


def test_upload_refused_from_declared_size_before_reading(participant_client, participant, contest):
    """A body announced bigger than the limit is refused without being read, and nothing changes."""
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    contest.max_file_size = 1024 * 1024
    contest.save()
    response = participant_client.post(
        url("entry_upload", entry),
        data=b"never read",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 * 1024 * 1024 + 64 * 1024),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        "The file is 10.0\xa0MB; this contest accepts files up to 1.0\xa0MB. Your current file stays as it was."
    )
    entry.refresh_from_db()
    assert entry.media == previous
