"""Presentations and PDFs: zip checks before LibreOffice, conversion to PDF, page count and page images.

A presentation may link content from outside itself (a picture, sound or object at a URL or a local
path) and LibreOffice would load it while converting: a request to any server the worker can reach,
or a file of the worker's disk copied into the PDF. Three layers stop that:

- links to outside content are cut from a PPTX/PPTM/ODP before LibreOffice sees it (hyperlinks,
  which nothing loads, stay);
- LibreOffice runs with a fresh private profile per conversion that refuses links from untrusted
  documents (``BlockUntrustedRefererLinks``) and disables macros entirely;
- LibreOffice runs in an empty network namespace. Where the system cannot make one, nothing is converted
  (``network_not_isolated``) unless the operator states that the worker's network is cut off otherwise
  (``OFFICE_NETWORK_ISOLATED_EXTERNALLY``): the worker fails closed, never silently open.

Page images come from poppler's ``pdftoppm``.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import IO
from xml.etree import ElementTree  # noqa: S405 - expat refuses entity expansion attacks; no DTDs are fetched
from xml.parsers import expat  # noqa: S410 - the same expat, used for byte offsets

from contest.archives import ZIP_ERRORS, ArchiveLimits, ArchiveRefused, archive_check, member_open, member_read
from media_pipeline.reasons import ProcessingFailed
from media_pipeline.tools import GIB, MIB, run_step

#: Zip caps checked before LibreOffice opens a PPTX, PPTM or ODP: entries, and unpacked bytes
#: (or twice the packed size, when that is more).
MAX_ENTRIES = 2000
MAX_UNPACKED = 500 * MIB
#: An entry this big that shrank more than MAX_RATIO times is a bomb, not a picture or a slide.
RATIO_CHECKED_FROM = 10 * MIB
MAX_RATIO = 500
#: The part listing the slides is never this big in a real presentation, nor any XML part links are cut from.
MAX_INDEX_PART = 64 * MIB
#: What a presentation's zip directory may declare; the unpacked total may grow with the packed size
#: (``presentation_allowed_unpacked``), so one member is only capped by what a worker may write.
PRESENTATION_ARCHIVE = ArchiveLimits(
    max_members=MAX_ENTRIES,
    max_total=MAX_UNPACKED,
    max_member=8 * GIB,
    max_ratio=MAX_RATIO,
    ratio_checked_from=RATIO_CHECKED_FROM,
)
OFFICE_TIMEOUT = 300
OFFICE_MEMORY = 4 * GIB
PDF_MEMORY = 2 * GIB
PDFINFO_TIMEOUT = 60
#: Longest side of a page image and of the cover, in pixels.
PAGE_SIZE = 1600
COVER_SIZE = 480
JPEG_QUALITY = "quality=85"
#: Pages rendered by one pdftoppm run: few enough to report progress, enough to parse the PDF once for many.
PAGES_PER_RUN = 10

#: Settings of the private LibreOffice profile: no macros at all, no content loaded from links.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

PRESENTATION_INDEX = {"pptx": "ppt/presentation.xml", "pptm": "ppt/presentation.xml", "odp": "content.xml"}
ODF_PAGE = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}page"


def presentation_allowed_unpacked(packed: int) -> int:
    """Bytes a presentation of ``packed`` bytes may unpack to: ``MAX_UNPACKED``, or twice its size if more."""
    # A deck carrying a big video is big packed and unpacked alike; a bomb is small only packed.
    return max(MAX_UNPACKED, 2 * packed)


def _archive_failure(refused: ArchiveRefused) -> ProcessingFailed:
    code = "archive_too_big" if refused.code == "too_big" else "unreadable_presentation"
    return ProcessingFailed(code, detail=refused.detail)


def check_archive(path: Path) -> None:
    """Refuse a zip container that is corrupt (``unreadable_presentation``) or a bomb (``archive_too_big``).

    The sizes its directory declares are checked first; then every entry is inflated once through a
    bounded stream, with its CRC checked, so the sizes declared are the sizes LibreOffice will get.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            archive_check(
                archive, PRESENTATION_ARCHIVE, allowed_total=presentation_allowed_unpacked(path.stat().st_size)
            )
            for info in archive.infolist():
                if not info.is_dir():
                    with member_open(archive, info, limit=info.file_size) as member:
                        while member.read(MIB):
                            pass
    except ArchiveRefused as refused:
        raise _archive_failure(refused) from refused
    except ZIP_ERRORS as error:
        raise ProcessingFailed("unreadable_presentation", detail=f"zip: {error}") from error


