"""Benchmark: the media pipeline, with files on an S3-compatible server, against the bare tools.

Prints four lines ``BENCH <name> <value> <unit> ratio=<r> target=<t>``:

- ``media_video_720p_60s``: seconds ``asset_process`` takes a 60-second 720p video from uploaded to
  ready (download, inspection, video-720, video-360, poster, strip, their upload and records). The
  reference, measured in the same run on local disk, is the bare ffmpeg commands making the same four
  outputs. The ratio says what the pipeline costs on top of the encoding itself.
- ``media_pptx_20_slides``: the same for a 20-slide PPTX (pdf, cover, 20 page images) against bare
  soffice and pdftoppm.
- ``media_worker_peak_memory_1gib``: the peak resident memory (VmHWM, MiB) of a worker process that
  processes a 1 GiB video from the S3 server. There is no reference run here: the "reference" is the
  budget of 400 MiB, so ratio = value / 400 and the target is 1.0. Only streaming keeps it there.
- ``media_transcode_speed``: how many times faster than real time the video-720 command encodes the
  60-second clip (clip duration / seconds of that command in the reference run). ratio = value and the
  target is 1.0: a worker must keep up with what it is sent.

The video and presentation measures are taken ``ROUNDS`` times, reference and pipeline in turn, and
the fastest of each is kept. The reference runs the very command lines the pipeline runs:
``ffmpeg.make_video_720`` and the other builders are called with their ``run_step`` swapped for a plain
``subprocess.run``, so the reference has no process group, time or memory limit, network namespace or
progress reading, and no probes, downloads, uploads or database writes.

Inputs are made in a temporary folder. The video is 1280x720 at 30 fps, MPEG-4 Part 2 with MP3 sound
in AVI (what older cameras and screen recorders write, which no browser plays), so both streams are
encoded, never copied. The 1 GiB video is uncompressed 1080p with grain in Matroska: quick to write,
scaled down to 720p, and its video-720 (about 50 MB) big enough to be uploaded in parts. The PPTX is
a corpus presentation with photos, its slides repeated up to 20. Everything runs on SQLite in a
temporary folder unless ``DATABASE_URL`` is set; what was made is removed at the end.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

if TYPE_CHECKING:
    from contest.models import Entry
    from media_pipeline.models import MediaAsset
    from media_pipeline.tools import ToolResult

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PPTX = ROOT.parent / "shared" / "corpus" / "presentations" / "onlyoffice_sample_presentation_ru.pptx"
TARGET_RATIO = 1.25
#: Runs of the video and presentation measures; the fastest counts.
ROUNDS = 3
MEMORY_BUDGET_MIB = 400
CLIP_SECONDS = 60
SLIDES = 20
GIB = 1024**3
#: Bytes of one uncompressed 1080p 4:2:0 frame.
FRAME_1080P = 1920 * 1080 * 3 // 2
BUCKET = "baige-bench"
#: moto takes any key; these only have to be the same on both sides.
S3_KEY = "bench"
TONE = "sine=frequency=440:sample_rate=48000"
VIDEO_OUTPUTS = {"video-720", "video-360", "poster", "strip"}


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG is off: a key of this run's own
    import django

    django.setup()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args], check=True)


def make_clip(path: Path) -> None:
    """A 60-second 720p clip in MPEG-4 Part 2 and MP3: the pipeline must encode both streams."""
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", TONE,
        "-t", str(CLIP_SECONDS), "-c:v", "mpeg4", "-q:v", "4", "-c:a", "libmp3lame", "-b:a", "128k", "-ac", "2",
        str(path),
    )  # fmt: skip


def make_big_video(path: Path) -> None:
    """About 1 GiB of uncompressed 1080p video with PCM sound, written in seconds.

    The grain keeps the encoder from squeezing it: video-720 comes out around 50 MB, so it goes up to
    the S3 server in parts, as long videos do.
    """
    seconds = math.ceil(GIB / FRAME_1080P) / 30
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=60:allf=t+u", "-f", "lavfi", "-i", TONE,
        "-t", f"{seconds:.3f}", "-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-c:a", "pcm_s16le", str(path),
    )  # fmt: skip


def make_pptx(source: Path, target: Path, slides: int) -> None:
    """``source`` with its slides repeated in order until there are ``slides`` of them."""
    with zipfile.ZipFile(source) as original:
        parts = {info.filename: original.read(info) for info in original.infolist() if not info.is_dir()}
    existing = sorted(
        int(match.group(1)) for name in parts if (match := re.fullmatch(r"ppt/slides/slide(\d+)\.xml", name))
    )
    presentation = parts["ppt/presentation.xml"].decode("utf-8")
    relationships = parts["ppt/_rels/presentation.xml.rels"].decode("utf-8")
    content_types = parts["[Content_Types].xml"].decode("utf-8")
    next_id = max(int(found) for found in re.findall(r'<p:sldId id="(\d+)"', presentation)) + 1
    new_ids, new_rels, new_types = [], [], []
    for number in range(len(existing) + 1, slides + 1):
        copied = existing[(number - 1) % len(existing)]
        parts[f"ppt/slides/slide{number}.xml"] = parts[f"ppt/slides/slide{copied}.xml"]
        rels = parts[f"ppt/slides/_rels/slide{copied}.xml.rels"].decode("utf-8")
        # A notes page belongs to one slide; the copies go without.
        rels = re.sub(r'<Relationship [^>]*relationships/notesSlide"[^>]*/>', "", rels)
        parts[f"ppt/slides/_rels/slide{number}.xml.rels"] = rels.encode("utf-8")
        new_ids.append(f'<p:sldId id="{next_id}" r:id="rIdBench{number}"/>')
        next_id += 1
        new_rels.append(
            f'<Relationship Id="rIdBench{number}" Target="slides/slide{number}.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"/>'
        )
        new_types.append(
            f'<Override PartName="/ppt/slides/slide{number}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
        )
    parts["ppt/presentation.xml"] = presentation.replace("</p:sldIdLst>", "".join(new_ids) + "</p:sldIdLst>").encode()
    parts["ppt/_rels/presentation.xml.rels"] = relationships.replace(
        "</Relationships>", "".join(new_rels) + "</Relationships>"
    ).encode()
    parts["[Content_Types].xml"] = content_types.replace("</Types>", "".join(new_types) + "</Types>").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        # The content types come first, as Office writes them.
        copy.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        for name, data in parts.items():
            copy.writestr(name, data)


def _bare_run_step(
    args: Sequence[str],
    *,
    code: str,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    **_guards: Any,
) -> ToolResult:
    """The tool alone, as ``subprocess.run`` starts it: none of ``tools.run_step``'s guards or progress reading."""
    from media_pipeline.tools import BASE_ENV, ToolResult

    started = time.monotonic()
    environment = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), **BASE_ENV, **(env or {})}
    done = subprocess.run(
        list(args), stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd, env=environment, timeout=timeout
    )
    stderr = done.stderr.decode("utf-8", "replace")[-8000:]
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} exited with {done.returncode} ({code})\n{stderr}")
    return ToolResult(
        args=tuple(args), returncode=0, stdout=done.stdout, stderr=stderr, seconds=time.monotonic() - started
    )


