"""ffprobe and ffmpeg on untrusted videos: what a file holds, and the renditions jurors watch.

Every input is opened with ``-protocol_whitelist file`` and a demuxer whitelist, so a playlist or
concat script disguised as a video can neither fetch a URL nor read another local file, and only
the containers Baige accepts are parsed at all.

Renditions: ``video-720`` comes from the original (rotation baked in, HDR tone-mapped, metadata such
as GPS positions dropped); ``video-360``, the poster and the strip come from ``video-720``, which is
already upright, SDR and small. Videos without sound stay without sound.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from media_pipeline.reasons import ProcessingFailed
from media_pipeline.tools import run_step

#: Demuxers of the accepted containers: MP4/MOV/3GP, Matroska/WebM, AVI, Ogg, FLV, ASF/WMV, MPEG-PS, MPEG-TS.
#: Not HLS, DASH, concat, image sequences or anything else that can open further files.
FORMAT_WHITELIST = "mov,matroska,avi,ogg,flv,asf,mpeg,mpegts"
INPUT_GUARDS = ("-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST)
HDR_TRANSFERS = {"smpte2084", "arib-std-b67"}
INTERLACED = {"tt", "bb", "tb", "bt"}
#: Tone mapping of PQ/HLG to SDR BT.709: linear light, BT.709 primaries, Hable's curve, back to 8-bit video range.
TONEMAP = (
    "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv"
)
#: (long side, short side) of the box a rendition fits in, landscape or portrait.
BOX_720 = (1280, 720)
BOX_360 = (640, 360)
ENCODER_THREADS = str(min(os.cpu_count() or 2, 8))
#: A keyframe every two seconds: quick seeking in the player and an even preview strip.
KEYFRAMES = "expr:gte(t,n_forced*2)"
STRIP_FRAMES = 8
STRIP_HEIGHT = 90
PROBE_TIMEOUT = 60
QUICK_TIMEOUT = 120


@dataclass(frozen=True)
class VideoStream:
    index: int
    codec: str
    profile: str
    width: int
    height: int
    pix_fmt: str
    sample_aspect: Fraction
    rotation: int
    color_transfer: str
    field_order: str

    @property
    def hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS

    @property
    def interlaced(self) -> bool:
        return self.field_order in INTERLACED

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as a player shows them: pixel aspect applied, rotation honoured."""
        width = max(1, round(self.width * self.sample_aspect))
        if self.rotation in (90, 270):
            return self.height, width
        return width, self.height


@dataclass(frozen=True)
class AudioStream:
    index: int
    codec: str
    channels: int
    sample_rate: int


@dataclass(frozen=True)
class Probe:
    format_name: str
    duration: float | None
    video: VideoStream | None
    audio: AudioStream | None


def input_args(path: Path, *, seek: float | None = None, keyframes_only: bool = False) -> list[str]:
    """The guarded options that open ``path`` as an input (a ``file:`` URL, so no name reads as a protocol)."""
    args = [*INPUT_GUARDS]
    if keyframes_only:
        args += ["-skip_frame", "nokey"]
    if seek:
        args += ["-ss", f"{seek:.3f}"]
    return [*args, "-i", f"file:{path.resolve()}"]


def probe(path: Path, *, code: str = "unreadable_video") -> Probe:
    """Streams and duration of ``path`` as ffprobe reads them; ``ProcessingFailed(code)`` if it cannot."""
    result = run_step(
        ["ffprobe", "-hide_banner", "-v", "error", *input_args(path), "-print_format", "json"]
        + ["-show_format", "-show_streams"],
        code=code,
        timeout=PROBE_TIMEOUT,
    )
    try:
        data = json.loads(result.stdout)
    except ValueError as error:
        raise ProcessingFailed(code, detail=f"ffprobe printed no JSON: {error}") from error
    return parse_probe(data)


