import hashlib

import pytest
from django.core.files.storage import default_storage

from media_pipeline import files

pytestmark = pytest.mark.services


def test_upload_to_s3_streams_from_disk_and_replaces_in_place(s3_storage, tmp_path):
    client, bucket = s3_storage
    first = tmp_path / "poster.jpg"
    first.write_bytes(b"\xff\xd8first")
    name = "entries/demo/ABC123/0000/poster.jpg"
    assert files.upload(first, name) == name
    first.write_bytes(b"\xff\xd8second run")
    assert files.upload(first, name) == name  # a rerun keeps the same name, no suffix
    stored = client.get_object(Bucket=bucket, Key=name)
    assert stored["Body"].read() == b"\xff\xd8second run"
    assert stored["ContentType"] == "image/jpeg"
    assert [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]] == [name]
    assert files.read_head(name, 4) == b"\xff\xd8se"
    assert files.download(name, tmp_path / "back.jpg") == hashlib.sha256(b"\xff\xd8second run").hexdigest()
    assert "Signature" in (files.signed_url(name) or "")


def test_upload_refuses_a_name_outside_the_storage(s3_storage, tmp_path):
    source = tmp_path / "x.jpg"
    source.write_bytes(b"x")
    with pytest.raises(Exception, match="path traversal|Detected path"):
        files.upload(source, "../x.jpg")
    assert default_storage.exists("x.jpg") is False
