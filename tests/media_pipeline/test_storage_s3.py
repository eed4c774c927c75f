import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.factories import TINY_PDF, EntryFactory


@pytest.mark.services
def test_upload_goes_to_s3_bucket(s3_storage, participant_client, participant, contest):
    client, bucket = s3_storage
    entry = EntryFactory(contest=contest, author=participant)
    with translation.override("en"):
        upload_url = reverse("frontend:entry_upload", kwargs={"slug": contest.slug, "code": entry.code})
        file_url = reverse("frontend:entry_file", kwargs={"slug": contest.slug, "code": entry.code})
    response = participant_client.post(upload_url, {"file": SimpleUploadedFile("plan.pdf", TINY_PDF)})
    assert response.status_code == 302
    entry.refresh_from_db()
    key = entry.media.original.name
    stored = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored == TINY_PDF
    assert key.startswith(f"entries/{contest.slug}/{entry.code}/")
    # A signed, expiring URL, never a public one.
    assert "Signature=" in entry.media.original.url or "X-Amz-Signature=" in entry.media.original.url
    download = participant_client.get(file_url)
    assert b"".join(download.streaming_content) == TINY_PDF