def parse_probe(data: dict[str, Any]) -> Probe:
    """A ``Probe`` from ffprobe's JSON (``-show_format -show_streams``)."""
    streams = [s for s in data.get("streams") or [] if isinstance(s, dict)]
    videos = [s for s in streams if _is_picture(s)]
    audios = [s for s in streams if s.get("codec_type") == "audio" and s.get("codec_name") and _int(s, "channels")]
    video = _pick(videos)
    audio = _pick(audios)
    fmt = data.get("format") or {}
    duration = _positive(fmt.get("duration"))
    if duration is None and video is not None:
        duration = _positive(video.get("duration"))
    return Probe(
        format_name=str(fmt.get("format_name") or ""),
        duration=duration,
        video=_video_stream(video) if video else None,
        audio=AudioStream(
            index=int(audio["index"]),
            codec=str(audio["codec_name"]),
            channels=_int(audio, "channels"),
            sample_rate=_int(audio, "sample_rate"),
        )
        if audio
        else None,
    )


def _is_picture(stream: dict[str, Any]) -> bool:
    # Cover art in a music file is a "video" stream of one still picture.
    attached = (stream.get("disposition") or {}).get("attached_pic")
    return (
        stream.get("codec_type") == "video"
        and bool(stream.get("codec_name"))
        and _int(stream, "width") > 0
        and _int(stream, "height") > 0
        and not attached
    )


def _pick(streams: list[dict[str, Any]]) -> dict[str, Any] | None:
    default = [s for s in streams if (s.get("disposition") or {}).get("default")]
    chosen = default or streams
    return chosen[0] if chosen else None


def _video_stream(stream: dict[str, Any]) -> VideoStream:
    return VideoStream(
        index=int(stream["index"]),
        codec=str(stream["codec_name"]),
        profile=str(stream.get("profile") or ""),
        width=_int(stream, "width"),
        height=_int(stream, "height"),
        pix_fmt=str(stream.get("pix_fmt") or ""),
        sample_aspect=_aspect(stream.get("sample_aspect_ratio")),
        rotation=_rotation(stream),
        color_transfer=str(stream.get("color_transfer") or ""),
        field_order=str(stream.get("field_order") or ""),
    )