@contextmanager
def bare_tools() -> Iterator[None]:
    """The command builders of ``ffmpeg.py`` and ``office.py`` run their commands bare."""
    from media_pipeline import ffmpeg, office

    with mock.patch.object(ffmpeg, "run_step", _bare_run_step), mock.patch.object(office, "run_step", _bare_run_step):
        yield


def video_reference(source: Path, folder: Path, max_duration: int) -> tuple[float, float]:
    """Seconds of the bare commands making video-720, video-360, poster and strip; and of video-720 alone."""
    from media_pipeline import ffmpeg

    folder.mkdir()
    info = ffmpeg.probe(source)
    video_720 = folder / "video-720.mp4"
    with bare_tools():
        started = time.perf_counter()
        ffmpeg.make_video_720(source, info, video_720, duration=info.duration, max_duration=max_duration)
        transcode = time.perf_counter() - started
    # The pipeline probes video-720 too; that is its work, not the tools'.
    info_720 = ffmpeg.probe(video_720)
    with bare_tools():
        started = time.perf_counter()
        ffmpeg.make_video_360(video_720, info_720, folder / "video-360.mp4", on_progress=None)
        ffmpeg.make_poster(video_720, info_720.duration, folder / "poster.jpg")
        ffmpeg.make_strip(video_720, info_720.duration, folder / "strip.jpg")
        rest = time.perf_counter() - started
    return transcode + rest, transcode


