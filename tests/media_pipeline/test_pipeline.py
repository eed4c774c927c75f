"""The pipeline around the processing core, run in this process: states, outputs, idempotency, reaper."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset, Rendition
from media_pipeline.pipeline import MAX_ATTEMPTS, asset_claim, asset_process, asset_process_task, assets_reap
from tests.factories import EntryFactory, ProfileFactory
from tests.media_pipeline.helpers import add_asset, corpus_file, ffprobe


@pytest.fixture
def author(db):
    return ProfileFactory(preferred_language="ru").user


@pytest.fixture
def entry(contest, author):
    return EntryFactory(contest=contest, author=author)


def _url(view, entry, **kwargs):
    with translation.override("en"):
        return reverse(f"frontend:{view}", kwargs={"slug": entry.contest.slug, "code": entry.code, **kwargs})


def test_pdf_ends_ready_with_pages_and_becomes_current(entry):
    asset = add_asset(entry, corpus_file("pdf/gofpdf_utf8font_multilang_cyrillic.pdf"))
    asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    entry.refresh_from_db()
    assert (asset.status, asset.progress, asset.pages, asset.kind) == (AssetStatus.READY, 100, 2, "pdf")
    assert sorted(asset.renditions.values_list("name", flat=True)) == ["cover", "page-0001", "page-0002"]
    assert entry.media == asset
    assert len(asset.sha256) == 64


def test_video_ends_ready_with_renditions(entry, tmp_path):
    asset = add_asset(entry, corpus_file("videos/exoplayer_sample_h264_aac.mp4"))
    asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY
    assert sorted(asset.renditions.values_list("name", flat=True)) == ["poster", "strip", "video-360", "video-720"]
    video = asset.renditions.get(name="video-720")
    local = tmp_path / "720.mp4"
    local.write_bytes(video.file.read())
    streams = {s["codec_type"]: s for s in ffprobe(local)["streams"]}
    assert (streams["video"]["codec_name"], streams["audio"]["codec_name"]) == ("h264", "aac")
    assert streams["video"]["height"] <= 720


def test_processing_again_keeps_one_set_of_outputs(entry, settings):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    asset_process(asset_id=asset.pk)
    first = sorted(Rendition.objects.filter(asset=asset).values_list("name", "file"))
    assert asset_process(asset_id=asset.pk) is None  # finished: nothing to do
    # A worker that died after storing some outputs: the next run stores only what is missing.
    MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.PROCESSING, heartbeat_at=None)
    Rendition.objects.filter(asset=asset, name="cover").delete()
    asset_process(asset_id=asset.pk)
    assert sorted(Rendition.objects.filter(asset=asset).values_list("name", "file")) == first
    folder = settings.MEDIA_ROOT / asset.original.name.rsplit("/", 1)[0]
    assert sorted(p.name for p in folder.iterdir()) == ["cover.jpg", "original.upload", "page-0001.jpg"] or sorted(
        p.name for p in folder.iterdir()
    ) == ["cover.webp", "original.upload", "page-0001.webp"]


def test_broken_file_fails_and_entry_keeps_its_file(entry, django_capture_on_commit_callbacks):
    good = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    asset_process(asset_id=good.pk)
    broken = add_asset(entry, corpus_file("videos/streamio_broken_truncated.mp4"))
    with django_capture_on_commit_callbacks(execute=True):
        asset_process(asset_id=broken.pk)
    broken.refresh_from_db()
    entry.refresh_from_db()
    assert (broken.status, broken.reason_code) == (AssetStatus.FAILED, "unreadable_video")
    assert entry.media == good
    assert len(mail.outbox) == 1
    assert entry.code in mail.outbox[0].subject
    assert mail.outbox[0].to == [entry.author.email]
    with translation.override("ru"):
        from media_pipeline.reasons import reason_text

        assert reason_text("unreadable_video") in mail.outbox[0].body


def test_claim_refused_while_another_worker_is_alive(entry):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.PROCESSING, heartbeat_at=timezone.now())
    assert asset_claim(asset.pk) is None
    MediaAsset.objects.filter(pk=asset.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    claimed = asset_claim(asset.pk)
    assert claimed is not None and claimed.attempts == 1


def test_reaper_requeues_stale_and_fails_exhausted(entry, django_capture_on_commit_callbacks):
    stale = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    exhausted = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    alive = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    long_ago = timezone.now() - timedelta(minutes=10)
    MediaAsset.objects.filter(pk=stale.pk).update(status=AssetStatus.PROCESSING, heartbeat_at=long_ago, attempts=1)
    MediaAsset.objects.filter(pk=exhausted.pk).update(
        status=AssetStatus.PROCESSING, heartbeat_at=long_ago, attempts=MAX_ATTEMPTS
    )
    MediaAsset.objects.filter(pk=alive.pk).update(status=AssetStatus.PROCESSING, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert assets_reap() == [stale.pk]
    statuses = dict(MediaAsset.objects.filter(entry=entry).values_list("pk", "status"))
    assert statuses == {stale.pk: "queued", exhausted.pk: "failed", alive.pk: "processing"}
    assert len(callbacks) == 2  # the stale asset's new message and the exhausted one's e-mail


def test_entry_page_shows_slide_viewer_when_ready(entry, author):
    asset = add_asset(entry, corpus_file("pdf/gofpdf_utf8font_multilang_cyrillic.pdf"))
    asset_process(asset_id=asset.pk)
    client = Client()
    client.force_login(author)
    body = client.get(_url("entry_detail", entry)).content.decode()
    assert body.count("data-slide ") + body.count("data-slide>") == 2
    page = client.get(_url("rendition", entry, asset=asset.uuid, name="page-0001"))
    assert page.status_code == 200
    assert page["Content-Type"] in ("image/jpeg", "image/webp")


def test_media_status_follows_the_newest_file(entry, author):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    MediaAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.PROCESSING, progress=42)
    client = Client()
    client.force_login(author)
    state = client.get(_url("media_status", entry)).json()
    assert (state["status"], state["progress"], state["current"]) == ("processing", 42, False)


@pytest.mark.parametrize("role", ["other_participant", "juror", "organiser"])
def test_media_views_refused_to_others(request, entry, role):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    asset_process(asset_id=asset.pk)
    client = Client()
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url("media_status", entry)).status_code == 404
    assert client.get(_url("rendition", entry, asset=asset.uuid, name="page-0001")).status_code == 404


def test_media_views_send_anonymous_to_login(entry):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    for response in (
        Client().get(_url("media_status", entry)),
        Client().get(_url("rendition", entry, asset=asset.uuid, name="page-0001")),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_broker_visibility_timeout_outlasts_the_longest_task():
    """A message is redelivered only after its task's hard limit, so a slow transcode is never run twice."""
    from config.environment import celery_from_env
    from media_pipeline.tasks import process_media, process_office

    options = celery_from_env({"REDIS_URL": "redis://redis:6379/0"}, Path("/unused"))["transport_options"]
    assert options["visibility_timeout"] > max(process_media.time_limit, process_office.time_limit)
    assert process_media.acks_late and process_office.acks_late
    from config.celery import app

    queues = [app.amqp.router.route({}, task.name)["queue"].name for task in (process_media, process_office)]
    assert queues == ["media", "office"]


