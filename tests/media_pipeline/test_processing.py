"""The processing core on the real test corpus, with the real ffmpeg, LibreOffice and poppler."""

from __future__ import annotations

import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from media_pipeline.enums import MediaKind, RenditionKind
from media_pipeline.processing import (
    Inspection,
    Limits,
    Output,
    ProcessingFailed,
    ProcessResult,
    inspect_file,
    process_file,
)
from media_pipeline.reasons import REASONS, reason_text
from tests.media_pipeline.helpers import BROKEN, corpus_file, ffprobe

DEFAULTS = Limits(max_size=2 * 1024**3, max_duration=20 * 60, max_pages=200)


@dataclass(frozen=True)
class Video:
    audio: bool
    portrait: bool = False
    hdr: bool = False


#: MANIFEST.md's processable videos and what their renditions must keep.
VIDEOS = {
    "videos/exoplayer_sample_h264_aac.mp4": Video(audio=True),
    "videos/streamio_awesome_movie_h264_aac.mov": Video(audio=True),
    "videos/phpffmpeg_portrait_iphone_rotate90.mov": Video(audio=True, portrait=True),
    "videos/phpffmpeg_sample_mpeg4_amrnb.3gp": Video(audio=True),
    "videos/phpffmpeg_test_theora_vorbis.ogv": Video(audio=True),
    "videos/moviepy_big_buck_bunny_vp8_vorbis.webm": Video(audio=True),
    "videos/moviepy_no_duration_vp9_opus.webm": Video(audio=True),
    "videos/exoplayer_bear_vp9_odd_161x121_noaudio.webm": Video(audio=False),
    "videos/exoplayer_sample_h264_ac3_srt.mkv": Video(audio=True),
    "videos/moviepy_example_h264_noaudio.mp4": Video(audio=False),
    "videos/exoplayer_dolbyvision_hevc_iphone_rotate90.mov": Video(audio=True, portrait=True, hdr=True),
}
#: MANIFEST.md's processable presentations and PDFs: detected type and number of pages.
DOCUMENTS = {
    "presentations/onlyoffice_sample_presentation_ru.pptx": ("presentation", "pptx", 8),
    "presentations/python_pptx_cht_chart_type.pptx": ("presentation", "pptx", 8),
    "presentations/python_pptx_ph_populated_placeholders.pptx": ("presentation", "pptx", 9),
    "presentations/python_pptx_tbl_cell.pptx": ("presentation", "pptx", 3),
    "presentations/python_pptx_shp_movie_props.pptx": ("presentation", "pptx", 1),
    "presentations/python_pptx_act_props.pptm": ("presentation", "pptm", 5),
    "presentations/unstructured_fake_power_point.ppt": ("presentation", "ppt", 1),
    "presentations/unstructured_eng_spa_mult_ooxml_mislabeled.ppt": ("presentation", "pptx", 6),
    "presentations/unstructured_fake_power_point_malformed.pptx": ("presentation", "pptx", 1),
    "presentations/onlyoffice_sample_presentation_ru_converted.odp": ("presentation", "odp", 8),
    "pdf/gofpdf_utf8font_multilang_cyrillic.pdf": ("pdf", "pdf", 2),
    "pdf/onlyoffice_sample_form.pdf": ("pdf", "pdf", 6),
    "pdf/unstructured_fake_memo.pdf": ("pdf", "pdf", 1),
    "pdf/unstructured_gao_invalid_structure_pdfminer.pdf": ("pdf", "pdf", 2),
}


def top_level_boxes(path: Path) -> list[str]:
    """The top-level box types of an MP4 file, in order."""
    boxes = []
    size_total = path.stat().st_size
    with path.open("rb") as stream:
        position = 0
        while position < size_total:
            stream.seek(position)
            size, kind = struct.unpack(">I4s", stream.read(8))
            if size == 1:
                size = struct.unpack(">Q", stream.read(8))[0]
            elif size == 0:
                size = size_total - position
            boxes.append(kind.decode("latin-1"))
            position += size
    return boxes


