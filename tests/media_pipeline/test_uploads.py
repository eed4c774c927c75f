"""Resumable uploads to Baige's own disk: the API Uppy's S3 plugin talks to, with local storage."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from config.exceptions import DeadlinePassed
from contest.services import contest_ensure_accepting
from media_pipeline import upload_parts, uploads
from media_pipeline.enums import AssetStatus, UploadBackend, UploadStatus
from media_pipeline.models import MediaAsset, UploadSession
from tests.factories import EntryFactory

CORPUS_VIDEO = (
    Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "videos" / "phpffmpeg_test_theora_vorbis.ogv"
)
PART = 512 * 1024
REFUSED_ROLES = [("anonymous", 403), ("other_participant", 404), ("juror", 404)]


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Parts are kept under the test's own data folder."""
    settings.DATA_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _small_parts(monkeypatch):  # type: ignore[no-untyped-def]
    """Baige's disk takes parts of any size: half a MiB makes the corpus video a four-part upload."""
    monkeypatch.setattr(uploads, "PART_SIZE", PART)


@pytest.fixture
def api(db):  # type: ignore[no-untyped-def]
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def author_api(api, participant):  # type: ignore[no-untyped-def]
    api.force_login(participant)
    return api


@pytest.fixture
def entry(contest, participant):  # type: ignore[no-untyped-def]
    """An entry that already has a file: a refused upload must leave it in place."""
    return EntryFactory(contest=contest, author=participant, with_media=True)


@pytest.fixture
def video() -> bytes:
    return CORPUS_VIDEO.read_bytes()


def client_as(request, role):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    user = request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    return client


def create(client, entry, size, filename="lesson.ogv"):  # type: ignore[no-untyped-def]
    body = {"contest": entry.contest.slug, "entry": entry.code, "filename": filename, "size": size}
    return client.post(reverse("uploads_api:create"), body, format="json")


def start(client, entry, data, filename="lesson.ogv"):  # type: ignore[no-untyped-def]
    response = create(client, entry, len(data), filename)
    assert response.status_code == 201, response.content
    return UploadSession.objects.get(uuid=response.json()["uploadId"])


def sign(client, upload, number):  # type: ignore[no-untyped-def]
    return client.get(reverse("uploads_api:sign", kwargs={"upload_id": upload.uuid, "part_number": number}))


def put(client, url, chunk):  # type: ignore[no-untyped-def]
    return client.put(url, data=chunk, content_type="application/octet-stream")


def chunks(data: bytes, size: int = PART) -> list[bytes]:
    return [data[offset : offset + size] for offset in range(0, len(data), size)]


def send(client, upload, data, numbers):  # type: ignore[no-untyped-def]
    """Send the parts ``numbers`` of ``data`` the way Uppy does: ask for a URL, PUT the bytes there."""
    etags = {}
    pieces = chunks(data)
    for number in numbers:
        signed = sign(client, upload, number)
        assert signed.status_code == 200, signed.content
        response = put(client, signed.json()["url"], pieces[number - 1])
        assert response.status_code == 200, response.content
        etags[number] = response["ETag"].strip('"')
    return etags


def list_parts(client, upload):  # type: ignore[no-untyped-def]
    return client.get(reverse("uploads_api:upload", kwargs={"upload_id": upload.uuid}), {"key": upload.key})


def complete(client, upload, parts=None):  # type: ignore[no-untyped-def]
    body = {} if parts is None else {"parts": [{"PartNumber": n, "ETag": etag} for n, etag in sorted(parts.items())]}
    url = reverse("uploads_api:complete", kwargs={"upload_id": upload.uuid})
    return client.post(f"{url}?key={upload.key}", body, format="json")


def abort(client, upload):  # type: ignore[no-untyped-def]
    return client.delete(reverse("uploads_api:upload", kwargs={"upload_id": upload.uuid}))


def part_files(upload: UploadSession) -> list[str]:
    folder = upload_parts.LocalParts.folder(upload)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


# Create --------------------------------------------------------------------------------------------------------------


def test_upload_create(author_api, entry, video):
    response = create(author_api, entry, len(video), "C:\\Users\\Аружан\\Бөлшектер сабағы.ogv")
    assert response.status_code == 201
    upload = UploadSession.objects.get()
    assert response.json() == {
        "uploadId": str(upload.uuid),
        "key": f"entries/{entry.contest.slug}/{entry.code}/{upload.uuid}/original.upload",
        "backend": "local",
        "partSize": PART,
        "size": len(video),
        "filename": "Бөлшектер сабағы.ogv",
    }
    assert (upload.entry, upload.user, upload.status, upload.backend) == (
        entry,
        entry.author,
        UploadStatus.OPEN,
        UploadBackend.LOCAL,
    )
    assert upload_parts.LocalParts.folder(upload).is_dir()


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_create_refused(request, entry, role, status):
    response = create(client_as(request, role), entry, 1000)
    assert response.status_code == status
    assert UploadSession.objects.count() == 0