def test_progress_written_at_most_once_a_second(entry, django_assert_max_num_queries):
    from media_pipeline.pipeline import ProgressWriter as _Progress

    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    report = _Progress(asset.pk)
    with django_assert_max_num_queries(1):
        for percent in range(0, 60):
            report(percent)
    asset.refresh_from_db()
    assert asset.progress == 0


def test_claim_when_lease_shortened_takes_asset_silent_past_it(entry, settings):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=AssetStatus.PROCESSING, heartbeat_at=timezone.now() - timedelta(seconds=50)
    )
    assert asset_claim(asset.pk) is None  # the default lease is two minutes

    settings.MEDIA_STALE_AFTER_SECONDS = 45
    claimed = asset_claim(asset.pk)

    assert claimed is not None and claimed.attempts == 1


def test_reaper_when_lease_shortened_requeues_asset_silent_past_it(entry, settings, django_capture_on_commit_callbacks):
    asset = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=AssetStatus.PROCESSING, heartbeat_at=timezone.now() - timedelta(seconds=50), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert assets_reap() == []
        settings.MEDIA_STALE_AFTER_SECONDS = 45
        assert assets_reap() == [asset.pk]


def test_process_task_when_kind_detected_or_not(entry):
    """The kind detected at upload chooses the queue; a file received in parts is told by its first bytes."""
    pdf = add_asset(entry, corpus_file("pdf/unstructured_fake_memo.pdf"))
    video = add_asset(entry, corpus_file("videos/exoplayer_sample_h264_aac.mp4"))
    deck = add_asset(entry, corpus_file("presentations/python_pptx_tbl_cell.pptx"))
    assert [asset_process_task(asset) for asset in (pdf, video, deck)] == [
        "media_pipeline.office.process",
        "media_pipeline.media.process",
        "media_pipeline.office.process",
    ]
    video.kind = MediaKind.PRESENTATION
    assert asset_process_task(video) == "media_pipeline.office.process"
