"""Decide what a file is from its content: magic bytes and container structure, never its name."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from contest.archives import ZIP_ERRORS, ArchiveRefused, archive_check, member_open, member_read
from media_pipeline.enums import MediaKind
from media_pipeline.office import PRESENTATION_ARCHIVE, presentation_allowed_unpacked
from media_pipeline.reasons import ProcessingFailed

HEAD_BYTES = 64 * 1024
#: ISO base media brands that are still pictures, not videos.
IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis", b"jp2 ", b"crx "}
QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
ODP_MIMETYPES = {
    b"application/vnd.oasis.opendocument.presentation",
    b"application/vnd.oasis.opendocument.presentation-template",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ASF_MAGIC = bytes.fromhex("3026B2758E66CF11")
POWERPOINT_STREAM = "PowerPoint Document".encode("utf-16-le")
#: Zip archives with more members than this are not opened further here.
MAX_ZIP_MEMBERS = 10_000
#: Bytes of ``[Content_Types].xml`` read to tell a PPTM from a PPTX.
MAX_CONTENT_TYPES = 1024 * 1024
#: An ODF ``mimetype`` member is a few dozen bytes; one declaring more is not read.
MAX_MIMETYPE = 1024


@dataclass(frozen=True)
class Detected:
    kind: MediaKind
    extension: str
    label: str


UNKNOWN = Detected(MediaKind.UNKNOWN, "bin", "unknown")


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def head_is_document(head: bytes) -> bool:
    """Whether a file's first bytes are those of a document (a PDF, zip or OLE2 container) rather than a video."""
    return _is_pdf(head) or head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC)


def detect(stream: BinaryIO) -> Detected:
    """What ``stream`` holds: a video container, a presentation, a PDF, or unknown.

    A zip archive that declares far more unpacked data than a presentation needs is refused with
    ``ProcessingFailed("archive_too_big")`` before any of it is inflated.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        return UNKNOWN
    if _is_pdf(head):
        return Detected(MediaKind.PDF, "pdf", "pdf")
    if head.startswith(ZIP_MAGIC):
        return _detect_zip(stream)
    if head.startswith(OLE2_MAGIC):
        return _detect_ole2(stream)
    return _detect_video(head)


def _detect_zip(stream: BinaryIO) -> Detected:
    packed = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            if len(archive.infolist()) > MAX_ZIP_MEMBERS:
                return UNKNOWN
            archive_check(archive, PRESENTATION_ARCHIVE, allowed_total=presentation_allowed_unpacked(packed))
            infos = {info.filename: info for info in archive.infolist()}
            if "[Content_Types].xml" in infos and "ppt/presentation.xml" in infos:
                # A macro-enabled deck says so in its content types; LibreOffice wants to know.
                with member_open(archive, infos["[Content_Types].xml"], limit=MAX_CONTENT_TYPES) as types:
                    if b"macroEnabled.main+xml" in types.read():
                        return Detected(MediaKind.PRESENTATION, "pptm", "pptm")
                return Detected(MediaKind.PRESENTATION, "pptx", "pptx")
            if "mimetype" in infos:
                mimetype = member_read(archive, infos["mimetype"], limit=MAX_MIMETYPE).strip()
                if mimetype in ODP_MIMETYPES:
                    return Detected(MediaKind.PRESENTATION, "odp", "odp")
    except ArchiveRefused as refused:
        if refused.code == "too_big":
            raise ProcessingFailed("archive_too_big", detail=refused.detail) from refused
        return UNKNOWN
    except ZIP_ERRORS:
        return UNKNOWN
    finally:
        stream.seek(0)
    return UNKNOWN


def _detect_ole2(stream: BinaryIO) -> Detected:
    # The directory of a compound file names its streams in UTF-16; a PowerPoint 97-2003
    # file has one called "PowerPoint Document". Reading a few megabytes finds it.
    data = stream.read(8 * 1024 * 1024)
    stream.seek(0)
    if POWERPOINT_STREAM in data:
        return Detected(MediaKind.PRESENTATION, "ppt", "ppt")
    return UNKNOWN


def _detect_video(head: bytes) -> Detected:
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand in IMAGE_BRANDS:
            return UNKNOWN
        if brand.startswith(b"3g"):
            return Detected(MediaKind.VIDEO, "3gp", "3gp")
        if brand == b"qt  ":
            return Detected(MediaKind.VIDEO, "mov", "mov")
        return Detected(MediaKind.VIDEO, "mp4", "mp4")
    if box in QUICKTIME_ATOMS:
        return Detected(MediaKind.VIDEO, "mov", "mov")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        extension = "webm" if b"webm" in head[:64] else "mkv"
        return Detected(MediaKind.VIDEO, extension, extension)
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return Detected(MediaKind.VIDEO, "avi", "avi")
    if head.startswith(b"OggS") and (b"theora" in head[:256] or b"\x80theora" in head):
        return Detected(MediaKind.VIDEO, "ogv", "ogv")
    if head.startswith(b"FLV\x01"):
        return Detected(MediaKind.VIDEO, "flv", "flv")
    if head.startswith(ASF_MAGIC):
        return Detected(MediaKind.VIDEO, "wmv", "wmv")
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(b"\x00\x00\x01\xb3"):
        return Detected(MediaKind.VIDEO, "mpg", "mpg")
    if len(head) >= 188 * 3 and all(head[i * 188] == 0x47 for i in range(3)):
        return Detected(MediaKind.VIDEO, "ts", "ts")
    # AVCHD/Blu-ray camera files: transport stream packets behind a 4-byte timecode.
    if len(head) >= 192 * 3 and all(head[4 + i * 192] == 0x47 for i in range(3)):
        return Detected(MediaKind.VIDEO, "m2ts", "m2ts")
    return UNKNOWN
