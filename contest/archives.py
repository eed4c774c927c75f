"""Zip archives read in bounded memory: declared sizes checked first, members read through bounded streams.

Presentations (PPTX, PPTM, ODP) and imported workbooks (XLSX) are zip archives, and a small archive can
declare, or hold, far more than it weighs: a 1 MB file whose one member inflates to 1 GiB. Every member
Baige reads goes through here:

- ``archive_check`` refuses an archive by the sizes its central directory declares (members, total
  unpacked bytes, one member's bytes, and how many times a big member shrank), before anything is inflated;
- ``member_read`` and ``member_open`` read one member through a stream that stops at the smaller of its
  declared size and a cap, so a member that inflates past what it declared is refused, never buffered.

Python's own ``zipfile`` also stops inflating a member at its declared size (and then fails its CRC), which
is why checking declared sizes is enough before handing an archive to a library that opens members itself
(openpyxl). This module sits in ``contest`` (the first domain app) because both the contest's imports and
the media pipeline read archives, and imports flow from ``contest`` to ``media_pipeline``, never back.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

MIB = 1024 * 1024
#: Errors ``zipfile`` raises for a corrupt or foreign archive (RuntimeError: an encrypted member;
#: NotImplementedError: an unknown compression method).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,
    NotImplementedError,
    EOFError,
    ValueError,
    KeyError,
    OSError,
    zlib.error,
)


class ArchiveRefused(Exception):
    """An archive is too big unpacked (``code`` ``too_big``) or cannot be read (``unreadable``).

    ``detail`` says what was found, for logs; people are shown a message chosen by ``code``.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _too_big(detail: str) -> ArchiveRefused:
    return ArchiveRefused("too_big", detail)


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may declare: members, unpacked bytes in all and per member, and shrink ratio."""

    max_members: int
    max_total: int
    max_member: int
    #: A member bigger than ``ratio_checked_from`` may be at most ``max_ratio`` times its packed size.
    max_ratio: int
    ratio_checked_from: int = 10 * MIB


def archive_check(archive: zipfile.ZipFile, limits: ArchiveLimits, *, allowed_total: int | None = None) -> None:
    """Refuse ``archive`` (``ArchiveRefused``) when its central directory declares more than ``limits`` allow.

    Nothing is inflated. ``allowed_total`` replaces ``limits.max_total`` when a caller allows more (a
    presentation carrying a big video is big packed and unpacked alike).
    """
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _too_big(f"{len(infos)} members; at most {limits.max_members}")
    total = 0
    for info in infos:
        if info.file_size > limits.max_member:
            raise _too_big(f"{info.filename}: {info.file_size} bytes unpacked; at most {limits.max_member}")
        if info.file_size > limits.ratio_checked_from and info.file_size > limits.max_ratio * max(
            1, info.compress_size
        ):
            raise _too_big(f"{info.filename}: {info.compress_size} bytes unpack to {info.file_size}")
        total += info.file_size
    cap = limits.max_total if allowed_total is None else allowed_total
    if total > cap:
        raise _too_big(f"{total} bytes unpacked; at most {cap}")


def archive_check_bytes(data: bytes, limits: ArchiveLimits) -> None:
    """``archive_check`` for an archive held in memory; a corrupt one is refused as ``unreadable``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive_check(archive, limits)
    except ArchiveRefused:
        raise
    except ZIP_ERRORS as error:
        raise ArchiveRefused("unreadable", f"zip: {error}") from error


class BoundedMember(io.RawIOBase):
    """A member of an archive read as a stream that refuses to give more than ``limit`` bytes."""

    def __init__(self, member: IO[bytes], *, name: str, limit: int) -> None:
        super().__init__()
        self._member = member
        self._name = name
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        # One byte more than allowed may be asked for, so a member that keeps going is noticed.
        wanted = min(len(view), self._limit - self._read + 1)
        data = self._member.read(wanted) if wanted > 0 else b""
        self._read += len(data)
        if self._read > self._limit:
            raise _too_big(f"{self._name}: more than {self._limit} bytes unpacked")
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._member.close()
        super().close()


def member_open(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> io.BufferedReader:
    """Open one member for reading, refused unread if it declares more than ``limit`` bytes.

    The stream stops with ``ArchiveRefused`` past the smaller of the declared size and ``limit``.
    """
    if info.file_size > limit:
        raise _too_big(f"{info.filename}: {info.file_size} bytes unpacked; at most {limit}")
    member = BoundedMember(archive.open(info), name=info.filename, limit=min(limit, info.file_size))
    return io.BufferedReader(member, buffer_size=64 * 1024)


def member_read(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo, *, limit: int) -> bytes:
    """The bytes of one member, refused (``ArchiveRefused``) past ``limit`` or past its declared size."""
    info = name if isinstance(name, zipfile.ZipInfo) else archive.getinfo(name)
    with member_open(archive, info, limit=limit) as stream:
        return stream.read()
