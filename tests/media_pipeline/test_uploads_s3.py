"""Resumable uploads straight to an S3 bucket (moto in server mode): multipart with presigned part URLs."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import requests
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from media_pipeline.enums import AssetStatus, UploadBackend, UploadStatus
from media_pipeline.models import MediaAsset, UploadSession
from tests.factories import EntryFactory

pytestmark = pytest.mark.services

MIB = 1024 * 1024
#: S3 takes parts of at least 5 MiB except the last: 11 MiB makes three parts.
PART = 5 * MIB
SITE = "http://127.0.0.1:8000"
#: The rule docs/storage.md asks for: the browser PUTs parts from the site's origin and reads their ETag.
CORS_RULE = {
    "AllowedOrigins": [SITE],
    "AllowedMethods": ["PUT"],
    "AllowedHeaders": ["*"],
    "ExposeHeaders": ["ETag"],
    "MaxAgeSeconds": 3600,
}


@pytest.fixture(autouse=True)
def _part_size(monkeypatch):  # type: ignore[no-untyped-def]
    """The part size Baige offers, which a browser follows: 5 MiB, S3's smallest."""
    from media_pipeline import uploads

    monkeypatch.setattr(uploads, "PART_SIZE", PART)


@pytest.fixture
def bucket(s3_storage):  # type: ignore[no-untyped-def]
    client, name = s3_storage
    client.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [CORS_RULE]})
    return client, name


@pytest.fixture
def entry(contest, participant):  # type: ignore[no-untyped-def]
    return EntryFactory(contest=contest, author=participant, with_media=True)


@pytest.fixture
def eleven_mib() -> bytes:
    return os.urandom(11 * MIB)


