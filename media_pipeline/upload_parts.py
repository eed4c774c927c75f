"""Where the parts of a resumable upload are kept: in the S3 bucket (multipart upload) or on Baige's own disk.

Both answer the same calls (start, sign a part, list the parts received, join them, discard), so the
services in ``uploads.py`` and one browser client serve both.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, FileRefused
from media_pipeline.enums import UploadBackend
from media_pipeline.models import UploadSession

#: How long a part URL may be used. A part is a few MiB, so this is ample even on a slow line.
PART_URL_SECONDS = 10 * 60
#: Request bodies are read in pieces of this size: a part is never held in memory.
STREAM_CHUNK = 64 * 1024
#: Signatures of part URLs are made for this purpose only.
PART_SIGNER_SALT = "baige.media_pipeline.upload-part"
#: A part stored on Baige's disk.
PART_FILE = re.compile(r"^part-(\d{5})$")


class UploadClosed(BaigeError):
    """The upload was completed, cancelled, or replaced by a newer one: nothing more can be added to it."""

    status_code = 409
    code = "upload_closed"


@dataclass(frozen=True)
class UploadedPart:
    """A part as stored: its number (from 1), its ETag (the MD5 of its bytes, without quotes) and its size."""

    number: int
    etag: str
    size: int


def upload_part_signature(upload: UploadSession, part_number: int) -> str:
    """The signature that lets a part be sent to Baige's own part endpoint for a while."""
    return signing.TimestampSigner(salt=PART_SIGNER_SALT).sign(f"{upload.uuid}:{part_number}")


def upload_part_signed(signature: str) -> str:
    """What a part's signature was made for (``<upload>:<part>``); raises ``SignatureExpired`` or ``BadSignature``."""
    return signing.TimestampSigner(salt=PART_SIGNER_SALT).unsign(signature, max_age=PART_URL_SECONDS)


def s3_parts(storage: Storage) -> S3Parts | None:
    """The S3 side of ``storage`` when it is django-storages' S3 backend, else None."""
    connection = getattr(storage, "connection", None)
    bucket_name = getattr(storage, "bucket_name", None)
    normalize = getattr(storage, "_normalize_name", None)
    if connection is None or not bucket_name or normalize is None:
        return None
    return S3Parts(client=connection.meta.client, bucket=bucket_name, object_key=normalize)


def backend_kind(storage: Storage) -> UploadBackend:
    """Where new uploads keep their parts: in the bucket when files are stored on S3, else on Baige's disk."""
    return UploadBackend.S3 if s3_parts(storage) is not None else UploadBackend.LOCAL


def parts_of(upload: UploadSession) -> S3Parts | LocalParts:
    """The backend that holds an upload's parts; an upload never changes backend."""
    if upload.backend == UploadBackend.S3:
        s3 = s3_parts(default_storage)
        if s3 is None:
            raise UploadClosed(_("This upload was started on another storage. Choose the file and upload it again."))
        return s3
    return LocalParts(storage=default_storage)


@dataclass(frozen=True)
class S3Parts:
    """Parts kept by S3 in a multipart upload; the browser sends them to the bucket with presigned URLs."""

    client: Any
    bucket: str
    object_key: Any  # the storage's own name → S3 key mapping (it adds the storage's location prefix)

    def start(self, upload: UploadSession) -> None:
        answer = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self.object_key(upload.key), ContentType="application/octet-stream"
        )
        upload.upload_id = answer["UploadId"]

    def sign(self, upload: UploadSession, part_number: int, size: int) -> str:
        # Content-Length is a signed header of the URL: S3 refuses a part of any other size.
        params = {
            "Bucket": self.bucket,
            "Key": self.object_key(upload.key),
            "UploadId": upload.upload_id,
            "PartNumber": part_number,
            "ContentLength": size,
        }
        return str(self.client.generate_presigned_url("upload_part", Params=params, ExpiresIn=PART_URL_SECONDS))

    def list(self, upload: UploadSession) -> list[UploadedPart]:
        parts = []
        pages = self.client.get_paginator("list_parts").paginate(
            Bucket=self.bucket, Key=self.object_key(upload.key), UploadId=upload.upload_id
        )
        try:
            for page in pages:
                for part in page.get("Parts", []):
                    parts.append(UploadedPart(int(part["PartNumber"]), etag_unquote(part["ETag"]), int(part["Size"])))
        except self.client.exceptions.NoSuchUpload as gone:
            raise UploadClosed(_("This upload no longer exists. Choose the file and upload it again.")) from gone
        return sorted(parts, key=lambda part: part.number)

    def assemble(self, upload: UploadSession, parts: Sequence[UploadedPart]) -> tuple[str, int]:
        key = self.object_key(upload.key)
        try:
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload.upload_id,
                MultipartUpload={"Parts": [{"PartNumber": p.number, "ETag": f'"{p.etag}"'} for p in parts]},
            )
        except self.client.exceptions.ClientError as refused:
            # For instance a part under S3's 5 MiB minimum: the parts stay, a fixed client can finish the upload.
            raise BaigeError(
                _("The storage could not put the parts of this file together. Upload the file again."),
                code="upload_incomplete",
            ) from refused
        return upload.key, int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])

    def discard(self, upload: UploadSession) -> None:
        # Already completed or aborted: nothing left to discard.
        with contextlib.suppress(self.client.exceptions.NoSuchUpload):
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.object_key(upload.key), UploadId=upload.upload_id
            )

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(name))


