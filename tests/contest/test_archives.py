import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from contest.archives import (
    ArchiveLimits,
    ArchiveRefused,
    BoundedMember,
    archive_check,
    archive_check_bytes,
    member_read,
)
from exchange.sheets import ImportRefused, LineError, sheet_read

MIB = 1024 * 1024
LIMITS = ArchiveLimits(max_members=3, max_total=30 * MIB, max_member=20 * MIB, max_ratio=100, ratio_checked_from=MIB)


def _zip(members: dict[str, int], *, level: int = 9) -> bytes:
    """A zip of members made of zeros, written in pieces (never whole in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, size in members.items():
            with archive.open(name, "w") as member:
                for start in range(0, size, MIB):
                    member.write(bytes(min(MIB, size - start)))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("members", "detail"),
    [
        ({"a": 1, "b": 1, "c": 1, "d": 1}, "4 members; at most 3"),
        ({"big": 21 * MIB}, f"big: {21 * MIB} bytes unpacked; at most {20 * MIB}"),
        ({"a": 16 * MIB, "b": 16 * MIB}, f"{32 * MIB} bytes unpacked; at most {30 * MIB}"),
    ],
)
def test_archive_check_refuses_what_the_directory_declares(members, detail):
    data = _zip(members, level=0)  # stored: the ratio is 1, only the sizes count
    with pytest.raises(ArchiveRefused) as refused:
        archive_check_bytes(data, LIMITS)
    assert (refused.value.code, refused.value.detail) == ("too_big", detail)


def test_archive_check_refuses_a_member_that_shrank_too_much():
    data = _zip({"zeros": 2 * MIB})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        packed = archive.getinfo("zeros").compress_size
        with pytest.raises(ArchiveRefused) as refused:
            archive_check(archive, LIMITS)
        # A caller may allow more in all; the ratio still holds.
        with pytest.raises(ArchiveRefused):
            archive_check(archive, LIMITS, allowed_total=100 * MIB)
    assert refused.value.detail == f"zeros: {packed} bytes unpack to {2 * MIB}"


def test_archive_check_accepts_an_archive_within_limits():
    with zipfile.ZipFile(io.BytesIO(_zip({"a": 1000, "b": MIB}, level=0))) as archive:
        archive_check(archive, LIMITS)
        assert member_read(archive, "a", limit=1000) == bytes(1000)


def test_archive_check_refuses_a_corrupt_archive_as_unreadable():
    with pytest.raises(ArchiveRefused) as refused:
        archive_check_bytes(b"PK\x03\x04 not a zip", LIMITS)
    assert refused.value.code == "unreadable"


def test_member_read_refuses_a_member_declared_over_the_limit_unread():
    with zipfile.ZipFile(io.BytesIO(_zip({"mimetype": 2000}))) as archive, pytest.raises(ArchiveRefused) as refused:
        member_read(archive, "mimetype", limit=1024)
    assert refused.value.detail == "mimetype: 2000 bytes unpacked; at most 1024"


def test_bounded_member_stops_a_stream_longer_than_allowed():
    stream = io.BufferedReader(BoundedMember(io.BytesIO(bytes(100)), name="content.xml", limit=10))
    with pytest.raises(ArchiveRefused) as refused:
        stream.read()
    assert refused.value.detail == "content.xml: more than 10 bytes unpacked"
    exact = io.BufferedReader(BoundedMember(io.BytesIO(bytes(10)), name="content.xml", limit=10))
    assert exact.read() == bytes(10)


def test_member_read_never_trusts_a_declared_size_that_lies():
    data = bytearray(_zip({"mimetype": 5 * MIB}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("mimetype")
    # The central directory now says 46 bytes; the member still inflates to 5 MiB.
    directory = bytes(data).rindex(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (46).to_bytes(4, "little")
    assert info.file_size == 5 * MIB
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo("mimetype").file_size == 46
        with pytest.raises((ArchiveRefused, zipfile.BadZipFile)):
            member_read(archive, "mimetype", limit=1024)


def _workbook_with(extra: dict[str, int]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["email", "full_name"])
    workbook.active.append(["dana@example.org", "Dana"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, size in extra.items():
            with archive.open(name, "w") as member:
                for start in range(0, size, MIB):
                    member.write(b" " * min(MIB, size - start))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The workbook unpacks into far more data than a table needs. Save it again as XLSX or CSV UTF-8."),
        (
            "ru",
            "После распаковки в книге оказывается гораздо больше данных, чем нужно таблице. "
            "Сохраните её заново как XLSX или CSV UTF-8.",
        ),
        (
            "kk",
            "Жұмыс кітабы ашылғанда кестеге қажетінен әлдеқайда көп деректер шығады. "
            "Оны XLSX немесе CSV UTF-8 ретінде қайта сақтаңыз.",
        ),
    ],
)
def test_sheet_read_refuses_a_workbook_bomb_before_openpyxl(language, message):
    # 40 MiB of spaces in one part shrink to a few kilobytes: refused by the ratio.
    data = _workbook_with({"xl/media/padding.bin": 40 * MIB})
    assert len(data) < 200 * 1024
    with translation.override(language), pytest.raises(ImportRefused) as refused:
        sheet_read(stream=io.BytesIO(data), required=("email", "full_name"), optional=())
    assert refused.value.errors == [LineError(0, "", message)]


def test_sheet_read_reads_a_workbook_within_limits():
    data = _workbook_with({})
    sheet = sheet_read(stream=io.BytesIO(data), required=("email", "full_name"), optional=())
    assert [row.cells for row in sheet.rows] == [{"email": "dana@example.org", "full_name": "Dana"}]