def count_slides(path: Path, extension: str) -> int | None:
    """Slides listed in a PPTX/PPTM (``ppt/presentation.xml``) or ODP (``content.xml``); None for other types."""
    part = PRESENTATION_INDEX.get(extension)
    if part is None:
        return None
    try:
        with (
            zipfile.ZipFile(path) as archive,
            member_open(archive, archive.getinfo(part), limit=MAX_INDEX_PART) as stream,
        ):
            return _count_slides(stream, extension)
    except ArchiveRefused as refused:
        raise _archive_failure(refused) from refused
    except (ElementTree.ParseError, *ZIP_ERRORS) as error:
        raise ProcessingFailed("unreadable_presentation", detail=f"{part}: {error}") from error


def _count_slides(stream: IO[bytes], extension: str) -> int:
    count = 0
    for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
        tag = element.tag
        if extension == "odp":
            count += tag == ODF_PAGE
        else:
            # Transitional and Strict OOXML name the namespace differently; the element is sldId in both.
            count += tag.rsplit("}", 1)[-1] == "sldId"
        element.clear()
    return count


def convert_to_pdf(
    source: Path,
    extension: str,
    output: Path,
    *,
    timeout: float = OFFICE_TIMEOUT,
    cut_links: bool = True,
    isolate_network: bool = True,
) -> None:
    """Convert a presentation to ``output`` (a PDF) with LibreOffice; ``unreadable_presentation`` if none comes out.

    ``cut_links`` and ``isolate_network`` turn on two of the three layers that keep LibreOffice from
    loading outside content (the profile is always there), so each can be checked alone.
    """
    with TemporaryDirectory(prefix=".office-", dir=output.parent) as tmp:
        root = Path(tmp)
        user = root / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
        for folder in ("home", "tmp", "in", "out"):
            (root / folder).mkdir()
        # LibreOffice picks its import filter partly by the name; the name comes from the detected type.
        document = root / "in" / f"presentation.{extension}"
        if not (cut_links and cut_outside_links(source, extension, document)):
            document.symlink_to(source.resolve())
        result = run_step(
            ["soffice", f"-env:UserInstallation={(root / 'profile').as_uri()}", *SOFFICE_OPTIONS]
            + ["--convert-to", "pdf", "--outdir", str(root / "out"), str(document)],
            code="unreadable_presentation",
            timeout=timeout,
            memory=OFFICE_MEMORY,
            cwd=root,
            env={"HOME": str(root / "home"), "TMPDIR": str(root / "tmp"), "SAL_USE_VCLPLUGIN": "svp"},
            isolate_network=isolate_network,
        )
        produced = root / "out" / "presentation.pdf"
        # soffice exits 0 when it could not load the file, and writes nothing.
        if not produced.is_file() or produced.stat().st_size == 0 or _head(produced, 5) != b"%PDF-":
            said = result.stdout.decode("utf-8", "replace").strip()
            raise ProcessingFailed(
                "unreadable_presentation", detail=f"LibreOffice wrote no PDF\n{said}\n{result.stderr}"
            )
        shutil.move(produced, output)


SOFFICE_OPTIONS = (
    "--headless",
    "--invisible",
    "--nocrashreport",
    "--nodefault",
    "--nofirststartwizard",
    "--nolockcheck",
    "--nologo",
    "--norestore",
)


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def pdf_pages(path: Path, *, code: str = "unreadable_pdf") -> int:
    """The number of pages of a PDF (pdfinfo); ``protected_pdf`` if it needs a password, else ``code`` if unreadable."""
    try:
        result = run_step(["pdfinfo", str(path.resolve())], code=code, timeout=PDFINFO_TIMEOUT, memory=PDF_MEMORY)
    except ProcessingFailed as failed:
        if failed.code == code and "password" in failed.detail.lower():
            raise ProcessingFailed("protected_pdf", detail=failed.detail) from failed
        raise
    match = re.search(rb"^Pages:\s+(\d+)\s*$", result.stdout, re.MULTILINE)
    if match is None:
        raise ProcessingFailed(code, detail=f"pdfinfo gave no page count\n{result.stdout[-2000:]!r}")
    return int(match.group(1))


