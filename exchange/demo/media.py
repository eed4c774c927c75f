"""The demo's media files: small PDFs written by hand and a short video made by ffmpeg, attached as uploads."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from contest.models import Entry
from exchange.demo.plan import DemoPlan
from media_pipeline.services import asset_store_imported

MEDIA_FILE_NAMES = {
    "pdf": {"en": "lesson-slides.pdf", "ru": "презентация-урока.pdf", "kk": "сабақ-презентациясы.pdf"},
    "video": {"en": "lesson-recording.mp4", "ru": "запись-урока.mp4", "kk": "сабақ-жазбасы.mp4"},
}


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(*, title: str, pages: int) -> bytes:
    """A small valid PDF of ``pages`` 16:9 slides, written by hand (ASCII text only)."""
    colours = ["0.16 0.38 0.62", "0.15 0.55 0.45", "0.80 0.45 0.15", "0.55 0.25 0.55"]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the page numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for page in range(1, pages + 1):
        content = (
            f"q {colours[(page - 1) % len(colours)]} rg 0 0 960 540 re f Q\n"
            f"BT /F1 44 Tf 1 1 1 rg 60 380 Td ({_pdf_text(title)}) Tj ET\n"
            f"BT /F2 28 Tf 1 1 1 rg 60 300 Td (Slide {page} of {pages}) Tj ET\n"
        ).encode("ascii")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % content_number
        )
        kids.append(f"{len(objects)} 0 R".encode())
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def demo_video() -> bytes | None:
    """A 2-second 320x240 MP4 (test pattern and a tone) made by ffmpeg, or ``None`` without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory(prefix="baige-demo-") as folder:
        target = Path(folder) / "demo.mp4"
        for codec in (["-c:v", "libx264", "-pix_fmt", "yuv420p"], ["-c:v", "mpeg4"]):
            command = [
                ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                *codec, "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(target),
            ]  # fmt: skip
            try:
                subprocess.run(command, check=True, capture_output=True, timeout=60)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
                continue
            return target.read_bytes()
    return None


def demo_media_attach(*, plan: DemoPlan, entries: dict[str, Entry], users: dict[str, Any]) -> tuple[int, bool]:
    """Upload the planned files that entries lack; return how many were added and whether videos were skipped."""
    added, video_skipped = 0, False
    languages = {person.email: person.language for person in plan.participants}
    wanted = [item for item in plan.entries if item.media and entries[item.code].media_id is None]
    video = demo_video() if any(item.media == "video" for item in wanted) else None
    for number, item in enumerate(wanted):
        if item.media == "video":
            if video is None:
                video_skipped = True
                continue
            data = video
        else:
            data = demo_pdf(title=f"Baige demo - entry {item.code}", pages=3 + number % 4)
        entry = entries[item.code]
        asset_store_imported(
            entry=entry,
            stream=io.BytesIO(data),
            name=MEDIA_FILE_NAMES[item.media][languages[item.author]],
            size=len(data),
        )
        added += 1
    return added, video_skipped