def logged_in(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def start(client, entry, size):  # type: ignore[no-untyped-def]
    body = {"contest": entry.contest.slug, "entry": entry.code, "filename": "lesson.mp4", "size": size}
    response = client.post(reverse("uploads_api:create"), body, format="json")
    assert response.status_code == 201, response.content
    return UploadSession.objects.get(uuid=response.json()["uploadId"])


def send(client, upload, data, numbers):  # type: ignore[no-untyped-def]
    """Send parts as the browser does: a presigned URL from our API, then a PUT straight to the bucket."""
    etags = {}
    for number in numbers:
        piece = data[(number - 1) * PART : number * PART]
        signed = sign(client, upload, number, size=len(piece))
        assert signed.status_code == 200, signed.content
        answer = requests.put(signed.json()["url"], data=piece, headers={"Origin": SITE}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.headers["Access-Control-Expose-Headers"] == "ETag"
        etags[number] = answer.headers["ETag"].strip('"')
    return etags


def sign(client, upload, number, **query):  # type: ignore[no-untyped-def]
    url = reverse("uploads_api:sign", kwargs={"upload_id": upload.uuid, "part_number": number})
    return client.get(url, query)


def list_parts(client, upload):  # type: ignore[no-untyped-def]
    return client.get(reverse("uploads_api:upload", kwargs={"upload_id": upload.uuid}))


def complete(client, upload, etags):  # type: ignore[no-untyped-def]
    body = {"parts": [{"PartNumber": n, "ETag": etag} for n, etag in sorted(etags.items())]}
    return client.post(reverse("uploads_api:complete", kwargs={"upload_id": upload.uuid}), body, format="json")


def open_uploads(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]


def test_upload_to_s3_interrupted_halfway_resumes(bucket, entry, participant, eleven_mib):
    s3, name = bucket
    previous = entry.media
    first = logged_in(participant)
    upload = start(first, entry, len(eleven_mib))
    assert (upload.backend, open_uploads(s3, name)) == (UploadBackend.S3, [upload.key])
    send(first, upload, eleven_mib, [1, 2])

    # The connection broke; a new page asks what arrived and sends the rest.
    later = logged_in(participant)
    received = list_parts(later, upload)
    assert received.status_code == 200
    parts = received.json()
    assert [(part["PartNumber"], part["Size"]) for part in parts] == [(1, PART), (2, PART)]
    etags = {part["PartNumber"]: part["ETag"] for part in parts}
    etags.update(send(later, upload, eleven_mib, [3]))
    response = complete(later, upload, etags)

    assert response.status_code == 200, response.content
    stored = s3.get_object(Bucket=name, Key=upload.key)["Body"].read()
    assert stored == eleven_mib
    asset = MediaAsset.objects.get(uuid=upload.uuid)
    assert (asset.original.name, asset.size, asset.status) == (upload.key, len(eleven_mib), AssetStatus.QUEUED)
    upload.refresh_from_db()
    entry.refresh_from_db()
    assert (upload.status, upload.asset, entry.media) == (UploadStatus.COMPLETED, asset, previous)
    assert open_uploads(s3, name) == []


def test_upload_to_s3_when_size_differs_keeps_nothing(bucket, entry, participant):
    s3, name = bucket
    client = logged_in(participant)
    data = os.urandom(6 * MIB)
    upload = start(client, entry, len(data) + 1)
    etags = send(client, upload, data, [1, 2])
    response = complete(client, upload, etags)
    assert response.status_code == 400
    assert response.json()["code"] == "size_mismatch"
    assert open_uploads(s3, name) == []
    assert (
        s3.list_objects_v2(Bucket=name, Prefix=f"entries/{entry.contest.slug}/{entry.code}/{upload.uuid}/")["KeyCount"]
        == 0
    )
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ABORTED


def test_upload_to_s3_refused_over_size_limit(bucket, entry, participant):
    s3, name = bucket
    entry.contest.max_file_size = 10 * MIB
    entry.contest.save(update_fields=["max_file_size"])
    body = {"contest": entry.contest.slug, "entry": entry.code, "filename": "lesson.mp4", "size": 10 * MIB + 1}
    response = logged_in(participant).post(reverse("uploads_api:create"), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "file_refused"
    assert open_uploads(s3, name) == []
    assert UploadSession.objects.count() == 0


def test_upload_to_s3_complete_after_deadline_changes_nothing(bucket, entry, participant):
    s3, name = bucket
    client = logged_in(participant)
    data = os.urandom(1000)
    upload = start(client, entry, len(data))
    etags = send(client, upload, data, [1])
    with time_machine.travel(entry.contest.submissions_close + timedelta(seconds=1), tick=False):
        response = complete(client, upload, etags)
    assert response.status_code == 409
    assert open_uploads(s3, name) == [upload.key]  # the parts stay, should the organiser extend the deadline
    assert MediaAsset.objects.filter(uuid=upload.uuid).count() == 0


def test_upload_to_s3_parts_too_small_for_s3(bucket, entry, participant):
    s3, name = bucket
    client = logged_in(participant)
    upload = start(client, entry, 2000)
    etags = {}
    for number in (1, 2):
        url = sign(client, upload, number, size=1000)
        etags[number] = requests.put(url.json()["url"], data=b"x" * 1000, timeout=30).headers["ETag"].strip('"')
    response = complete(client, upload, etags)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The storage could not put the parts of this file together. Upload the file again.",
        "code": "upload_incomplete",
    }
    upload.refresh_from_db()
    assert upload.status == UploadStatus.OPEN


def test_upload_to_s3_abort(bucket, entry, participant):
    s3, name = bucket
    client = logged_in(participant)
    upload = start(client, entry, 1000)
    send(client, upload, os.urandom(1000), [1])
    assert client.delete(reverse("uploads_api:upload", kwargs={"upload_id": upload.uuid})).status_code == 204
    assert open_uploads(s3, name) == []
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ABORTED


def test_bucket_cors_lets_the_site_put_parts_and_read_etag(bucket, entry, participant):
    """A browser asks the bucket first (preflight); the answer must allow the PUT and expose ETag."""
    client = logged_in(participant)
    upload = start(client, entry, 1000)
    url = client.get(reverse("uploads_api:sign", kwargs={"upload_id": upload.uuid, "part_number": 1})).json()["url"]
    answer = requests.options(url, headers={"Origin": SITE, "Access-Control-Request-Method": "PUT"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == SITE
    assert answer.headers["Access-Control-Allow-Methods"] == "PUT"
    assert answer.headers["Access-Control-Expose-Headers"] == "ETag"


def _signed(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def test_upload_to_s3_part_url_signs_the_part_s_length(bucket, entry, participant):
    # moto does not check signatures, so the test reads the URL: S3 (and MinIO) refuse a PUT whose
    # Content-Length differs from the signed one, since content-length is a signed header of it.
    client = logged_in(participant)
    upload = start(client, entry, 11 * MIB)
    by_layout = _signed(sign(client, upload, 3).json()["url"])
    assert (by_layout["X-Amz-Algorithm"], by_layout["X-Amz-SignedHeaders"]) == (
        "AWS4-HMAC-SHA256",
        "content-length;host",
    )
    stated = sign(client, upload, 1, size=PART).json()["url"]
    assert _signed(stated)["X-Amz-SignedHeaders"] == "content-length;host"
    upload.refresh_from_db()
    # The last part is what the offered part size leaves of the file: 11 - 2 x 5 MiB.
    assert upload.signed_sizes == {"3": MIB, "1": PART}
    # The URL takes exactly its length: one byte more is refused by S3's signature check, here by botocore's.
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials

    for length, matches in ((PART, True), (PART + 1, False)):
        query = _signed(stated)
        request = botocore.awsrequest.AWSRequest(
            method="PUT",
            url=stated.split("?")[0]
            + "?"
            + "&".join(f"{k}={v}" for k, v in query.items() if not k.startswith("X-Amz")),
            headers={"Content-Length": str(length)},
        )
        request.context["timestamp"] = query["X-Amz-Date"]
        signer = botocore.auth.S3SigV4QueryAuth(
            botocore.credentials.Credentials("testing", "testing"),
            "s3",
            "us-east-1",
            expires=int(query["X-Amz-Expires"]),
        )
        signer.add_auth(request)
        assert (_signed(request.url)["X-Amz-Signature"] == query["X-Amz-Signature"]) is matches


def test_upload_to_s3_parts_signed_never_add_up_to_more_than_the_file(bucket, entry, participant):
    client = logged_in(participant)
    upload = start(client, entry, 10 * MIB)
    assert sign(client, upload, 1, size=PART).status_code == 200
    assert sign(client, upload, 2, size=PART).status_code == 200
    assert sign(client, upload, 2, size=PART).status_code == 200  # a retry of the same part
    assert sign(client, upload, 1, size=1000).status_code == 200  # part 1 may still be 5 MiB: that counts
    refused = sign(client, upload, 3, size=1)
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "detail": "The parts sent are larger than the file announced (10.0\xa0MB). Upload the file again.",
            "code": "file_refused",
        },
    )
    # Six parts of 10 MiB against a 10 MiB file: the first only.
    other = start(client, EntryFactory(contest=entry.contest, author=participant), 10 * MIB)
    answers = [sign(client, other, number, size=10 * MIB).status_code for number in range(1, 7)]
    assert answers == [200, 400, 400, 400, 400, 400]


@pytest.mark.parametrize(("query", "code"), [({"size": "0"}, "invalid_part"), ({"size": "x"}, "invalid_part")])
def test_upload_to_s3_sign_part_when_length_wrong(bucket, entry, participant, query, code):
    client = logged_in(participant)
    upload = start(client, entry, 10 * MIB)
    response = sign(client, upload, 1, **query)
    assert (response.status_code, response.json()["code"]) == (400, code)
    too_big = sign(client, upload, 1, size=10 * MIB + 1)
    assert too_big.json() == {
        "detail": "This part lies outside the file announced (10.0\xa0MB).",
        "code": "invalid_part",
    }
    beyond = sign(client, upload, 3)  # 10 MiB in parts of 5 MiB has no third part
    assert (beyond.status_code, beyond.json()["code"]) == (400, "invalid_part")