def test_upload_create_second_before_deadline(author_api, entry):
    with time_machine.travel(entry.contest.submissions_close - timedelta(seconds=1), tick=False):
        response = create(author_api, entry, 1000)
    assert response.status_code == 201


def test_upload_create_second_after_deadline(author_api, entry):
    with time_machine.travel(entry.contest.submissions_close + timedelta(seconds=1), tick=False):
        response = create(author_api, entry, 1000)
    assert response.status_code == 409
    assert response.json()["code"] == "submissions_closed"
    assert UploadSession.objects.count() == 0


def test_upload_create_over_size_limit(author_api, entry):
    contest = entry.contest
    contest.max_file_size = 1_000_000
    contest.save(update_fields=["max_file_size"])
    response = create(author_api, entry, 1_000_001)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The file is {filesizeformat(1_000_001)}; this contest accepts files up to "
        f"{filesizeformat(1_000_000)}.",
        "code": "file_refused",
    }
    assert UploadSession.objects.count() == 0
    assert create(author_api, entry, 1_000_000).status_code == 201


def test_upload_create_when_size_missing(author_api, entry):
    response = author_api.post(
        reverse("uploads_api:create"), {"contest": entry.contest.slug, "entry": entry.code}, format="json"
    )
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["filename", "size"]


def test_upload_create_cancels_the_entry_s_open_upload(author_api, entry, video):
    first = start(author_api, entry, video)
    send(author_api, first, video, [1])
    second = start(author_api, entry, video)
    first.refresh_from_db()
    assert (first.status, second.status) == (UploadStatus.ABORTED, UploadStatus.OPEN)
    assert part_files(first) == []
    response = list_parts(author_api, first)
    assert response.status_code == 409
    assert response.json()["code"] == "upload_closed"


# Sign a part ---------------------------------------------------------------------------------------------------------


