"""ZIPs of the entries' files: which files, their names, index.csv, one ZIP per request, storage on S3, pruning."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from config.exceptions import NotAllowed
from contest.enums import EntryStatus
from exchange.entry_files import INDEX_COLUMNS, files_archive_build, files_archive_start, files_archives_prune
from media_pipeline.enums import FilesArchiveKind, FilesArchiveState, MediaKind, RenditionKind
from media_pipeline.models import FilesArchive, Rendition
from tests.factories import EntryFactory, MediaAssetFactory, PlatformFactory, ProfileFactory

VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"v" * 5000
SLIDES = b"%PDF-1.4 slides" + b"s" * 3000


def entry_with(contest, nomination, *, code, title="A lesson", original=None, name="original.mp4", platforms=None):  # type: ignore[no-untyped-def]
    profile = ProfileFactory(full_name=f"Author {code}")
    entry = EntryFactory(
        contest=contest,
        nomination=nomination,
        author=profile.user,
        code=code,
        title=title,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        platforms=platforms,
    )
    if original is not None:
        extension = name.rsplit(".", 1)[-1]
        asset = MediaAssetFactory(
            entry=entry,
            original=ContentFile(original, name=name),
            extension=extension,
            size=len(original),
            kind=MediaKind.VIDEO if extension == "mp4" else MediaKind.PRESENTATION,
        )
        entry.media = asset
        entry.save(update_fields=["media"])
    return entry


def rendition(entry, name, content, *, kind=RenditionKind.IMAGE, page=None):  # type: ignore[no-untyped-def]
    extension = {RenditionKind.VIDEO: "mp4", RenditionKind.PDF: "pdf"}.get(kind, "jpg")
    return Rendition.objects.create(
        asset=entry.media,
        name=name,
        kind=kind,
        file=ContentFile(content, name=f"{name}.{extension}"),
        size=len(content),
        page=page,
    )


def build(contest, organiser, kind, entries, filters=None):  # type: ignore[no-untyped-def]
    archive = files_archive_start(
        actor=organiser, contest=contest, kind=kind, entry_ids=[e.pk for e in entries], filters=filters or {}
    )
    built = files_archive_build(archive_id=archive.pk)
    assert built is not None
    return built


def opened(archive):  # type: ignore[no-untyped-def]
    with default_storage.open(archive.file.name, "rb") as stream:
        return zipfile.ZipFile(io.BytesIO(stream.read()))


def index_of(zipped):  # type: ignore[no-untyped-def]
    raw = zipped.read("index.csv")
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def three(contest, nomination):  # type: ignore[no-untyped-def]
    other = PlatformFactory(contest=contest, name="Other", name_en="Other", is_other=True)
    video = entry_with(contest, nomination, code="VID001", original=VIDEO, platforms=[other])
    video.other_platform = " Kahoot! "
    video.save(update_fields=["other_platform"])
    slides = entry_with(contest, nomination, code="SLD002", original=SLIDES, name="deck.pptx")
    bare = entry_with(contest, nomination, code="NOF003", title='=HYPERLINK("http://x")')
    return video, slides, bare


def test_originals_zip_names_files_by_code_and_lists_every_entry(contest, organiser, three):
    video, slides, bare = three

    archive = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    assert (archive.state, archive.done, archive.total) == (FilesArchiveState.READY, 2, 2)
    zipped = opened(archive)
    assert zipped.namelist() == ["SLD002.pptx", "VID001.mp4", "index.csv"]
    assert zipped.read("VID001.mp4") == VIDEO and zipped.read("SLD002.pptx") == SLIDES
    assert {info.compress_type for info in zipped.infolist()} == {zipfile.ZIP_STORED}
    rows = index_of(zipped)
    assert rows[0] == list(INDEX_COLUMNS)
    university = video.author_university.name if video.author_university else ""
    assert rows[1:] == [
        [
            "NOF003",
            '\'=HYPERLINK("http://x")',
            "Author NOF003",
            bare.author_university.name if bare.author_university else "",
            bare.nomination.name,
            bare.platforms.get().name,
            "submitted",
            "",
            "",
            "",
        ],
        [
            "SLD002",
            "A lesson",
            "Author SLD002",
            slides.author_university.name if slides.author_university else "",
            slides.nomination.name,
            slides.platforms.get().name,
            "submitted",
            "SLD002.pptx",
            str(len(SLIDES)),
            hashlib.sha256(SLIDES).hexdigest(),
        ],
        [
            "VID001",
            "A lesson",
            "Author VID001",
            university,
            video.nomination.name,
            "Other: Kahoot!",
            "submitted",
            "VID001.mp4",
            str(len(VIDEO)),
            hashlib.sha256(VIDEO).hexdigest(),
        ],
    ]
    assert archive.size == default_storage.size(archive.file.name)


def test_jury_zip_holds_what_jurors_see_never_the_original_nor_the_pdf(contest, organiser, three):
    video, slides, _bare = three
    rendition(video, "video-720", b"v720" * 100, kind=RenditionKind.VIDEO)
    rendition(video, "video-360", b"v360", kind=RenditionKind.VIDEO)
    rendition(video, "poster", b"poster")
    rendition(slides, "pdf", b"%PDF author metadata", kind=RenditionKind.PDF)
    rendition(slides, "cover", b"cover")
    rendition(slides, "page-0002", b"page two", page=2)
    rendition(slides, "page-0001", b"page one", page=1)

    archive = build(contest, organiser, FilesArchiveKind.JURY, three)

    zipped = opened(archive)
    assert zipped.namelist() == ["SLD002/page-0001.jpg", "SLD002/page-0002.jpg", "VID001.mp4", "index.csv"]
    assert zipped.read("VID001.mp4") == b"v720" * 100
    assert zipped.read("SLD002/page-0002.jpg") == b"page two"
    assert [row[7] for row in index_of(zipped)[1:]] == [
        "",
        "SLD002/page-0001.jpg",
        "SLD002/page-0002.jpg",
        "VID001.mp4",
    ]


def test_a_file_gone_from_storage_is_left_out_and_its_entry_listed_without_it(contest, organiser, three):
    video, _slides, _bare = three
    default_storage.delete(video.media.original.name)

    archive = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    zipped = opened(archive)
    assert zipped.namelist() == ["SLD002.pptx", "index.csv"]
    assert index_of(zipped)[3][7:] == ["", "", ""]


def test_asking_twice_for_the_same_files_makes_one_zip(contest, organiser, three, django_capture_on_commit_callbacks):
    ids = [entry.pk for entry in three]
    with django_capture_on_commit_callbacks() as queued:
        first = files_archive_start(
            actor=organiser, contest=contest, kind="originals", entry_ids=ids, filters={"status": "submitted"}
        )
        again = files_archive_start(
            actor=organiser, contest=contest, kind="originals", entry_ids=ids, filters={"status": "submitted", "q": ""}
        )
        jury = files_archive_start(
            actor=organiser, contest=contest, kind="jury", entry_ids=ids, filters={"status": "submitted"}
        )

    assert again.pk == first.pk and jury.pk != first.pk
    assert len(queued) == 2
    assert first.filters == {"status": "submitted"}


def test_a_zip_whose_worker_died_is_failed_and_asked_again(contest, organiser, three):
    ids = [entry.pk for entry in three]
    dead = files_archive_start(actor=organiser, contest=contest, kind="originals", entry_ids=ids, filters={})
    FilesArchive.objects.filter(pk=dead.pk).update(
        state=FilesArchiveState.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )

    fresh = files_archive_start(actor=organiser, contest=contest, kind="originals", entry_ids=ids, filters={})

    dead.refresh_from_db()
    assert fresh.pk != dead.pk
    assert dead.state == FilesArchiveState.FAILED and dead.error


def test_only_the_contests_own_entries_and_organisers(contest, organiser, participant, three):
    stranger = EntryFactory(status=EntryStatus.SUBMITTED, submitted_at=timezone.now())

    archive = files_archive_start(
        actor=organiser, contest=contest, kind="originals", entry_ids=[three[0].pk, stranger.pk], filters={}
    )

    assert archive.entry_ids == [three[0].pk]
    with pytest.raises(NotAllowed):
        files_archive_start(actor=participant, contest=contest, kind="originals", entry_ids=[], filters={})


def test_a_new_zip_of_the_same_files_replaces_the_old_one(contest, organiser, three):
    first = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)
    name = first.file.name

    second = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    assert list(FilesArchive.objects.values_list("pk", flat=True)) == [second.pk]
    assert not default_storage.exists(name)


def test_old_zips_are_pruned_with_their_files(contest, organiser, three, settings):
    settings.FILES_ARCHIVE_KEEP_DAYS = 7
    archive = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    assert files_archives_prune(now=timezone.now() + timedelta(days=6)) == 0
    assert files_archives_prune(now=timezone.now() + timedelta(days=8)) == 1

    assert not FilesArchive.objects.exists()
    assert not default_storage.exists(archive.file.name)


def test_the_zip_is_built_from_and_stored_on_s3(s3_storage, contest, organiser, three):
    archive = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    assert archive.state == FilesArchiveState.READY
    assert archive.file.name.startswith(f"files/{contest.slug}/")
    zipped = opened(archive)
    assert zipped.read("VID001.mp4") == VIDEO
    assert [row[0] for row in index_of(zipped)[1:]] == ["NOF003", "SLD002", "VID001"]


def test_zips_are_built_on_the_media_queue_and_pruned_each_night(settings):
    from config.celery import app

    app.loader.import_default_modules()
    assert app.amqp.router.route({}, "exchange.files.build_archive")["queue"].name == "media"
    entry = settings.CELERY_BEAT_SCHEDULE["prune-files-archives"]
    assert entry["task"] == "exchange.prune_files_archives" and entry["task"] in app.tasks


def test_a_zip_that_fails_says_so_and_leaves_no_file(contest, organiser, three, monkeypatch):
    from media_pipeline import files

    archive = files_archive_start(
        actor=organiser, contest=contest, kind="originals", entry_ids=[e.pk for e in three], filters={}
    )

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(files, "upload", broken)
    with pytest.raises(OSError):
        files_archive_build(archive_id=archive.pk)

    archive.refresh_from_db()
    assert (archive.state, archive.error, archive.file.name) == (
        FilesArchiveState.FAILED,
        "Building the ZIP stopped on an error; ask for it again.",
        "",
    )
    assert not archive.is_running


def test_a_file_of_unrecorded_size_is_zipped_whole(contest, organiser, three):
    video = three[0]
    type(video.media).objects.filter(pk=video.media.pk).update(size=0)

    archive = build(contest, organiser, FilesArchiveKind.ORIGINALS, three)

    zipped = opened(archive)
    assert zipped.read("VID001.mp4") == VIDEO
    assert zipped.testzip() is None
    assert index_of(zipped)[3][8] == str(len(VIDEO))


def test_the_task_of_a_zip_that_is_gone_does_nothing(db):
    from exchange.tasks import build_files_archive

    assert build_files_archive(archive_id=987654) is None