@dataclass(frozen=True)
class LocalParts:
    """Parts kept on Baige's own disk, one file each, joined into the default storage at the end."""

    storage: Storage

    @staticmethod
    def folder(upload: UploadSession) -> Path:
        return Path(settings.DATA_DIR) / "uploads" / str(upload.uuid)

    def start(self, upload: UploadSession) -> None:
        self.folder(upload).mkdir(parents=True, exist_ok=True)

    def sign(self, upload: UploadSession, part_number: int) -> str:
        url = reverse("uploads_api:part", kwargs={"upload_id": upload.uuid, "part_number": part_number})
        return f"{url}?{urlencode({'signature': upload_part_signature(upload, part_number)})}"

    def list(self, upload: UploadSession) -> list[UploadedPart]:
        folder = self.folder(upload)
        if not folder.is_dir():
            raise UploadClosed(_("This upload no longer exists. Choose the file and upload it again."))
        parts = []
        for path in folder.iterdir():
            match = PART_FILE.match(path.name)
            if match:
                etag = path.with_name(path.name + ".md5").read_text().strip()
                parts.append(UploadedPart(int(match.group(1)), etag, path.stat().st_size))
        return sorted(parts, key=lambda part: part.number)

    def receive(self, upload: UploadSession, part_number: int, stream: BinaryIO, budget: int) -> UploadedPart:
        """Stream one part to disk; refuse it once it is larger than ``budget`` bytes."""
        folder = self.folder(upload)
        if not folder.is_dir():
            raise UploadClosed(_("This upload no longer exists. Choose the file and upload it again."))
        name = f"part-{part_number:05d}"
        # A part sent twice at once (a retry racing the original) writes to its own file; the last one kept wins.
        partial = folder / f"{name}.{uuid.uuid4().hex}.partial"
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            with partial.open("wb") as out:
                for chunk in iter(lambda: stream.read(STREAM_CHUNK), b""):
                    size += len(chunk)
                    if size > budget:
                        raise FileRefused(
                            _("The parts sent are larger than the file announced (%(size)s). Upload the file again.")
                            % {"size": filesizeformat(upload.size)}
                        )
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise FileRefused(_("This part of the file is empty."))
            etag = digest.hexdigest()
            (folder / f"{name}.md5").write_text(etag)
            partial.replace(folder / name)
        finally:
            partial.unlink(missing_ok=True)
        return UploadedPart(part_number, etag, size)

    def assemble(self, upload: UploadSession, parts: Sequence[UploadedPart]) -> tuple[str, int]:
        folder = self.folder(upload)
        with JoinedFiles([folder / f"part-{part.number:05d}" for part in parts]) as joined:
            stream = io.BufferedReader(joined, buffer_size=STREAM_CHUNK)
            name = self.storage.save(upload.key, File(stream, name="original.upload"))
        return name, int(self.storage.size(name))

    def discard(self, upload: UploadSession) -> None:
        shutil.rmtree(self.folder(upload), ignore_errors=True)

    def delete(self, name: str) -> None:
        self.storage.delete(name)


class JoinedFiles(io.RawIOBase):
    """Several files read one after the other as one stream, without copying them first."""

    def __init__(self, paths: Iterable[Path]) -> None:
        super().__init__()
        self._paths = list(paths)
        self._current: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            if self._current is None:
                if not self._paths:
                    return 0
                self._current = self._paths.pop(0).open("rb")
            count = self._current.readinto(buffer)
            if count:
                return count
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


def etag_unquote(etag: str) -> str:
    """An ETag without the quotes S3 and HTTP put around it."""
    return etag.strip().strip('"')