def test_upload_sign_part(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    response = sign(author_api, upload, 3)
    assert response.status_code == 200
    body = response.json()
    signature = upload_parts.upload_part_signature(upload, 3)
    assert body == {
        "url": f"http://testserver/api/v1/uploads/{upload.uuid}/parts/3/?signature={signature.replace(':', '%3A')}",
        "expires": upload_parts.PART_URL_SECONDS,
    }


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_sign_part_refused(request, author_api, entry, role, status):
    upload = start(author_api, entry, b"x" * 1000)
    assert sign(client_as(request, role), upload, 1).status_code == status


@pytest.mark.parametrize("number", [0, uploads.MAX_PARTS + 1])
def test_upload_sign_part_when_number_out_of_range(author_api, entry, number):
    upload = start(author_api, entry, b"x" * 1000)
    response = sign(author_api, upload, number)
    assert response.status_code == 400
    assert response.json() == {"detail": "Part numbers go from 1 to 10000.", "code": "invalid_part"}


def test_upload_sign_part_after_deadline(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    with time_machine.travel(entry.contest.submissions_close + timedelta(seconds=1), tick=False):
        response = sign(author_api, upload, 1)
    assert response.status_code == 409
    assert response.json()["code"] == "submissions_closed"


# Send a part ---------------------------------------------------------------------------------------------------------


def test_upload_part_streams_to_disk(author_api, entry, video, settings):
    # Far below the part's size: reading the body whole would be refused.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    upload = start(author_api, entry, video)
    piece = chunks(video)[1]
    response = put(author_api, sign(author_api, upload, 2).json()["url"], piece)
    assert response.status_code == 200
    assert response["ETag"] == f'"{md5(piece)}"'
    assert response.json() == {"PartNumber": 2, "ETag": md5(piece), "Size": len(piece)}
    folder = upload_parts.LocalParts.folder(upload)
    assert part_files(upload) == ["part-00002", "part-00002.md5"]
    assert (folder / "part-00002").read_bytes() == piece


def test_upload_part_sent_again_replaces_it(author_api, entry, video):
    upload = start(author_api, entry, video)
    url = sign(author_api, upload, 1).json()["url"]
    put(author_api, url, b"broken")
    response = put(author_api, url, chunks(video)[0])
    assert response.status_code == 200
    assert list_parts(author_api, upload).json() == [{"PartNumber": 1, "ETag": md5(chunks(video)[0]), "Size": PART}]


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_part_refused(request, author_api, entry, role, status):
    upload = start(author_api, entry, b"x" * 1000)
    url = sign(author_api, upload, 1).json()["url"]
    assert put(client_as(request, role), url, b"x" * 1000).status_code == status
    assert part_files(upload) == []


@pytest.mark.parametrize(
    ("query", "status"), [("", 403), ("?signature=forged", 403), ("?signature=OTHER", 403)], ids=str
)
def test_upload_part_when_signature_wrong(author_api, entry, query, status):
    upload = start(author_api, entry, b"x" * 1000)
    if query == "?signature=OTHER":
        query = f"?signature={upload_parts.upload_part_signature(upload, 2)}"  # signed for another part
    url = reverse("uploads_api:part", kwargs={"upload_id": upload.uuid, "part_number": 1}) + query
    response = put(author_api, url, b"x" * 1000)
    assert response.status_code == status
    assert response.json() == {"detail": "This upload link is not valid for this part.", "code": "not_allowed"}
    assert part_files(upload) == []


def test_upload_part_when_link_expired(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    url = sign(author_api, upload, 1).json()["url"]
    with time_machine.travel(timedelta(seconds=upload_parts.PART_URL_SECONDS + 1)):
        response = put(author_api, url, b"x" * 1000)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This upload link has expired. The upload will ask for a new one.",
        "code": "not_allowed",
    }


def test_upload_part_larger_than_announced(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 600, [1])
    response = put(author_api, sign(author_api, upload, 2).json()["url"], b"y" * 401)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The parts sent are larger than the file announced (1000\xa0bytes). Upload the file again.",
        "code": "file_refused",
    }
    assert part_files(upload) == ["part-00001", "part-00001.md5"]


def test_upload_part_when_others_in_flight_take_what_is_left(author_api, entry):
    from media_pipeline.models import UploadReservation

    upload = start(author_api, entry, b"x" * 1000)
    UploadReservation.objects.create(upload=upload, part_number=1, size=700)
    response = put(author_api, sign(author_api, upload, 2).json()["url"], b"y" * 301)
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Other parts of this file are being received. This part will be sent again in a moment.",
        "code": "parts_in_flight",
    }
    assert part_files(upload) == []
    # What is left is taken; the reservation of the part received is gone once it is stored.
    assert put(author_api, sign(author_api, upload, 2).json()["url"], b"y" * 300).status_code == 200
    assert list(UploadReservation.objects.filter(upload=upload).values_list("part_number", "size")) == [(1, 700)]


def test_upload_part_when_a_part_was_cut_off_long_ago_counts_it_no_more(author_api, entry):
    from media_pipeline.models import UploadReservation

    upload = start(author_api, entry, b"x" * 1000)
    stale = UploadReservation.objects.create(upload=upload, part_number=1, size=1000)
    UploadReservation.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - uploads.RESERVATION_STALE_AFTER - timedelta(seconds=1)
    )
    assert put(author_api, sign(author_api, upload, 1).json()["url"], b"x" * 1000).status_code == 200
    assert UploadReservation.objects.filter(upload=upload).count() == 0


def test_upload_complete_while_a_part_is_received(author_api, entry):
    from media_pipeline.models import UploadReservation

    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 1000, [1])
    UploadReservation.objects.create(upload=upload, part_number=1, size=1000)
    response = complete(author_api, upload)
    assert (response.status_code, response.json()) == (
        429,
        {
            "detail": "Parts of this file are still being received. The upload will finish in a moment.",
            "code": "parts_in_flight",
        },
    )
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN


