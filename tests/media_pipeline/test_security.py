"""Hostile files: they are refused or fail harmlessly, and never make a tool read, fetch or run what they point at.

A named pipe (FIFO) stands for a local file a hostile file points at: opening a FIFO for reading
blocks until a writer comes, so a tool that tried to read it would hang until its time limit
(the steps below finish in seconds), and while a reader holds it, opening the write end without
blocking succeeds instead of failing with ENXIO.
"""

from __future__ import annotations

import errno
import http.server
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from media_pipeline import ffmpeg, office
from media_pipeline.detect import detect
from media_pipeline.processing import Limits, ProcessingFailed, inspect_file, process_file
from media_pipeline.tools import ToolTimeout, run_tool

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
LIMITS = Limits(max_size=2 * 1024**3, max_duration=1200, max_pages=200)
MP4_HEADER = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    assert path.is_file(), f"the test corpus must sit beside the repository: {path}"
    return path


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    # WebDAV probes (OPTIONS, PROPFIND) count as requests too.
    do_HEAD = do_OPTIONS = do_PROPFIND = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "secret.ts"
    os.mkfifo(path)
    return path


def assert_never_opened(fifo: Path) -> None:
    with pytest.raises(OSError) as error:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert error.value.errno == errno.ENXIO


def hostile_texts(fifo: Path, url: str) -> dict[str, str]:
    return {
        "hls": f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:{fifo}\n#EXTINF:1,\n{url}/x.ts\n#EXT-X-ENDLIST\n",
        "ffconcat": f"ffconcat version 1.0\nfile 'file:{fifo}'\nfile '{url}/x.mp4'\n",
    }


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_playlist_named_mp4_refused_without_reading_what_it_names(tmp_path, fifo, http_server, kind):
    url, requests = http_server
    upload = tmp_path / "lesson.mp4"
    upload.write_text(hostile_texts(fifo, url)[kind])
    started = time.monotonic()
    with pytest.raises(ProcessingFailed) as refused:
        inspect_file(upload, limits=LIMITS)
    assert refused.value.code == "not_media"
    # The ffmpeg layer alone refuses it too: HLS and concat are not on the demuxer whitelist.
    with pytest.raises(ProcessingFailed) as unreadable:
        ffmpeg.probe(upload)
    assert unreadable.value.code == "unreadable_video"
    assert "not on whitelist" in unreadable.value.detail or "Invalid data" in unreadable.value.detail
    assert time.monotonic() - started < 20
    assert_never_opened(fifo)
    assert requests == []


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_playlist_behind_an_mp4_header_fails_harmlessly(tmp_path, fifo, http_server, kind):
    url, requests = http_server
    upload = tmp_path / "lesson.mp4"
    upload.write_bytes(MP4_HEADER + hostile_texts(fifo, url)[kind].encode())
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(upload, limits=LIMITS)
    assert failed.value.code == "unreadable_video"
    assert_never_opened(fifo)
    assert requests == []


