"""Shared helpers of the media pipeline's tests."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File

from contest.models import Entry
from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"

#: MANIFEST.md's verdicts: every processable file ends ready, every broken one failed.
PROCESSABLE = [
    "videos/exoplayer_sample_h264_aac.mp4",
    "videos/streamio_awesome_movie_h264_aac.mov",
    "videos/phpffmpeg_portrait_iphone_rotate90.mov",
    "videos/phpffmpeg_sample_mpeg4_amrnb.3gp",
    "videos/phpffmpeg_test_theora_vorbis.ogv",
    "videos/moviepy_big_buck_bunny_vp8_vorbis.webm",
    "videos/moviepy_no_duration_vp9_opus.webm",
    "videos/exoplayer_bear_vp9_odd_161x121_noaudio.webm",
    "videos/exoplayer_sample_h264_ac3_srt.mkv",
    "videos/moviepy_example_h264_noaudio.mp4",
    "videos/exoplayer_dolbyvision_hevc_iphone_rotate90.mov",
    "presentations/onlyoffice_sample_presentation_ru.pptx",
    "presentations/python_pptx_cht_chart_type.pptx",
    "presentations/python_pptx_ph_populated_placeholders.pptx",
    "presentations/python_pptx_tbl_cell.pptx",
    "presentations/python_pptx_shp_movie_props.pptx",
    "presentations/python_pptx_act_props.pptm",
    "presentations/unstructured_fake_power_point.ppt",
    "presentations/unstructured_eng_spa_mult_ooxml_mislabeled.ppt",
    "presentations/unstructured_fake_power_point_malformed.pptx",
    "presentations/onlyoffice_sample_presentation_ru_converted.odp",
    "pdf/gofpdf_utf8font_multilang_cyrillic.pdf",
    "pdf/onlyoffice_sample_form.pdf",
    "pdf/unstructured_fake_memo.pdf",
    "pdf/unstructured_gao_invalid_structure_pdfminer.pdf",
]
BROKEN = {
    "videos/streamio_broken_truncated.mp4": "unreadable_video",
    "videos/exoplayer_invalid_bitstream_vp9.webm": "unreadable_video",
    "pdf/ocrmypdf_invalid.pdf": "unreadable_pdf",
    "presentations/python_pptx_no_slides.pptx": "no_pages",
}


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    assert path.is_file(), f"the test corpus must sit beside the repository: {path}"
    return path


def add_asset(entry: Entry, path: Path) -> MediaAsset:
    """Store ``path`` as a new, not yet verified file of ``entry``, as an upload would."""
    asset = MediaAsset(entry=entry, original_name=path.name, size=path.stat().st_size)
    with path.open("rb") as stream:
        asset.original.save("original.upload", File(stream), save=False)
    asset.save()
    return asset


def processed(entry: Entry, relative: str) -> Entry:
    """The entry with a real file of the corpus, processed here as a worker would."""
    from media_pipeline.pipeline import asset_process

    asset = add_asset(entry, corpus_file(relative))
    asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY
    entry.refresh_from_db()
    return entry


def wait_until_finished(asset_ids: list[int], timeout: float = 300) -> dict[int, MediaAsset]:
    """Poll the database until every asset is ready or failed."""
    deadline = time.monotonic() + timeout
    while True:
        assets = {a.pk: a for a in MediaAsset.objects.filter(pk__in=asset_ids)}
        done = [a for a in assets.values() if a.status in (AssetStatus.READY, AssetStatus.FAILED)]
        if len(done) == len(asset_ids) or time.monotonic() > deadline:
            return assets
        time.sleep(0.5)


def ffprobe(path: Path) -> dict:
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output)