def test_upload_part_without_body(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    response = put(author_api, sign(author_api, upload, 1).json()["url"], b"")
    assert response.status_code == 400
    assert response.json()["detail"] == "This part of the file is empty."


# List parts ----------------------------------------------------------------------------------------------------------


def test_upload_list_parts(author_api, entry, video):
    upload = start(author_api, entry, video)
    assert list_parts(author_api, upload).json() == []
    pieces = chunks(video)
    send(author_api, upload, video, [2, 1])
    assert list_parts(author_api, upload).json() == [
        {"PartNumber": 1, "ETag": md5(pieces[0]), "Size": PART},
        {"PartNumber": 2, "ETag": md5(pieces[1]), "Size": PART},
    ]


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_list_parts_refused(request, author_api, entry, role, status):
    upload = start(author_api, entry, b"x" * 1000)
    assert list_parts(client_as(request, role), upload).status_code == status


# Resume --------------------------------------------------------------------------------------------------------------


def test_upload_interrupted_halfway_resumes_where_it_stopped(api, participant, entry, video):
    """The connection breaks after two parts; a new page (a new client) carries on from the third."""
    pieces = chunks(video)
    assert len(pieces) == 4
    first = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(participant)
    upload = start(first, entry, video, "Бөлшектер.ogv")
    send(first, upload, video, [1, 2])

    later = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    later.force_login(participant)
    received = list_parts(later, upload).json()
    assert received == [
        {"PartNumber": 1, "ETag": md5(pieces[0]), "Size": PART},
        {"PartNumber": 2, "ETag": md5(pieces[1]), "Size": PART},
    ]
    etags = {part["PartNumber"]: part["ETag"] for part in received}
    etags.update(send(later, upload, video, [3, 4]))
    response = complete(later, upload, etags)

    assert response.status_code == 200
    asset = MediaAsset.objects.get(uuid=upload.uuid)
    with default_storage.open(asset.original.name, "rb") as stored:
        assert stored.read() == video
    assert response.json() == {
        "location": f"http://testserver/api/v1/entries/{entry.code}/?contest={entry.contest.slug}",
        "key": upload.key,
        "asset": str(asset.uuid),
        "status": "queued",
    }


# Complete ------------------------------------------------------------------------------------------------------------


def test_upload_complete(author_api, entry, video, django_capture_on_commit_callbacks):
    previous = entry.media
    upload = start(author_api, entry, video, "Бөлшектер.ogv")
    etags = send(author_api, upload, video, [1, 2, 3, 4])
    with django_capture_on_commit_callbacks() as queued:
        response = complete(author_api, upload, etags)
    assert response.status_code == 200
    asset = MediaAsset.objects.get(uuid=upload.uuid)
    assert asset.original.name == upload.key
    assert (asset.entry, asset.original_name, asset.size, asset.status, asset.uploaded_by, asset.sha256) == (
        entry,
        "Бөлшектер.ogv",
        len(video),
        AssetStatus.QUEUED,
        entry.author,
        "",
    )
    assert len(queued) == 1  # the pipeline's task, sent once the transaction commits
    upload.refresh_from_db()
    assert (upload.status, upload.asset) == (UploadStatus.COMPLETED, asset)
    entry.refresh_from_db()
    assert entry.media == previous  # the pipeline switches it once the new file is checked
    assert not upload_parts.LocalParts.folder(upload).exists()


def test_upload_complete_without_parts_list(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 1000, [1])
    assert complete(author_api, upload).status_code == 200
    assert MediaAsset.objects.get(uuid=upload.uuid).size == 1000


def test_upload_complete_twice_answers_the_same_file(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 1000, [1])
    first = complete(author_api, upload, etags)
    again = complete(author_api, upload, etags)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json()
    assert MediaAsset.objects.filter(entry=entry).count() == 2  # the previous file and the new one


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_complete_refused(request, author_api, entry, role, status):
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 1000, [1])
    assert complete(client_as(request, role), upload, etags).status_code == status
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0


def test_upload_complete_second_before_deadline(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 1000, [1])
    with time_machine.travel(entry.contest.submissions_close - timedelta(seconds=1), tick=False):
        response = complete(author_api, upload, etags)
    assert response.status_code == 200


def test_upload_complete_second_after_deadline_changes_nothing(author_api, entry):
    previous = entry.media
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 1000, [1])
    moment = entry.contest.submissions_close + timedelta(seconds=1)
    with translation.override("ru"):
        try:
            contest_ensure_accepting(entry.contest, now=moment)
        except DeadlinePassed as closed:
            expected = str(closed)
    author_api.credentials(HTTP_ACCEPT_LANGUAGE="ru")
    with time_machine.travel(moment, tick=False):
        response = complete(author_api, upload, etags)
    assert response.status_code == 409
    assert response.json() == {"detail": expected, "code": "submissions_closed"}
    assert expected.startswith("Срок")  # the participant's language, not English
    upload.refresh_from_db()
    entry.refresh_from_db()
    assert (upload.status, entry.media) == (UploadStatus.OPEN, previous)
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0
    assert part_files(upload) == ["part-00001", "part-00001.md5"]