def _bomb(path: Path, *, huge: int, entries: int = 0) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "ppt/presentation.xml",
            '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            '<p:sldIdLst><p:sldId id="256"/></p:sldIdLst></p:presentation>',
        )
        for number in range(entries):
            archive.writestr(f"ppt/media/image{number}.png", b"")
        if huge:
            with archive.open("ppt/media/huge.bin", "w", force_zip64=True) as member:
                chunk = bytes(1024 * 1024)
                for _ in range(huge // len(chunk)):
                    member.write(chunk)


@pytest.mark.parametrize(
    ("huge", "entries"),
    [
        (600 * 1024**2, 0),  # unpacks past the 500 MB cap
        (20 * 1024**2, 0),  # within the cap, but shrank a thousandfold
        (0, 2001),  # too many parts
    ],
)
def test_zip_bomb_disguised_as_pptx_refused_before_libreoffice(tmp_path, huge, entries):
    bomb = tmp_path / "lesson.pptx"
    _bomb(bomb, huge=huge, entries=entries)
    assert bomb.stat().st_size < 2 * 1024**2
    with pytest.raises(ProcessingFailed) as refused:
        inspect_file(bomb, limits=LIMITS)
    # inspect_file never starts LibreOffice; process_file, which would, is never reached.
    assert refused.value.code == "archive_too_big"


def test_corrupt_zip_entry_refused_as_unreadable(tmp_path):
    deck = tmp_path / "lesson.pptx"
    deck.write_bytes(corpus_file("presentations/python_pptx_tbl_cell.pptx").read_bytes())
    with zipfile.ZipFile(deck) as archive:
        info = archive.getinfo("ppt/slides/slide1.xml")
    data = bytearray(deck.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10 : start + 20] = bytes(10)  # the CRC no longer matches
    deck.write_bytes(bytes(data))
    with pytest.raises(ProcessingFailed) as refused:
        inspect_file(deck, limits=LIMITS)
    assert refused.value.code == "unreadable_presentation"


EXTERNAL_PICTURE = (
    '<p:pic><p:nvPicPr><p:cNvPr id="99" name="Linked"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
    '<p:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
    '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
)
EXTERNAL_RELATIONSHIP = (
    '<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="{target}" TargetMode="External"/>'
)


def _deck_with_linked_pictures(path: Path, targets: list[str]) -> None:
    """A copy of a corpus deck whose first slide shows pictures linked (not embedded) from ``targets``."""
    pictures = "".join(EXTERNAL_PICTURE.format(rid=f"rIdLinked{n}") for n in range(len(targets)))
    relationships = "".join(
        EXTERNAL_RELATIONSHIP.format(rid=f"rIdLinked{n}", target=target) for n, target in enumerate(targets)
    )
    source = corpus_file("presentations/python_pptx_tbl_cell.pptx")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "ppt/slides/slide1.xml":
                data = data.replace(b"</p:spTree>", pictures.encode() + b"</p:spTree>", 1)
            elif info.filename == "ppt/slides/_rels/slide1.xml.rels":
                data = data.replace(b"</Relationships>", relationships.encode() + b"</Relationships>", 1)
            copy.writestr(info, data)


def test_pptx_linked_pictures_never_fetched(tmp_path, fifo, http_server):
    url, requests = http_server
    deck = tmp_path / "lesson.pptx"
    _deck_with_linked_pictures(deck, [f"{url}/x.png", fifo.as_uri()])
    workdir = tmp_path / "out"
    workdir.mkdir()
    started = time.monotonic()
    inspection = inspect_file(deck, limits=LIMITS)
    result = process_file(deck, inspection, workdir, limits=LIMITS)
    assert time.monotonic() - started < 60
    assert result.pages == 3
    assert requests == []
    assert_never_opened(fifo)


def test_pptx_linked_pictures_blocked_by_the_profile_alone(tmp_path, fifo, http_server):
    url, requests = http_server
    deck = tmp_path / "lesson.pptx"
    _deck_with_linked_pictures(deck, [f"{url}/x.png", fifo.as_uri()])
    pdf = tmp_path / "lesson.pdf"
    office.convert_to_pdf(deck, "pptx", pdf, timeout=60, cut_links=False, isolate_network=False)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert requests == []
    assert_never_opened(fifo)


def test_pptx_links_to_outside_cut_hyperlinks_kept(tmp_path):
    deck = tmp_path / "lesson.pptx"
    _deck_with_linked_pictures(deck, ["http://192.0.2.1/x.png", "file:///etc/passwd"])
    with zipfile.ZipFile(deck, "a") as archive:
        rels = archive.read("ppt/slides/_rels/slide2.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdWeb" TargetMode="External" Target="https://wordwall.net/play/1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
            b"</Relationships>",
        )
        archive.writestr("ppt/slides/_rels/slide2.xml.rels.new", rels)
    copy = tmp_path / "copy.pptx"
    assert office.cut_outside_links(deck, "pptx", copy) is True
    with zipfile.ZipFile(copy) as archive:
        slide = archive.read("ppt/slides/_rels/slide1.xml.rels")
        assert b"192.0.2.1" not in slide and b"/etc/passwd" not in slide
        assert b"slideLayout1.xml" in slide
        assert b"https://wordwall.net/play/1" in archive.read("ppt/slides/_rels/slide2.xml.rels.new")
    untouched = corpus_file("presentations/python_pptx_act_props.pptm")
    assert office.cut_outside_links(untouched, "pptm", tmp_path / "unused.pptm") is False
    assert not (tmp_path / "unused.pptm").exists()


def _odp_with_links(path: Path, targets: list[str]) -> None:
    """A copy of the corpus ODP whose first slide shows pictures linked from ``targets`` and a hyperlink."""
    frames = "".join(
        f'<draw:frame svg:width="5cm" svg:height="5cm" svg:x="1cm" svg:y="1cm"><draw:image xlink:href="{target}" '
        'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame>'
        for target in targets
    )
    link = (
        '<draw:frame svg:width="5cm" svg:height="1cm" svg:x="1cm" svg:y="7cm"><draw:text-box><text:p>'
        '<text:a xlink:type="simple" xlink:href="https://wordwall.net/play/1">Wordwall</text:a>'
        "</text:p></draw:text-box></draw:frame>"
    )
    source = corpus_file("presentations/onlyoffice_sample_presentation_ru_converted.odp")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "content.xml":
                start = data.index(b"<draw:page ")
                end = data.index(b">", start) + 1
                data = data[:end] + (frames + link).encode() + data[end:]
            copy.writestr(info, data, info.compress_type)


def test_odp_linked_pictures_never_fetched(tmp_path, fifo, http_server):
    url, requests = http_server
    picture = tmp_path / "private.png"
    picture.write_bytes(_png())
    deck = tmp_path / "lesson.odp"
    _odp_with_links(deck, [f"{url}/x.png", fifo.as_uri(), picture.as_uri(), "../private.png"])
    workdir = tmp_path / "out"
    workdir.mkdir()
    inspection = inspect_file(deck, limits=LIMITS)
    result = process_file(deck, inspection, workdir, limits=LIMITS)
    assert result.pages == 8
    assert requests == []
    assert_never_opened(fifo)
    with zipfile.ZipFile(deck) as archive:
        assert archive.read("content.xml").count(b"xlink:href") >= 5
    # Page 1 holds its background photo only, not the private picture (LibreOffice would embed it at ~96x60).
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(workdir / "pdf.pdf")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()[2:]
    assert [line.split()[3:5] for line in images] == [["1500", "1125"]]


def test_odp_links_to_outside_cut_hyperlinks_kept(tmp_path):
    deck = tmp_path / "lesson.odp"
    _odp_with_links(deck, ["http://192.0.2.1/x.png", "file:///etc/passwd", "&#102;ile:///etc/hosts"])
    copy = tmp_path / "copy.odp"
    assert office.cut_outside_links(deck, "odp", copy) is True
    with zipfile.ZipFile(copy) as archive, zipfile.ZipFile(deck) as original:
        content = archive.read("content.xml")
        assert archive.read("styles.xml") == original.read("styles.xml")  # pictures of the package stay
    assert b"192.0.2.1" not in content and b"/etc/passwd" not in content and b"/etc/hosts" not in content
    assert content.count(b"<draw:image ") == 3
    assert b'xlink:href="https://wordwall.net/play/1"' in content
    assert b'xlink:href="http://www.onlyoffice.com/"' in content


def test_legacy_ppt_linked_pictures_never_fetched(tmp_path, http_server):
    url, requests = http_server
    picture = tmp_path / "linked.png"
    picture.write_bytes(_png())
    deck = tmp_path / "linked.odp"
    _odp_with_links(deck, [picture.as_uri(), f"{url}/x.png"])
    # LibreOffice's own PowerPoint 97 export keeps both pictures as links.
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore"]
        + ["--convert-to", "ppt", "--outdir", str(tmp_path), str(deck)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    requests.clear()
    picture.unlink()
    os.mkfifo(picture)  # a reader would now hang until the time limit
    legacy = tmp_path / "linked.ppt"
    workdir = tmp_path / "out"
    workdir.mkdir()
    started = time.monotonic()
    inspection = inspect_file(legacy, limits=LIMITS)
    result = process_file(legacy, inspection, workdir, limits=LIMITS)
    assert (inspection.extension, result.pages) == ("ppt", 8)
    assert time.monotonic() - started < 60
    assert requests == []
    assert_never_opened(picture)


def _png() -> bytes:
    """A valid 97x61 PNG, made by ffmpeg."""
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=red:s=97x61", "-frames:v", "1", "-f", "image2pipe"]
        + ["-c:v", "png", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html>\n<html><body><video src='lesson.mp4' autoplay></video></body></html>\n",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<image href="file:///etc/passwd"/></svg>\n',
    ],
    ids=["html", "svg"],
)
def test_html_and_svg_renamed_mp4_refused(tmp_path, content):
    upload = tmp_path / "lesson.mp4"
    upload.write_bytes(content)
    with pytest.raises(ProcessingFailed) as refused:
        inspect_file(upload, limits=LIMITS)
    assert refused.value.code == "not_media"


def _state(pid: int) -> str | None:
    """The process's state letter, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def test_tool_over_its_time_limit_killed_with_its_whole_group():
    seen: list[int] = []

    def on_line(line: str) -> None:
        time.sleep(0.3)  # both sleeps are started by now
        seen.extend(_group_members(int(line)))

    started = time.monotonic()
    with pytest.raises(ToolTimeout):
        run_tool(["sh", "-c", "echo $$; sleep 100 & sleep 100"], timeout=1.5, on_line=on_line)
    assert time.monotonic() - started < 5
    assert len(seen) == 3  # the shell and both sleeps
    time.sleep(0.2)
    # Dead: gone, or a zombie waiting for init to reap it.
    assert {pid: _state(pid) for pid in seen if _state(pid) not in (None, "Z")} == {}


GIB = 1024**3
#: What checking an archive may add to a process's peak memory.
ARCHIVE_CHECK_MEMORY = 150 * 1024**2


@pytest.fixture(scope="module")
def odp_bomb(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A 1 MB ODP whose ``mimetype`` member inflates to 1 GiB of zeros."""
    path = tmp_path_factory.mktemp("bomb") / "lesson.odp"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(GIB // len(chunk)):
                member.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    assert path.stat().st_size < 1.1 * 1024**2
    return path


def test_odp_bomb_refused_by_every_reader_at_once(odp_bomb, tmp_path):
    started = time.monotonic()
    with odp_bomb.open("rb") as stream, pytest.raises(ProcessingFailed) as detected:
        detect(stream)
    with pytest.raises(ProcessingFailed) as inspected:
        inspect_file(odp_bomb, limits=LIMITS)
    with pytest.raises(ProcessingFailed) as checked:
        office.check_archive(odp_bomb)
    with pytest.raises(ProcessingFailed) as cut:
        office.cut_outside_links(odp_bomb, "odp", tmp_path / "copy.odp")
    assert time.monotonic() - started < 2
    packed = zipfile.ZipFile(odp_bomb).getinfo("mimetype").compress_size
    assert [failed.value.code for failed in (detected, inspected, checked, cut)] == ["archive_too_big"] * 4
    assert detected.value.detail == f"mimetype: {packed} bytes unpack to {GIB}"
    assert not (tmp_path / "copy.odp").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "The presentation unpacks into far more data or parts than a presentation needs. "
            "Make the pictures and videos inside it smaller, or save it as PDF, and upload it again.",
        ),
        (
            "ru",
            "После распаковки в презентации оказывается гораздо больше данных или частей, чем ей нужно. "
            "Уменьшите изображения и видео внутри неё или сохраните её в формате PDF и загрузите снова.",
        ),
        (
            "kk",
            "Презентация ашылғанда қажетінен әлдеқайда көп деректер немесе бөліктер шығады. "
            "Ішіндегі суреттер мен бейнелерді кішірейтіңіз немесе оны PDF пішімінде сақтаңыз да, қайта жүктеңіз.",
        ),
    ],
)
def test_odp_bomb_upload_refused_in_the_web_process_with_a_translated_reason(db, odp_bomb, language, message):
    from django.utils import translation

    from config.exceptions import FileRefused
    from media_pipeline.services import asset_check_upload
    from tests.factories import EntryFactory

    entry = EntryFactory()
    with translation.override(language), odp_bomb.open("rb") as stream, pytest.raises(FileRefused) as refused:
        asset_check_upload(entry=entry, stream=stream, size=odp_bomb.stat().st_size)
    assert (str(refused.value), refused.value.code) == (message, "archive_too_big")


