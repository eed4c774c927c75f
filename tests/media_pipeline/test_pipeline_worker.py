"""The whole corpus through live Celery workers on Redis, on local files and on an S3-compatible server."""

import subprocess
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset, Rendition
from media_pipeline.pipeline import asset_enqueue, assets_reap
from tests.factories import EntryFactory, ProfileFactory
from tests.media_pipeline.helpers import BROKEN, PROCESSABLE, add_asset, corpus_file, ffprobe, wait_until_finished

pytestmark = pytest.mark.services


def _enqueue_corpus(contest, names):  # type: ignore[no-untyped-def]
    author = ProfileFactory().user
    ids = {}
    for name in names:
        entry = EntryFactory(contest=contest, author=author)
        asset = add_asset(entry, corpus_file(name))
        with transaction.atomic():
            asset_enqueue(asset)
        ids[name] = asset.pk
    return ids


def _check_corpus_results(ids, tmp_path):  # type: ignore[no-untyped-def]
    assets = wait_until_finished(list(ids.values()), timeout=600)
    outcome = {name: (assets[pk].status, assets[pk].reason_code) for name, pk in ids.items()}
    expected = {name: (AssetStatus.READY, "") for name in PROCESSABLE} | {
        name: (AssetStatus.FAILED, code) for name, code in BROKEN.items()
    }
    assert outcome == expected
    for name, pk in ids.items():
        if name.startswith("videos/") and name in PROCESSABLE:
            video = Rendition.objects.get(asset_id=pk, name="video-720")
            local = tmp_path / f"{pk}.mp4"
            local.write_bytes(video.file.read())
            streams = [s for s in ffprobe(local)["streams"] if s["codec_type"] == "video"]
            assert streams[0]["codec_name"] == "h264", name
        elif name in PROCESSABLE:
            pages = Rendition.objects.filter(asset_id=pk, name__startswith="page-").count()
            assert pages == assets[pk].pages and pages > 0, name


def test_corpus_through_live_workers_on_local_files(workers, shared_media, contest, tmp_path):
    workers.start("default,media", name="media")
    workers.start("office", name="office")
    ids = _enqueue_corpus(contest, PROCESSABLE + list(BROKEN))
    _check_corpus_results(ids, tmp_path)


def test_corpus_through_live_workers_on_s3(workers, contest, tmp_path, s3_worker_env):
    workers.start("default,media", name="media", extra_env=s3_worker_env)
    workers.start("office", name="office", extra_env=s3_worker_env)
    ids = _enqueue_corpus(contest, PROCESSABLE + list(BROKEN))
    _check_corpus_results(ids, tmp_path)


def _running(pattern: str) -> bool:
    return subprocess.run(["pgrep", "-f", pattern], capture_output=True).returncode == 0


def _long_video(path):  # type: ignore[no-untyped-def]
    """A 1080p clip long enough that its transcode can be interrupted."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=20",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-shortest", str(path)],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


def test_worker_killed_mid_transcode_asset_ends_ready_once(workers, shared_media, contest, tmp_path):
    first = workers.start("default,media", name="first")
    entry = EntryFactory(contest=contest)
    asset = add_asset(entry, _long_video(tmp_path / "long.mp4"))
    with transaction.atomic():
        asset_enqueue(asset)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        asset.refresh_from_db()
        if asset.status == AssetStatus.PROCESSING and asset.progress >= 5:
            break
        time.sleep(0.2)
    assert asset.status == AssetStatus.PROCESSING, workers.log("first")
    workers.kill(first)
    # The transcode dies with its worker instead of running on as an orphan.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _running(str(tmp_path / "worker-work")):
        time.sleep(0.2)
    assert not _running(str(tmp_path / "worker-work"))

    workers.start("default,media", name="second")
    # The dead worker's lease runs out; the reaper (Celery beat's job) queues the asset again.
    MediaAsset.objects.filter(pk=asset.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert assets_reap() == [asset.pk]
    asset = wait_until_finished([asset.pk], timeout=300)[asset.pk]
    assert asset.status == AssetStatus.READY, workers.log("second")
    assert asset.attempts == 2
    names = sorted(Rendition.objects.filter(asset=asset).values_list("name", flat=True))
    assert names == ["poster", "strip", "video-360", "video-720"]
    folder = shared_media / asset.original.name.rsplit("/", 1)[0]
    assert sorted(p.name for p in folder.iterdir()) == [
        "original.upload", "poster.jpg", "strip.jpg", "video-360.mp4", "video-720.mp4"
    ]  # fmt: skip


def test_two_workers_on_separate_queues_process_a_mixed_batch(workers, shared_media, contest, tmp_path):
    workers.start("default,media", name="media")
    workers.start("office", name="office")
    videos = [n for n in PROCESSABLE if n.startswith("videos/")][:10]
    documents = [n for n in PROCESSABLE if not n.startswith("videos/")][:10]
    batch = videos + documents
    ids = list(_enqueue_corpus(contest, batch).values())
    assets = wait_until_finished(ids, timeout=600)
    assert [assets[pk].status for pk in ids] == [AssetStatus.READY] * 20
    assert [assets[pk].attempts for pk in ids] == [1] * 20
    for pk in ids:
        names = list(Rendition.objects.filter(asset_id=pk).values_list("name", flat=True))
        assert len(names) == len(set(names)) > 0
    media_log, office_log = workers.log("media"), workers.log("office")
    assert media_log.count("media_pipeline.media.process") >= 10
    assert office_log.count("media_pipeline.office.process") >= 10