@dataclass
class Processed:
    inspection: Inspection
    result: ProcessResult
    progress: list[int]
    reported: list[Output]

    def output(self, name: str) -> Output:
        return next(output for output in self.result.outputs if output.name == name)


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Each corpus file inspected and processed once for the whole module."""
    done: dict[str, Processed] = {}

    def process(relative: str) -> Processed:
        if relative not in done:
            source = corpus_file(relative)
            workdir = tmp_path_factory.mktemp("out")
            progress: list[int] = []
            reported: list[Output] = []
            inspection = inspect_file(source, limits=DEFAULTS)
            result = process_file(
                source, inspection, workdir, limits=DEFAULTS, on_progress=progress.append, on_output=reported.append
            )
            done[relative] = Processed(inspection, result, progress, reported)
        return done[relative]

    return process


@pytest.mark.parametrize("relative", list(VIDEOS))
def test_video_ends_ready_with_playable_renditions(processed, relative):
    expected = VIDEOS[relative]
    run = processed(relative)
    assert run.inspection.kind == MediaKind.VIDEO
    assert [output.name for output in run.result.outputs] == ["video-720", "video-360", "poster", "strip"]
    assert run.reported == run.result.outputs
    for name, (long_side, short_side) in (("video-720", (1280, 720)), ("video-360", (640, 360))):
        output = run.output(name)
        assert (output.kind, output.path.suffix) == (RenditionKind.VIDEO, ".mp4")
        info = ffprobe(output.path)
        video = next(s for s in info["streams"] if s["codec_type"] == "video")
        audio = [s["codec_name"] for s in info["streams"] if s["codec_type"] == "audio"]
        assert (video["codec_name"], video["pix_fmt"]) == ("h264", "yuv420p"), name
        assert audio == (["aac"] if expected.audio else []), name
        width, height = video["width"], video["height"]
        assert (output.width, output.height) == (width, height)
        assert width % 2 == 0 and height % 2 == 0, (width, height)
        box = (short_side, long_side) if expected.portrait else (long_side, short_side)
        assert width <= box[0] and height <= box[1], (name, width, height)
        assert (height > width) is expected.portrait, (name, width, height)
        assert "side_data_list" not in video, video.get("side_data_list")
        assert "rotate" not in video.get("tags", {})
        assert video.get("color_transfer") not in ("smpte2084", "arib-std-b67")
        boxes = top_level_boxes(output.path)
        assert boxes.index("moov") < boxes.index("mdat"), boxes
        assert abs(float(info["format"]["duration"]) - run.inspection.duration) < 0.3
        assert output.duration == pytest.approx(float(info["format"]["duration"]))
    for name in ("poster", "strip"):
        output = run.output(name)
        image = ffprobe(output.path)["streams"][0]
        assert (output.kind, image["codec_name"]) == (RenditionKind.IMAGE, "mjpeg")
        assert (image["width"], image["height"]) == (output.width, output.height)
    poster, video_720 = run.output("poster"), run.output("video-720")
    assert (poster.width, poster.height) == (video_720.width, video_720.height)
    assert run.output("strip").height == 90
    assert run.progress == sorted(run.progress)
    assert run.progress[-1] == 100


def test_video_keeps_its_shape_inside_the_box(processed):
    odd = processed("videos/exoplayer_bear_vp9_odd_161x121_noaudio.webm")
    assert (odd.inspection.width, odd.inspection.height) == (161, 121)
    assert (odd.output("video-720").width, odd.output("video-720").height) == (160, 120)
    portrait = processed("videos/phpffmpeg_portrait_iphone_rotate90.mov")
    assert (portrait.inspection.width, portrait.inspection.height) == (320, 568)
    assert (portrait.output("video-720").width, portrait.output("video-720").height) == (320, 568)
    hdr = processed("videos/exoplayer_dolbyvision_hevc_iphone_rotate90.mov")
    assert (hdr.inspection.width, hdr.inspection.height) == (720, 1280)
    assert (hdr.output("video-720").width, hdr.output("video-720").height) == (720, 1280)
    assert (hdr.output("video-360").width, hdr.output("video-360").height) == (360, 640)
    wide = processed("videos/moviepy_big_buck_bunny_vp8_vorbis.webm")
    assert (wide.output("video-360").width, wide.output("video-360").height) == (640, 360)


def test_video_hdr_tone_mapped_to_bt709(processed):
    video = ffprobe(processed("videos/exoplayer_dolbyvision_hevc_iphone_rotate90.mov").output("video-720").path)
    stream = video["streams"][0]
    assert (stream["color_transfer"], stream["color_primaries"], stream["pix_fmt"]) == ("bt709", "bt709", "yuv420p")


def test_video_metadata_of_the_original_dropped(processed):
    source = ffprobe(corpus_file("videos/phpffmpeg_portrait_iphone_rotate90.mov"))
    assert any("location" in key for key in source["format"]["tags"])
    output = ffprobe(processed("videos/phpffmpeg_portrait_iphone_rotate90.mov").output("video-720").path)
    tags = output["format"].get("tags", {})
    assert not [key for key in tags if "location" in key or "make" in key or "model" in key], tags


def test_video_without_duration_in_header_measured(processed):
    run = processed("videos/moviepy_no_duration_vp9_opus.webm")
    assert run.inspection.duration == pytest.approx(4.87, abs=0.1)


@pytest.mark.parametrize("relative", list(DOCUMENTS))
def test_document_ends_ready_with_one_image_per_page(processed, relative):
    kind, extension, pages = DOCUMENTS[relative]
    run = processed(relative)
    assert (run.inspection.kind, run.inspection.extension) == (kind, extension)
    assert run.result.pages == pages
    names = [output.name for output in run.result.outputs]
    page_names = [f"page-{page:04d}" for page in range(1, pages + 1)]
    assert names == (["pdf"] if kind == "presentation" else []) + ["cover", *page_names]
    assert run.reported == run.result.outputs
    for output in run.result.outputs:
        if output.kind == RenditionKind.PDF:
            assert output.path.read_bytes()[:5] == b"%PDF-"
            continue
        image = ffprobe(output.path)["streams"][0]
        assert (image["codec_name"], image["width"], image["height"]) == ("mjpeg", output.width, output.height)
        longest = 480 if output.name == "cover" else 1600
        assert max(output.width, output.height) == longest, output
        assert output.page == (None if output.name == "cover" else int(output.name[5:]))
    assert run.progress == sorted(run.progress)
    assert run.progress[-1] == 100


def test_presentation_slides_counted_before_conversion(processed):
    assert processed("presentations/python_pptx_ph_populated_placeholders.pptx").inspection.pages == 9
    assert processed("presentations/onlyoffice_sample_presentation_ru_converted.odp").inspection.pages == 8
    assert processed("presentations/unstructured_fake_power_point.ppt").inspection.pages is None
    assert processed("pdf/onlyoffice_sample_form.pdf").inspection.pages == 6


@pytest.mark.parametrize(("relative", "code"), list(BROKEN.items()))
def test_broken_file_fails_with_readable_reason(tmp_path, relative, code):
    source = corpus_file(relative)
    with pytest.raises(ProcessingFailed) as failed:
        inspection = inspect_file(source, limits=DEFAULTS)
        process_file(source, inspection, tmp_path, limits=DEFAULTS)
    assert (failed.value.code, failed.value.transient) == (code, False)
    assert failed.value.message == reason_text(code) == str(REASONS[code])
    assert failed.value.message != reason_text("internal")


def test_too_long_refused_by_inspection(tmp_path):
    limits = Limits(max_size=DEFAULTS.max_size, max_duration=1, max_pages=200)
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(corpus_file("videos/phpffmpeg_portrait_iphone_rotate90.mov"), limits=limits)
    assert (failed.value.code, failed.value.params) == ("too_long", {"duration": 2, "limit": 1})
    assert failed.value.message == "The video is 2 s long; this contest accepts videos up to 1 s. Shorten it."


def test_too_long_measured_when_header_has_no_duration():
    limits = Limits(max_size=DEFAULTS.max_size, max_duration=3, max_pages=200)
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(corpus_file("videos/moviepy_no_duration_vp9_opus.webm"), limits=limits)
    assert (failed.value.code, failed.value.params) == ("too_long", {"duration": 5, "limit": 3})


def test_too_long_message_in_minutes():
    assert reason_text("too_long", {"duration": 1325, "limit": 1200}) == (
        "The video is 22 min 5 s long; this contest accepts videos up to 20 min. Shorten it."
    )


@pytest.mark.parametrize(
    ("relative", "pages", "limit"),
    [
        ("presentations/python_pptx_cht_chart_type.pptx", 8, 7),
        ("presentations/onlyoffice_sample_presentation_ru_converted.odp", 8, 2),
        ("pdf/onlyoffice_sample_form.pdf", 6, 5),
    ],
)
def test_too_many_pages_refused_by_inspection(relative, pages, limit):
    limits = Limits(max_size=DEFAULTS.max_size, max_duration=1200, max_pages=limit)
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(corpus_file(relative), limits=limits)
    assert (failed.value.code, failed.value.params) == ("too_many_pages", {"pages": pages, "limit": limit})


def test_too_many_pages_of_legacy_ppt_after_conversion(tmp_path):
    source = corpus_file("presentations/unstructured_fake_power_point.ppt")
    limits = Limits(max_size=DEFAULTS.max_size, max_duration=1200, max_pages=0)
    inspection = inspect_file(source, limits=limits)
    reported: list[Output] = []
    with pytest.raises(ProcessingFailed) as failed:
        process_file(source, inspection, tmp_path, limits=limits, on_output=reported.append)
    assert (failed.value.code, failed.value.params) == ("too_many_pages", {"pages": 1, "limit": 0})
    assert reported == []


def test_too_large_refused_before_reading(tmp_path):
    source = corpus_file("videos/phpffmpeg_sample_mpeg4_amrnb.3gp")
    size = source.stat().st_size
    limits = Limits(max_size=size - 1, max_duration=1200, max_pages=200)
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(source, limits=limits)
    assert (failed.value.code, failed.value.params) == ("too_large", {"size": size, "limit": size - 1})
    assert failed.value.message == "The file is 27.9\xa0KB; this contest accepts files up to 27.9\xa0KB."


def test_empty_and_missing_files_refused(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for path, code in ((empty, "empty"), (tmp_path / "nothing.mp4", "missing"), (tmp_path, "missing")):
        with pytest.raises(ProcessingFailed) as failed:
            inspect_file(path, limits=DEFAULTS)
        assert failed.value.code == code


def test_audio_only_file_refused_as_no_video(tmp_path):
    audio = tmp_path / "voice.m4a"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(audio)],
        check=True,
        timeout=60,
    )
    with pytest.raises(ProcessingFailed) as failed:
        inspect_file(audio, limits=DEFAULTS)
    assert failed.value.code == "no_video_stream"


def test_skipped_video_outputs_not_made_again(processed, tmp_path):
    source = corpus_file("videos/exoplayer_sample_h264_aac.mp4")
    first = processed("videos/exoplayer_sample_h264_aac.mp4")
    (tmp_path / "video-720.mp4").write_bytes(first.output("video-720").path.read_bytes())
    result = process_file(source, first.inspection, tmp_path, limits=DEFAULTS, skip={"video-720", "poster"})
    assert [output.name for output in result.outputs] == ["video-360", "strip"]
    nothing = process_file(source, first.inspection, tmp_path, limits=DEFAULTS, skip=set(VIDEO_NAMES))
    assert (nothing.outputs, nothing.seconds) == ([], {})


VIDEO_NAMES = ("video-720", "video-360", "poster", "strip")


def test_skipped_video_720_made_again_when_not_in_workdir(processed, tmp_path):
    first = processed("videos/exoplayer_sample_h264_aac.mp4")
    source = corpus_file("videos/exoplayer_sample_h264_aac.mp4")
    reported: list[Output] = []
    result = process_file(
        source, first.inspection, tmp_path, limits=DEFAULTS, skip={"video-720", "strip"}, on_output=reported.append
    )
    assert [output.name for output in reported] == ["video-360", "poster"]
    assert sorted(result.seconds) == ["poster", "transcode-360", "transcode-720"]


def test_skipped_pages_not_rendered_again(processed, tmp_path):
    relative = "presentations/python_pptx_tbl_cell.pptx"
    first = processed(relative)
    (tmp_path / "pdf.pdf").write_bytes(first.output("pdf").path.read_bytes())
    result = process_file(
        corpus_file(relative), first.inspection, tmp_path, limits=DEFAULTS, skip={"pdf", "cover", "page-0002"}
    )
    assert [output.name for output in result.outputs] == ["page-0001", "page-0003"]
    assert (result.pages, "convert" in result.seconds) == (3, False)


def test_skipped_pdf_made_again_when_not_in_workdir(processed, tmp_path):
    relative = "presentations/python_pptx_tbl_cell.pptx"
    result = process_file(
        corpus_file(relative), processed(relative).inspection, tmp_path, limits=DEFAULTS, skip={"pdf", "cover"}
    )
    assert [output.name for output in result.outputs] == ["page-0001", "page-0002", "page-0003"]
    assert "convert" in result.seconds


def test_limits_of_contest(contest):
    contest.max_file_size, contest.max_video_duration, contest.max_pages = 1000, 60, 30
    assert Limits.of_contest(contest) == Limits(max_size=1000, max_duration=60, max_pages=30)
    assert Limits.defaults() == DEFAULTS
