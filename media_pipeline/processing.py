"""The processing core: check an uploaded file cheaply, then make what jurors see from it.

``inspect_file`` decides what a file is by its content and refuses it, with a reason code, before any
heavy work (over a limit, not a video or presentation, unreadable). ``process_file`` makes the outputs
into a work folder and reports each one as soon as it is finished:

- video: ``video-720`` (MP4 H.264/AAC, faststart, at most 1280x720 or 720x1280, upright, SDR, no
  metadata of the original; silent videos stay silent), ``video-360`` (at most 640x360 or 360x640),
  ``poster`` (JPEG) and ``strip`` (JPEG of 8 thumbnails side by side);
- presentation (PPTX, PPTM, ODP, PPT): ``pdf`` (LibreOffice), then as a PDF;
- PDF: ``cover`` (JPEG, longest side 480 px) and ``page-0001``, ``page-0002``, ... (JPEG, longest side 1600 px).

This module touches no database and no storage: the pipeline stores outputs and records states.

Outputs named in ``skip`` are not reported again, but two are the input of others. When one of them
is skipped and still needed, the caller should put its stored file in the work folder first, or it is
made again (and not reported):

- ``workdir / "video-720.mp4"`` when ``video-720`` is skipped and ``video-360``, ``poster`` or ``strip`` is not;
- ``workdir / "pdf.pdf"`` when ``pdf`` is skipped for a presentation (its page count decides which pages exist).
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models

from media_pipeline import ffmpeg, office
from media_pipeline.detect import detect
from media_pipeline.enums import MediaKind, RenditionKind
from media_pipeline.reasons import ProcessingFailed

if TYPE_CHECKING:
    from contest.models import Contest

__all__ = [
    "Inspection",
    "Limits",
    "Output",
    "ProcessResult",
    "ProcessingFailed",
    "inspect_file",
    "process_file",
]

VIDEO_OUTPUTS = ("video-720", "video-360", "poster", "strip")
#: A video may run this much past the limit (rounding of container timestamps) before it is too long.
DURATION_TOLERANCE = 0.5
#: Errors of the machine, not the file: worth another try later.
TRANSIENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.ENOMEM, errno.EIO}


@dataclass(frozen=True)
class Limits:
    max_size: int
    max_duration: int
    max_pages: int

    @classmethod
    def of_contest(cls, contest: Contest) -> Limits:
        """The limits a contest sets on its files."""
        return cls(max_size=contest.max_file_size, max_duration=contest.max_video_duration, max_pages=contest.max_pages)

    @classmethod
    def defaults(cls) -> Limits:
        """The limits of a contest that sets none of its own."""
        from contest.models import Contest

        def default(name: str) -> int:
            field = Contest._meta.get_field(name)
            assert isinstance(field, models.Field)
            return int(field.get_default())

        return cls(
            max_size=default("max_file_size"),
            max_duration=default("max_video_duration"),
            max_pages=default("max_pages"),
        )


@dataclass(frozen=True)
class Inspection:
    kind: MediaKind
    extension: str
    size: int
    duration: float | None = None
    #: As displayed, after rotation.
    width: int | None = None
    height: int | None = None
    #: Pages of a PDF; slides listed in a PPTX/PPTM/ODP; None for a PPT (known after conversion).
    pages: int | None = None


@dataclass(frozen=True)
class Output:
    name: str
    kind: RenditionKind
    #: A file inside the work folder; its suffix is the file type (``.mp4``, ``.jpg``, ``.pdf``).
    path: Path
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    page: int | None = None


@dataclass
class ProcessResult:
    outputs: list[Output] = field(default_factory=list)
    #: Wall time per step: "transcode-720", "transcode-360", "poster", "strip", "convert", "cover", "render".
    seconds: dict[str, float] = field(default_factory=dict)
    pages: int | None = None


def inspect_file(path: Path, *, limits: Limits) -> Inspection:
    """Cheap checks before heavy work: size, type by content, streams and duration, zip caps, page count.

    Raises ``ProcessingFailed``.
    """
    try:
        if not path.is_file():
            raise ProcessingFailed("missing", detail=f"{path} is not a file")
        size = path.stat().st_size
        if size == 0:
            raise ProcessingFailed("empty")
        if size > limits.max_size:
            raise ProcessingFailed("too_large", {"size": size, "limit": limits.max_size})
        with path.open("rb") as stream:
            detected = detect(stream)
        if detected.kind == MediaKind.VIDEO:
            return _inspect_video(path, detected.extension, size, limits)
        if detected.kind == MediaKind.PRESENTATION:
            return _inspect_presentation(path, detected.extension, size, limits)
        if detected.kind == MediaKind.PDF:
            pages = office.pdf_pages(path)
            _check_pages(pages, limits)
            return Inspection(kind=MediaKind.PDF, extension=detected.extension, size=size, pages=pages)
        raise ProcessingFailed("not_media")
    except OSError as error:
        raise _machine_error(error) from error


def _inspect_video(path: Path, extension: str, size: int, limits: Limits) -> Inspection:
    info = ffmpeg.probe(path)
    if info.video is None:
        raise ProcessingFailed("no_video_stream", detail=f"streams of {info.format_name} hold no picture")
    duration = info.duration or ffmpeg.measure_duration(path, info)
    if duration is None:
        raise ProcessingFailed("unreadable_video", detail="no duration in the header and no packets to measure")
    if duration > limits.max_duration + DURATION_TOLERANCE:
        raise ProcessingFailed("too_long", {"duration": round(duration), "limit": limits.max_duration})
    ffmpeg.check_decodes(path, info)
    width, height = info.video.display_size
    return Inspection(
        kind=MediaKind.VIDEO, extension=extension, size=size, duration=duration, width=width, height=height
    )


def _inspect_presentation(path: Path, extension: str, size: int, limits: Limits) -> Inspection:
    pages = None
    if extension in office.PRESENTATION_INDEX:
        office.check_archive(path)
        pages = office.count_slides(path, extension)
        if pages is not None:
            _check_pages(pages, limits)
    return Inspection(kind=MediaKind.PRESENTATION, extension=extension, size=size, pages=pages)


def _check_pages(pages: int, limits: Limits) -> None:
    if pages == 0:
        raise ProcessingFailed("no_pages")
    if pages > limits.max_pages:
        raise ProcessingFailed("too_many_pages", {"pages": pages, "limit": limits.max_pages})


def _machine_error(error: OSError) -> ProcessingFailed:
    return ProcessingFailed(
        "internal", detail=f"{type(error).__name__}: {error}", transient=error.errno in TRANSIENT_ERRNOS
    )


class _Run:
    """Bookkeeping of one ``process_file`` call: timings, outputs, progress."""

    def __init__(
        self,
        skip: Collection[str],
        on_progress: Callable[[int], None] | None,
        on_output: Callable[[Output], None] | None,
    ) -> None:
        self.skip = set(skip)
        self.result = ProcessResult()
        self.on_progress = on_progress
        self.on_output = on_output

    def wanted(self, name: str) -> bool:
        return name not in self.skip

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.result.seconds[name] = self.result.seconds.get(name, 0.0) + time.monotonic() - started

    def progress(self, percent: float) -> None:
        if self.on_progress is not None:
            self.on_progress(max(0, min(100, int(percent))))

    def between(self, start: float, end: float) -> Callable[[float], None]:
        """A callback taking a fraction of one step, reported as the overall percent from ``start`` to ``end``."""
        return lambda fraction: self.progress(start + (end - start) * fraction)

    def done(self, output: Output) -> None:
        self.result.outputs.append(output)
        if self.on_output is not None:
            self.on_output(output)


def process_file(
    path: Path,
    inspection: Inspection,
    workdir: Path,
    *,
    limits: Limits,
    skip: Collection[str] = (),
    on_progress: Callable[[int], None] | None = None,
    on_output: Callable[[Output], None] | None = None,
) -> ProcessResult:
    """Make every output not named in ``skip`` into ``workdir``, calling ``on_output`` as each is finished.

    ``video-720`` comes first, so an entry is playable as soon as it can be. A presentation fails with
    ``too_many_pages`` after conversion when its PDF has more pages than the limit. ``on_progress``
    gets the overall percent as often as there is news; rate-limiting it is the caller's business.
    Raises ``ProcessingFailed``.
    """
    run = _Run(skip, on_progress, on_output)
    try:
        if inspection.kind == MediaKind.VIDEO:
            _process_video(path, inspection, workdir, limits, run)
        elif inspection.kind == MediaKind.PRESENTATION:
            _process_presentation(path, inspection, workdir, limits, run)
        elif inspection.kind == MediaKind.PDF:
            pages = office.pdf_pages(path)
            _check_pages(pages, limits)
            run.result.pages = pages
            _render(path, pages, workdir, run, start=0)
        else:
            raise ProcessingFailed("not_media")
    except OSError as error:
        raise _machine_error(error) from error
    run.progress(100)
    return run.result


def _process_video(path: Path, inspection: Inspection, workdir: Path, limits: Limits, run: _Run) -> None:
    if not any(run.wanted(name) for name in VIDEO_OUTPUTS):
        return
    video_720 = workdir / "video-720.mp4"
    if run.wanted("video-720") or not video_720.is_file():
        with run.step("transcode-720"):
            info = ffmpeg.probe(path)
            if info.video is None:
                raise ProcessingFailed("no_video_stream")
            ffmpeg.make_video_720(
                path,
                info,
                video_720,
                duration=inspection.duration or info.duration,
                max_duration=limits.max_duration,
                on_progress=run.between(0, 60),
            )
            info_720 = _video_output(run, "video-720", video_720, report=run.wanted("video-720"))
    else:
        info_720 = ffmpeg.probe(video_720)
    run.progress(60)
    if run.wanted("video-360"):
        with run.step("transcode-360"):
            video_360 = workdir / "video-360.mp4"
            ffmpeg.make_video_360(video_720, info_720, video_360, on_progress=run.between(60, 90))
            _video_output(run, "video-360", video_360)
    run.progress(90)
    if run.wanted("poster"):
        with run.step("poster"):
            poster = workdir / "poster.jpg"
            ffmpeg.make_poster(video_720, info_720.duration, poster)
            run.done(_image_output("poster", poster))
    run.progress(95)
    if run.wanted("strip"):
        with run.step("strip"):
            strip = workdir / "strip.jpg"
            ffmpeg.make_strip(video_720, info_720.duration, strip)
            run.done(_image_output("strip", strip))


def _video_output(run: _Run, name: str, path: Path, *, report: bool = True) -> ffmpeg.Probe:
    info = ffmpeg.probe(path)
    if info.video is None or not path.stat().st_size:
        raise ProcessingFailed("unreadable_video", detail=f"{name} came out without a picture")
    if not report:
        return info
    run.done(
        Output(
            name=name,
            kind=RenditionKind.VIDEO,
            path=path,
            width=info.video.width,
            height=info.video.height,
            duration=info.duration,
        )
    )
    return info


def _image_output(name: str, path: Path, page: int | None = None) -> Output:
    width, height = office.jpeg_size(path)
    return Output(name=name, kind=RenditionKind.IMAGE, path=path, width=width, height=height, page=page)


def _process_presentation(path: Path, inspection: Inspection, workdir: Path, limits: Limits, run: _Run) -> None:
    pdf = workdir / "pdf.pdf"
    if run.wanted("pdf") or not pdf.is_file():
        with run.step("convert"):
            office.convert_to_pdf(path, inspection.extension, pdf)
    run.progress(40)
    pages = office.pdf_pages(pdf, code="unreadable_presentation")
    _check_pages(pages, limits)
    run.result.pages = pages
    if run.wanted("pdf"):
        run.done(Output(name="pdf", kind=RenditionKind.PDF, path=pdf))
    _render(pdf, pages, workdir, run, start=40)


def _render(pdf: Path, pages: int, workdir: Path, run: _Run, *, start: float) -> None:
    """The cover, then every page image not skipped, in runs of consecutive pages."""
    if run.wanted("cover"):
        with run.step("cover"):
            cover = workdir / "cover.jpg"
            office.render_cover(pdf, cover)
            run.done(_image_output("cover", cover))
    missing = [page for page in range(1, pages + 1) if run.wanted(f"page-{page:04d}")]
    finished = pages - len(missing)
    for pages_run in office.page_runs(missing):
        with run.step("render"):
            rendered = office.render_pages(pdf, pages_run, workdir)
        for page in pages_run:
            run.done(_image_output(f"page-{page:04d}", rendered[page], page=page))
        finished += len(pages_run)
        run.progress(start + (100 - start) * finished / pages)