def test_upload_complete_when_size_differs_keeps_nothing(author_api, entry):
    previous = entry.media
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 600, [1])
    response = complete(author_api, upload, etags)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The file received is 600\xa0bytes but 1000\xa0bytes were announced. Upload the file again.",
        "code": "size_mismatch",
    }
    upload.refresh_from_db()
    entry.refresh_from_db()
    assert (upload.status, entry.media) == (UploadStatus.ABORTED, previous)
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0
    assert not upload_parts.LocalParts.folder(upload).exists()
    assert not default_storage.exists(upload.key)
    assert complete(author_api, upload, etags).status_code == 409


def test_upload_complete_when_contest_limit_lowered_meanwhile(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    etags = send(author_api, upload, b"x" * 1000, [1])
    entry.contest.max_file_size = 999
    entry.contest.save(update_fields=["max_file_size"])
    response = complete(author_api, upload, etags)
    assert response.status_code == 400
    assert response.json()["code"] == "file_refused"
    assert not default_storage.exists(upload.key)


def test_upload_complete_when_a_part_is_missing(author_api, entry, video):
    upload = start(author_api, entry, video)
    etags = send(author_api, upload, video, [1, 2, 4])
    response = complete(author_api, upload, etags)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some parts of the file are missing. Continue the upload.",
        "code": "upload_incomplete",
    }
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN
    assert len(part_files(upload)) == 6


def test_upload_complete_when_parts_differ_from_parts_sent(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 1000, [1])
    response = complete(author_api, upload, {1: md5(b"something else")})
    assert response.status_code == 400
    assert response.json()["code"] == "upload_incomplete"
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN


# Abort ---------------------------------------------------------------------------------------------------------------


def test_upload_abort(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 1000, [1])
    assert abort(author_api, upload).status_code == 204
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ABORTED
    assert not upload_parts.LocalParts.folder(upload).exists()
    assert abort(author_api, upload).status_code == 204


@pytest.mark.parametrize(("role", "status"), REFUSED_ROLES)
def test_upload_abort_refused(request, author_api, entry, role, status):
    upload = start(author_api, entry, b"x" * 1000)
    send(author_api, upload, b"x" * 1000, [1])
    assert abort(client_as(request, role), upload).status_code == status
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN
    assert part_files(upload) == ["part-00001", "part-00001.md5"]


def test_upload_abort_when_completed(author_api, entry):
    upload = start(author_api, entry, b"x" * 1000)
    complete(author_api, upload, send(author_api, upload, b"x" * 1000, [1]))
    response = abort(author_api, upload)
    assert response.status_code == 409
    assert response.json() == {"detail": "This upload is already complete.", "code": "upload_completed"}
    assert default_storage.exists(upload.key)


# CSRF ----------------------------------------------------------------------------------------------------------------


def test_upload_csrf_token_needed_except_for_signed_parts(participant, entry):
    """Uppy cannot add the CSRF token to a part's PUT; the part URL's signature stands in for it."""
    author = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    author.force_login(participant)
    assert create(author, entry, 1000).status_code == 403
    upload = uploads.upload_create(actor=participant, entry=entry, filename="lesson.ogv", size=1000)
    url = sign(author, upload, 1).json()["url"]
    assert put(author, url, b"x" * 1000).status_code == 200
    assert complete(author, upload).status_code == 403
    assert abort(author, upload).status_code == 403
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN


# Stale uploads -------------------------------------------------------------------------------------------------------


def test_uploads_discard_stale(author_api, entry, contest, participant):
    old = start(author_api, entry, b"x" * 1000)
    send(author_api, old, b"x" * 1000, [1])
    UploadSession.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=3))
    fresh = start(author_api, EntryFactory(contest=contest, author=participant), b"x" * 1000)
    assert uploads.uploads_discard_stale() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (UploadStatus.ABORTED, UploadStatus.OPEN)
    assert not upload_parts.LocalParts.folder(old).exists()


# The entry's page ----------------------------------------------------------------------------------------------------


def test_entry_page_shows_the_pending_file(participant_client, author_api, entry):
    upload = start(author_api, entry, b"x" * 1000, "Бөлшектер.ogv")
    complete(author_api, upload, send(author_api, upload, b"x" * 1000, [1]))
    with translation.override("en"):
        page = reverse("frontend:entry_detail", kwargs={"slug": entry.contest.slug, "code": entry.code})
    body = participant_client.get(page).content.decode()
    assert "New file “Бөлшектер.ogv” (1000\xa0bytes) received · Queued." in body
    assert "data-resumable-upload" in body
    assert f'data-api="{reverse("uploads_api:create")}"' in body