def pptx_reference(source: Path, folder: Path) -> float:
    """Seconds of bare soffice (a fresh private profile, as always) and pdftoppm for the pdf, cover and pages."""
    from media_pipeline import office

    folder.mkdir()
    pdf = folder / "pdf.pdf"
    with bare_tools():
        started = time.perf_counter()
        office.convert_to_pdf(source, "pptx", pdf, cut_links=False, isolate_network=False)
        office.render_cover(pdf, folder / "cover.jpg")
        for run in office.page_runs(list(range(1, SLIDES + 1))):
            office.render_pages(pdf, run, folder)
        elapsed = time.perf_counter() - started
    made = office.pdf_pages(pdf)
    assert made == SLIDES, f"LibreOffice made {made} pages of {SLIDES} slides"
    return elapsed


def add_asset(entry: Entry, path: Path) -> MediaAsset:
    """Store ``path`` as a new, not yet verified file of ``entry``, as an upload does."""
    from django.core.files import File

    from media_pipeline.models import MediaAsset

    asset = MediaAsset(entry=entry, original_name=path.name, size=path.stat().st_size)
    with path.open("rb") as stream:
        asset.original.save(f"original{path.suffix}", File(stream), save=False)
    asset.save()
    return asset


def timed_process(asset: MediaAsset, expected: set[str]) -> float:
    """Seconds ``asset_process`` takes the asset from uploaded to ready, with exactly the ``expected`` outputs."""
    from media_pipeline.enums import AssetStatus
    from media_pipeline.pipeline import asset_process

    started = time.perf_counter()
    processed = asset_process(asset_id=asset.pk)
    elapsed = time.perf_counter() - started
    failure = processed and (processed.status, processed.reason_code, processed.reason)
    assert processed is not None and processed.status == AssetStatus.READY, failure
    names = set(processed.renditions.values_list("name", flat=True))
    assert names == expected, sorted(names ^ expected)
    return elapsed


def worker_peak_mib(asset: MediaAsset) -> float:
    """Peak resident memory of a fresh worker process (``--worker``) processing ``asset``, in MiB."""
    from django.db import connections

    connections.close_all()  # SQLite: the worker writes while this process waits
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(asset.pk)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the worker failed\n{done.stdout}\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "ready", report
    return float(report["peak_kib"]) / 1024