def render_cover(pdf: Path, output: Path) -> None:
    """Write a small JPEG of the first page (longest side ``COVER_SIZE`` pixels)."""
    prefix = output.with_suffix("")
    run_step(
        ["pdftoppm", "-jpeg", "-jpegopt", JPEG_QUALITY, "-scale-to", str(COVER_SIZE), "-f", "1", "-l", "1"]
        + ["-singlefile", str(pdf.resolve()), str(prefix)],
        code="unreadable_pdf",
        timeout=PDFINFO_TIMEOUT,
        memory=PDF_MEMORY,
    )
    produced = prefix.with_suffix(".jpg")
    if produced != output:
        produced.replace(output)
    if not output.is_file() or output.stat().st_size == 0:
        raise ProcessingFailed("unreadable_pdf", detail="pdftoppm wrote no cover")


def page_runs(pages: list[int]) -> Iterator[list[int]]:
    """Consecutive pages in runs of at most ``PAGES_PER_RUN``: ``[1, 2, 3, 7]`` → ``[1, 2, 3]``, ``[7]``."""
    run: list[int] = []
    for page in sorted(pages):
        if run and (page != run[-1] + 1 or len(run) == PAGES_PER_RUN):
            yield run
            run = []
        run.append(page)
    if run:
        yield run


def render_pages(pdf: Path, pages: list[int], folder: Path) -> dict[int, Path]:
    """Render consecutive ``pages`` of ``pdf`` to JPEGs (longest side ``PAGE_SIZE``) in ``folder``: page → file."""
    first, last = pages[0], pages[-1]
    with TemporaryDirectory(prefix=".pages-", dir=folder) as tmp:
        run_step(
            ["pdftoppm", "-jpeg", "-jpegopt", JPEG_QUALITY, "-scale-to", str(PAGE_SIZE), "-f", str(first)]
            + ["-l", str(last), str(pdf.resolve()), str(Path(tmp) / "p")],
            code="unreadable_pdf",
            timeout=PDFINFO_TIMEOUT + 30 * len(pages),
            memory=PDF_MEMORY,
        )
        rendered: dict[int, Path] = {}
        for produced in Path(tmp).glob("p-*.jpg"):
            page = int(produced.stem.rsplit("-", 1)[-1])
            if first <= page <= last and produced.stat().st_size > 0:
                target = folder / f"page-{page:04d}.jpg"
                produced.replace(target)
                rendered[page] = target
    missing = [page for page in pages if page not in rendered]
    if missing:
        raise ProcessingFailed("unreadable_pdf", detail=f"pdftoppm rendered no image of pages {missing}")
    return rendered


def jpeg_size(path: Path) -> tuple[int, int]:
    """Width and height of a JPEG, read from its frame header."""
    with path.open("rb") as stream:
        data = stream.read(256 * 1024)
    if data[:2] != b"\xff\xd8":
        raise ValueError(f"{path.name} is not a JPEG")
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            position += 1
            continue
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            position += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            return width, height
        position += 2 + length
    raise ValueError(f"{path.name} has no frame header in its first 256 KiB")


XLINK = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{XLINK} href"
RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
#: Elements whose link is a hyperlink a reader may follow, never loaded by LibreOffice.
ODF_HYPERLINKS = {
    "urn:oasis:names:tc:opendocument:xmlns:text:1.0 a",
    "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0 a",
}
SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
#: URL schemes naming a part of the package itself.
PACKAGE_SCHEMES = ("vnd.sun.star.package:", "vnd.sun.star.graphicobject:")
ATTRIBUTE = re.compile(rb"""([^\s=/<>]+)\s*=\s*("[^"]*"|'[^']*')""")


def cut_outside_links(source: Path, extension: str, target: Path) -> bool:
    """Write ``target``: ``source`` without its links to outside content; False (nothing written) if it has none.

    PPTX/PPTM: relationships to outside targets other than hyperlinks are removed. ODP: ``xlink:href``
    attributes pointing outside the package are removed, except on hyperlinks. A link that survives the
    cut (an exotic encoding) fails the file as unreadable rather than reaching LibreOffice.
    """
    if extension in ("pptx", "pptm"):
        suffix, scan = ".rels", _ooxml_links
    elif extension == "odp":
        suffix, scan = ".xml", _odf_links
    else:
        return False
    changed: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(source) as archive:
            archive_check(
                archive, PRESENTATION_ARCHIVE, allowed_total=presentation_allowed_unpacked(source.stat().st_size)
            )
            for info in archive.infolist():
                if info.filename.endswith(suffix) and info.filename != "META-INF/manifest.xml":
                    data = member_read(archive, info, limit=MAX_INDEX_PART)
                    cuts, found = scan(data)
                    if found:
                        changed[info.filename] = _cut(data, cuts)
                        if scan(changed[info.filename])[1]:
                            raise ProcessingFailed(
                                "unreadable_presentation", detail=f"{info.filename}: a link to outside content"
                            )
            if not changed:
                return False
            with zipfile.ZipFile(target, "w") as copy:
                for info in archive.infolist():
                    if info.filename in changed:
                        copy.writestr(info, changed[info.filename], info.compress_type)
                    else:
                        _copy_member(archive, info, copy)
    except ArchiveRefused as refused:
        raise _archive_failure(refused) from refused
    except expat.ExpatError as error:
        raise ProcessingFailed("unreadable_presentation", detail=f"XML: {error}") from error
    except ZIP_ERRORS as error:
        raise ProcessingFailed("unreadable_presentation", detail=f"zip: {error}") from error
    return True


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, copy: zipfile.ZipFile) -> None:
    """Copy one member, streamed: a picture or video inside a deck is never held in memory whole."""
    written = zipfile.ZipInfo(info.filename, info.date_time)
    written.compress_type = info.compress_type
    written.external_attr = info.external_attr
    written.comment = info.comment
    # The declared size decides whether the copy needs zip64 headers.
    written.file_size = info.file_size
    if info.is_dir():
        copy.writestr(written, b"")
        return
    with member_open(archive, info, limit=info.file_size) as source, copy.open(written, "w") as target:
        shutil.copyfileobj(source, target, MIB)