def _int(stream: dict[str, Any], key: str) -> int:
    try:
        return int(stream.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _aspect(value: Any) -> Fraction:
    try:
        num, den = (int(part) for part in str(value).split(":"))
        aspect = Fraction(num, den)
    except (TypeError, ValueError, ZeroDivisionError):
        return Fraction(1)
    # Unset (0:1) or absurd pixel shapes are treated as square pixels.
    return aspect if Fraction(1, 4) <= aspect <= 4 else Fraction(1)


def _rotation(stream: dict[str, Any]) -> int:
    """Clockwise display rotation in degrees, 0/90/180/270, from the display matrix or an old ``rotate`` tag."""
    angle: Any = None
    for side in stream.get("side_data_list") or []:
        if isinstance(side, dict) and "rotation" in side:
            angle = side["rotation"]
    if angle is None:
        angle = (stream.get("tags") or {}).get("rotate")
    try:
        degrees = float(angle)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(degrees):
        return 0
    return int(round(degrees / 90) * 90) % 360


def fit(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The size of a picture inside ``box`` (turned for portrait): aspect kept, even sides, never upscaled."""
    long_side, short_side = box
    box_width, box_height = (long_side, short_side) if width >= height else (short_side, long_side)
    scale = min(1.0, box_width / width, box_height / height)
    return max(2, round(width * scale) // 2 * 2), max(2, round(height * scale) // 2 * 2)


def measure_duration(path: Path, info: Probe) -> float | None:
    """The duration found by reading every packet (no decoding), for files whose header has none."""
    if info.video is None:
        return None
    maps = ["-map", f"0:{info.video.index}"] + (["-map", f"0:{info.audio.index}"] if info.audio else [])
    out_time = 0.0

    def on_line(line: str) -> None:
        nonlocal out_time
        out_time = max(out_time, _out_time(line) or 0.0)

    run_step(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", *input_args(path), *maps, "-c", "copy"]
        + ["-f", "null", "-", "-progress", "pipe:1", "-nostats"],
        code="unreadable_video",
        timeout=300,
        on_line=on_line,
    )
    return out_time or None


def check_decodes(path: Path, info: Probe) -> None:
    """Decode the first frames of the video; ``ProcessingFailed("unreadable_video")`` if none come out."""
    assert info.video is not None
    frames = 0

    def on_line(line: str) -> None:
        nonlocal frames
        key, _, value = line.partition("=")
        if key == "frame" and value.strip().isdigit():
            frames = max(frames, int(value))

    try:
        run_step(
            ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", *input_args(path), "-map", f"0:{info.video.index}"]
            + ["-frames:v", "3", "-f", "null", "-", "-progress", "pipe:1", "-nostats"],
            code="unreadable_video",
            timeout=QUICK_TIMEOUT,
            on_line=on_line,
        )
    except ProcessingFailed as failed:
        if failed.code != "unreadable_video" or frames == 0:
            raise
    if frames == 0:
        raise ProcessingFailed("unreadable_video", detail="no frame could be decoded")


def can_copy_video(info: Probe, box: tuple[int, int]) -> bool:
    """Whether the original's picture plays everywhere as it is: H.264 8-bit 4:2:0, upright, SDR, small enough."""
    video = info.video
    if video is None:
        return False
    return (
        video.codec == "h264"
        and video.pix_fmt == "yuv420p"
        and video.profile in {"Baseline", "Constrained Baseline", "Main", "High"}
        and video.rotation == 0
        and video.sample_aspect == 1
        and not video.hdr
        and not video.interlaced
        and video.width % 2 == 0
        and video.height % 2 == 0
        and fit(video.width, video.height, box) == (video.width, video.height)
    )


def _out_time(line: str) -> float | None:
    key, _, value = line.partition("=")
    if key not in ("out_time_us", "out_time_ms") or not value.strip().lstrip("-").isdigit():
        return None
    return max(0, int(value)) / 1_000_000


def _progress_reader(duration: float | None, on_progress: Callable[[float], None] | None) -> Callable[[str], None]:
    def on_line(line: str) -> None:
        seconds = _out_time(line)
        if on_progress is not None and seconds is not None and duration:
            on_progress(min(1.0, seconds / duration))

    return on_line


def _mp4_options() -> list[str]:
    # No metadata of the original (GPS position, device, names) reaches what jurors download.
    return ["-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart", "-f", "mp4"]


def transcode_timeout(duration: float | None) -> float:
    """Seconds a transcode of a video this long may take before it is killed."""
    return 600 + 4 * (duration or 0)


def make_video_720(
    source: Path,
    info: Probe,
    output: Path,
    *,
    duration: float | None,
    max_duration: float,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Write ``video-720``: the original's picture copied when it already plays everywhere, else encoded."""
    assert info.video is not None
    cut = ["-t", f"{max_duration + 1:.3f}"]  # a header that lies about the length buys no extra work
    maps = ["-map", f"0:{info.video.index}"] + (["-map", f"0:{info.audio.index}"] if info.audio else [])
    reader = _progress_reader(duration, on_progress)
    timeout = transcode_timeout(duration)
    if can_copy_video(info, BOX_720):
        try:
            run_step(
                ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args(source), *maps, *cut]
                + ["-c:v", "copy", *_audio_options(info.audio), "-max_muxing_queue_size", "4096"]
                + [*_mp4_options(), "-progress", "pipe:1", "-nostats", str(output)],
                code="unreadable_video",
                timeout=timeout,
                on_line=reader,
            )
            return
        except ProcessingFailed as failed:
            if failed.code != "unreadable_video":
                raise
            # Some streams cannot be copied into MP4 as they are; encoding them works.
    width, height = fit(*info.video.display_size, BOX_720)
    filters = ["yadif=deint=interlaced"] if info.video.interlaced else []
    # ffmpeg turns the picture upright (autorotate) before these filters and drops the rotation.
    # Full-range (JPEG-style) pictures are brought to the video range every player expects.
    filters.append(f"scale={width}:{height}:out_range=tv,setsar=1")
    if info.video.hdr:
        filters.append(TONEMAP)
    filters.append("format=yuv420p")
    run_step(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args(source), *maps, *cut]
        + ["-vf", ",".join(filters), *_h264_options(crf=23), *_audio_options(info.audio)]
        + [*_mp4_options(), "-progress", "pipe:1", "-nostats", str(output)],
        code="unreadable_video",
        timeout=timeout,
        on_line=reader,
    )


def _h264_options(*, crf: int) -> list[str]:
    return [
        "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-force_key_frames", KEYFRAMES, "-fps_mode", "vfr", "-threads", ENCODER_THREADS,
        "-max_muxing_queue_size", "4096",
    ]  # fmt: skip


def _audio_options(audio: AudioStream | None) -> list[str]:
    if audio is None:
        return ["-an"]
    if audio.codec == "aac":
        return ["-c:a", "copy"]
    options = ["-c:a", "aac", "-b:a", "128k"]
    if audio.channels > 2:
        options += ["-ac", "2"]
    if audio.sample_rate not in (44100, 48000):
        options += ["-ar", "48000"]
    return options


def make_video_360(
    video_720: Path, info_720: Probe, output: Path, *, on_progress: Callable[[float], None] | None
) -> None:
    """Write ``video-360`` from ``video-720``: a copy when that is small already, else a smaller encode."""
    assert info_720.video is not None
    width, height = fit(info_720.video.width, info_720.video.height, BOX_360)
    if (width, height) == (info_720.video.width, info_720.video.height):
        shutil.copyfile(video_720, output)
        return
    maps = ["-map", f"0:{info_720.video.index}"] + (["-map", f"0:{info_720.audio.index}"] if info_720.audio else [])
    run_step(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args(video_720), *maps]
        + ["-vf", f"scale={width}:{height}:out_range=tv,setsar=1,format=yuv420p", *_h264_options(crf=26)]
        + (["-c:a", "copy"] if info_720.audio else ["-an"])
        + [*_mp4_options(), "-progress", "pipe:1", "-nostats", str(output)],
        code="unreadable_video",
        timeout=transcode_timeout(info_720.duration),
        on_line=_progress_reader(info_720.duration, on_progress),
    )


