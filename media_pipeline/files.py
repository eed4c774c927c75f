"""Moving files between Django's storage and a worker's local disk, streamed, never whole in memory."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.files.utils import validate_file_name
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


def name_of(field: FieldFile) -> str:
    """The storage name of a file field that must hold a file."""
    if not field.name:
        raise ValueError("the file field is empty")
    return str(field.name)


def _s3_object(storage: Storage, name: str) -> Any | None:
    """The boto3 object behind ``name`` when the storage is S3, else None."""
    bucket = getattr(storage, "bucket", None)
    normalize = getattr(storage, "_normalize_name", None)
    if bucket is None or normalize is None:
        return None
    return bucket.Object(normalize(name))


def read_head(name: str, size: int, *, storage: Storage = default_storage) -> bytes:
    """The first ``size`` bytes of a stored file (a ranged GET on S3)."""
    s3_object = _s3_object(storage, name)
    if s3_object is not None:
        return bytes(s3_object.get(Range=f"bytes=0-{size - 1}")["Body"].read())
    with storage.open(name, "rb") as stream:
        return bytes(stream.read(size))


def chunks(name: str, *, storage: Storage = default_storage) -> Iterator[bytes]:
    """A stored file's bytes, a chunk at a time (a streamed GET on S3, which never spools the file)."""
    s3_object = _s3_object(storage, name)
    if s3_object is not None:
        body = s3_object.get()["Body"]
        try:
            yield from iter(lambda: bytes(body.read(CHUNK)), b"")
        finally:
            body.close()
        return
    with storage.open(name, "rb") as stream:
        yield from iter(lambda: bytes(stream.read(CHUNK)), b"")


def download(name: str, target: Path, *, storage: Storage = default_storage) -> str:
    """Copy a stored file to ``target`` in chunks; returns its SHA-256."""
    digest = hashlib.sha256()
    s3_object = _s3_object(storage, name)
    with target.open("wb") as out:
        if s3_object is not None:
            body = s3_object.get()["Body"]
            for chunk in iter(lambda: body.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        else:
            with storage.open(name, "rb") as stream:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
    return digest.hexdigest()


def upload(source: Path, name: str, *, storage: Storage = default_storage) -> str:
    """Store a local file under exactly ``name``, replacing what a crashed earlier run left there."""
    validate_file_name(name, allow_relative_path=True)
    if storage.exists(name):
        storage.delete(name)
    s3_object = _s3_object(storage, name)
    if s3_object is not None:
        # Given a file name, boto3 reads each part from disk as it sends it; given an open file (as
        # ``storage.save`` does) it first copies up to ten 8 MiB parts into memory.
        s3_object.upload_file(
            str(source),
            ExtraArgs=_s3_write_parameters(storage, s3_object.key),
            Config=getattr(storage, "transfer_config", None),
        )
        return name
    with source.open("rb") as stream:
        return storage.save(name, File(stream, name=source.name))


def _s3_write_parameters(storage: Storage, key: str) -> dict[str, Any]:
    """What ``storage.save`` would send with the object: content type, the storage's object parameters and ACL."""
    parameters: dict[str, Any] = getattr(storage, "_get_write_parameters")(key)  # noqa: B009 - not in Storage's type
    return parameters


def signed_url(name: str, *, storage: Storage = default_storage, download_name: str = "") -> str | None:
    """A short-lived signed URL when the storage is S3; None for local files, served by a checked view.

    ``download_name`` asks S3 to name the file so (its ``Content-Disposition``) instead of after its key.
    """
    if _s3_object(storage, name) is None:
        return None
    if not download_name:
        return str(storage.url(name))
    # django-storages' S3 storage signs extra request parameters; Django's base ``Storage.url`` takes none.
    sign: Any = storage.url
    return str(sign(name, parameters={"ResponseContentDisposition": f'inline; filename="{download_name}"'}))


def remove(names: list[str], *, storage: Storage = default_storage) -> int:
    """Delete stored files by name; one that cannot be removed now is logged and left behind. How many went."""
    removed = 0
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove the stored file %s", name)
        else:
            removed += 1
    return removed