def _cut(data: bytes, cuts: list[tuple[int, int]]) -> bytes:
    for start, end in sorted(cuts, reverse=True):
        data = data[:start] + data[end:]
    return data


def _tag_end(data: bytes, start: int) -> int:
    """The index after the ``>`` closing the tag that starts at ``start`` (a ``>`` may sit inside a quoted value)."""
    quote = 0
    for index in range(start, len(data)):
        byte = data[index]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index + 1
    return len(data)


def _outside(target: str, *, package_paths_relative: bool) -> bool:
    value = html.unescape(target).strip()
    if not value or value.startswith("#"):
        return False
    if SCHEME.match(value):
        return not value.lower().startswith(PACKAGE_SCHEMES)
    if not package_paths_relative:
        return False
    return value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/")


def _ooxml_links(data: bytes) -> tuple[list[tuple[int, int]], int]:
    """The relationships of a ``.rels`` part that load something from outside the package: byte ranges, count."""
    parser = expat.ParserCreate(namespace_separator=" ")
    cuts: list[tuple[int, int]] = []
    open_cut: list[int] = []
    found = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal found
        if name != RELATIONSHIP:
            return
        external = attributes.get("TargetMode", "").strip().lower() == "external"
        hyperlink = attributes.get("Type", "").rstrip("/").endswith("/hyperlink")
        if hyperlink or not (external or _outside(attributes.get("Target", ""), package_paths_relative=False)):
            return
        found += 1
        position = parser.CurrentByteIndex
        end = _tag_end(data, position)
        if data[end - 2 : end] == b"/>":
            cuts.append((position, end))
        else:
            open_cut.append(position)

    def finish(name: str) -> None:
        if name == RELATIONSHIP and open_cut:
            cuts.append((open_cut.pop(), _tag_end(data, parser.CurrentByteIndex)))

    parser.StartElementHandler = start
    parser.EndElementHandler = finish
    parser.Parse(data, True)
    return cuts, found


def _odf_links(data: bytes) -> tuple[list[tuple[int, int]], int]:
    """The ``xlink:href`` attributes of an ODF XML part that load something from outside: byte ranges, count."""
    parser = expat.ParserCreate(namespace_separator=" ")
    cuts: list[tuple[int, int]] = []
    prefixes: dict[str, list[str]] = {}
    found = 0

    def declare(prefix: str | None, uri: str) -> None:
        prefixes.setdefault(prefix or "", []).append(uri)

    def undeclare(prefix: str | None) -> None:
        prefixes[prefix or ""].pop()

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal found
        href = attributes.get(XLINK_HREF)
        if href is None or name in ODF_HYPERLINKS or not _outside(href, package_paths_relative=True):
            return
        found += 1
        position = parser.CurrentByteIndex
        tag = data[position : _tag_end(data, position)]
        for match in ATTRIBUTE.finditer(tag):
            prefix, _, local = match.group(1).decode("utf-8", "replace").rpartition(":")
            if local == "href" and prefix and (prefixes.get(prefix) or [""])[-1] == XLINK:
                cuts.append((position + match.start(), position + match.end()))

    parser.StartNamespaceDeclHandler = declare
    parser.EndNamespaceDeclHandler = undeclare
    parser.StartElementHandler = start
    parser.Parse(data, True)
    return cuts, found