def make_poster(video: Path, duration: float | None, output: Path) -> None:
    """Write a JPEG frame from about a tenth into ``video``: the most typical of the frames there, not a black one."""
    for seek in ((duration or 0) * 0.1, 0.0):
        output.unlink(missing_ok=True)
        run_step(
            ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args(video, seek=seek)]
            + ["-map", "0:v:0", "-vf", "thumbnail=24", "-frames:v", "1", "-q:v", "3", "-f", "image2"]
            + ["-update", "1", str(output)],
            code="unreadable_video",
            timeout=QUICK_TIMEOUT,
        )
        if output.is_file() and output.stat().st_size > 0:
            return
    raise ProcessingFailed("unreadable_video", detail="no frame for the poster")


def make_strip(video: Path, duration: float | None, output: Path) -> None:
    """Write a JPEG of ``STRIP_FRAMES`` thumbnails side by side, spread evenly over ``video``."""
    length = duration or 1.0
    # A rate a little above 8 per duration: the last frames of a clip do not always reach the end.
    rate = STRIP_FRAMES / (0.9 * length)
    # Long videos: only keyframes are decoded (video-720 has one every two seconds), which is plenty.
    keyframes_only = length > 60
    run_step(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *input_args(video, keyframes_only=keyframes_only)]
        + ["-map", "0:v:0", "-vf", f"fps={rate:.6f},scale=-2:{STRIP_HEIGHT},setsar=1,"
           f"tile={STRIP_FRAMES}x1", "-frames:v", "1", "-q:v", "4", "-f", "image2", "-update", "1", str(output)],
        code="unreadable_video",
        timeout=QUICK_TIMEOUT + length / 2,
    )  # fmt: skip
    if not output.is_file() or output.stat().st_size == 0:
        raise ProcessingFailed("unreadable_video", detail="no frame for the preview strip")