MEMORY_PROBE = """
import resource, sys
import django
django.setup()
from media_pipeline import office
from media_pipeline.detect import detect
from media_pipeline.reasons import ProcessingFailed
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
codes = []
for check in (
    lambda: detect(open(sys.argv[1], "rb")),
    lambda: office.check_archive(office.Path(sys.argv[1])),
    lambda: office.cut_outside_links(office.Path(sys.argv[1]), "odp", office.Path(sys.argv[2])),
):
    try:
        check()
        codes.append("")
    except ProcessingFailed as failed:
        codes.append(failed.code)
print(",".join(codes), (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


def test_odp_bomb_checked_in_bounded_memory(odp_bomb, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(odp_bomb), str(tmp_path / "copy.odp")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr
    codes, grown = result.stdout.split()
    assert codes == "archive_too_big,archive_too_big,archive_too_big"
    assert int(grown) < ARCHIVE_CHECK_MEMORY


@pytest.fixture
def no_network_namespace(monkeypatch):  # type: ignore[no-untyped-def]
    """A system where ``unshare --net`` fails, as in a container without the right to make namespaces."""
    from media_pipeline import tools

    monkeypatch.setattr(tools, "UNSHARE", "false")  # the probe runs `false --net -- true`, which fails
    assert tools.network_isolation_prefix() == ()


def test_office_conversion_refused_when_the_network_cannot_be_isolated(no_network_namespace, tmp_path, caplog):
    deck = corpus_file("presentations/python_pptx_tbl_cell.pptx")
    pdf = tmp_path / "lesson.pdf"
    with caplog.at_level("ERROR", logger="media_pipeline.tools"), pytest.raises(ProcessingFailed) as refused:
        office.convert_to_pdf(deck, "pptx", pdf, timeout=60)
    assert refused.value.code == "network_not_isolated"
    assert "OFFICE_NETWORK_ISOLATED_EXTERNALLY=1" in refused.value.detail
    assert [record.getMessage().split(":")[0] for record in caplog.records] == ["refused to run soffice"]
    assert not pdf.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Presentations cannot be converted at the moment: the server is not set up to open them safely. "
            "The organisers have been told. Upload the presentation as PDF, or upload it again later.",
        ),
        (
            "ru",
            "Сейчас презентации не удаётся преобразовать: сервер не настроен для их безопасного открытия. "
            "Организаторы уведомлены. Загрузите презентацию в формате PDF или загрузите её снова позже.",
        ),
        (
            "kk",
            "Қазір презентацияларды түрлендіру мүмкін емес: сервер оларды қауіпсіз ашуға бапталмаған. "
            "Ұйымдастырушыларға хабарланды. Презентацияны PDF ретінде жүктеңіз немесе кейінірек қайта жүктеңіз.",
        ),
    ],
)
def test_office_file_fails_with_a_reason_for_its_author_when_the_network_cannot_be_isolated(
    no_network_namespace, db, language, message
):
    from django.utils import translation

    from media_pipeline.enums import AssetStatus
    from media_pipeline.pipeline import asset_process
    from media_pipeline.reasons import reason_text
    from tests.factories import EntryFactory
    from tests.media_pipeline.helpers import add_asset

    asset = add_asset(EntryFactory(), corpus_file("presentations/python_pptx_tbl_cell.pptx"))
    asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert (asset.status, asset.reason_code, asset.renditions.count()) == (
        AssetStatus.FAILED,
        "network_not_isolated",
        0,
    )
    assert "unshare --net failed" in asset.reason  # for the operators' monitoring page
    with translation.override(language):
        assert reason_text(asset.reason_code) == message


def test_office_conversion_runs_when_the_operator_says_the_network_is_isolated(
    no_network_namespace, settings, tmp_path
):
    settings.OFFICE_NETWORK_ISOLATED_EXTERNALLY = True
    pdf = tmp_path / "lesson.pdf"
    office.convert_to_pdf(corpus_file("presentations/python_pptx_tbl_cell.pptx"), "pptx", pdf, timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_office_conversion_runs_in_an_empty_network_namespace_where_the_system_allows(tmp_path):
    from media_pipeline import tools

    prefix = tools.network_isolation_prefix()
    if not prefix:
        pytest.skip("this system allows no network namespace")
    assert prefix[1:] in (("--net", "--"), ("--map-root-user", "--net", "--"))
    pdf = tmp_path / "lesson.pdf"
    office.convert_to_pdf(corpus_file("presentations/python_pptx_tbl_cell.pptx"), "pptx", pdf, timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-"