def worker(asset_id: int) -> None:
    """Process one asset in this fresh process, then print its status and the peak resident memory."""
    _setup_django()
    from media_pipeline.pipeline import asset_process

    asset = asset_process(asset_id=asset_id)
    status = Path("/proc/self/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None, "no VmHWM in /proc/self/status"
    report = {
        "status": asset.status if asset else None,
        "reason": asset.reason_code if asset else None,
        "peak_kib": int(match.group(1)),
    }
    print(json.dumps(report))


def bench(tmp: Path, endpoint: str) -> None:
    """Set up Django on the S3 server, make the inputs, run every measure and print the results."""
    os.environ.update(
        {
            "BAIGE_DATA_DIR": str(tmp / "var"),
            "MEDIA_WORK_DIR": str(tmp / "work"),
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": S3_KEY,
            "S3_SECRET_ACCESS_KEY": S3_KEY,
            "S3_REGION": "us-east-1",
            "S3_PREFIX": "",
        }
    )
    _setup_django()
    # The S3 server's request log would bury the results.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    import boto3  # type: ignore[import-untyped]
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from contest.models import Contest, Entry, Nomination
    from media_pipeline.processing import Limits

    s3 = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_KEY, region_name="us-east-1"
    )
    s3.create_bucket(Bucket=BUCKET)
    call_command("migrate", "--noinput", verbosity=0)

    now = timezone.now()
    user = get_user_model().objects.create(username=f"bench-media-{os.getpid()}", email="bench-media@example.org")
    contest = Contest.objects.create(
        slug=f"bench-media-{os.getpid()}",
        name="Media benchmark",
        submissions_open=now - timedelta(days=1),
        submissions_close=now + timedelta(days=1),
    )
    try:
        nomination = Nomination.objects.create(contest=contest, slug="bench", name="Benchmark")

        def new_entry() -> Entry:
            return Entry.objects.create(contest=contest, author=user, title="Benchmark", nomination=nomination)

        inputs = tmp / "inputs"
        inputs.mkdir()

        # Each measure is taken ROUNDS times, the reference and the pipeline in turn, and the best kept:
        # other work on the machine only ever makes a run slower.
        clip = inputs / "clip.avi"
        make_clip(clip)
        max_duration = Limits.of_contest(contest).max_duration
        references, transcodes, values = [], [], []
        for round_ in range(ROUNDS):
            reference, transcode = video_reference(clip, tmp / f"reference-video-{round_}", max_duration)
            references.append(reference)
            transcodes.append(transcode)
            values.append(timed_process(add_asset(new_entry(), clip), VIDEO_OUTPUTS))
        value, reference = min(values), min(references)
        print(
            f"BENCH media_video_720p_60s {value:.2f} s ratio={value / reference:.2f} target={TARGET_RATIO}", flush=True
        )

        deck = inputs / "deck.pptx"
        make_pptx(CORPUS_PPTX, deck, SLIDES)
        pages = {f"page-{page:04d}" for page in range(1, SLIDES + 1)}
        references, values = [], []
        for round_ in range(ROUNDS):
            references.append(pptx_reference(deck, tmp / f"reference-pptx-{round_}"))
            values.append(timed_process(add_asset(new_entry(), deck), {"pdf", "cover", *pages}))
        value, reference = min(values), min(references)
        print(
            f"BENCH media_pptx_20_slides {value:.2f} s ratio={value / reference:.2f} target={TARGET_RATIO}", flush=True
        )

        big = inputs / "big.mkv"
        make_big_video(big)
        asset = add_asset(new_entry(), big)
        big.unlink()  # it is on the S3 server now; the worker downloads it
        peak = worker_peak_mib(asset)
        # No reference run: the reference is the memory budget.
        print(
            f"BENCH media_worker_peak_memory_1gib {peak:.0f} MB ratio={peak / MEMORY_BUDGET_MIB:.2f} target=1.0",
            flush=True,
        )

        speed = CLIP_SECONDS / min(transcodes)
        # Faster than real time is the target: the ratio is the speed itself.
        print(f"BENCH media_transcode_speed {speed:.2f} x ratio={speed:.2f} target=1.0", flush=True)
    finally:
        # On a given DATABASE_URL nothing of the benchmark stays behind.
        Entry.objects.filter(contest=contest).delete()
        contest.delete()
        user.delete()


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        worker(int(sys.argv[2]))
        return
    if not CORPUS_PPTX.is_file():
        sys.exit(f"the corpus must sit beside the repository: {CORPUS_PPTX}")
    from moto.server import ThreadedMotoServer

    tmp = Path(tempfile.mkdtemp(prefix="baige-bench-media-"))
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        bench(tmp, f"http://127.0.0.1:{port}")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
