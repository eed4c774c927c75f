"""A real Celery worker that takes only the ``media`` queue builds a ZIP of files from and to S3."""

from __future__ import annotations

import time

from contest.enums import Role
from exchange.entry_files import files_archive_start
from media_pipeline.enums import FilesArchiveState
from media_pipeline.models import FilesArchive
from tests.exchange.test_entry_files import SLIDES, VIDEO, entry_with, index_of, opened
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory


def test_the_media_worker_builds_the_zip_on_s3(workers, s3_storage, s3_worker_env):
    contest = ContestFactory()
    nomination = NominationFactory(contest=contest)
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    entries = [
        entry_with(contest, nomination, code="VID001", original=VIDEO),
        entry_with(contest, nomination, code="SLD002", original=SLIDES, name="deck.pptx"),
    ]
    workers.start("media", extra_env=s3_worker_env)

    archive = files_archive_start(
        actor=organiser, contest=contest, kind="originals", entry_ids=[e.pk for e in entries], filters={}
    )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        archive = FilesArchive.objects.get(pk=archive.pk)
        if archive.state in (FilesArchiveState.READY, FilesArchiveState.FAILED):
            break
        time.sleep(0.5)
    assert (archive.state, archive.done, archive.total) == (FilesArchiveState.READY, 2, 2), workers.log()
    zipped = opened(archive)
    assert zipped.namelist() == ["SLD002.pptx", "VID001.mp4", "index.csv"]
    assert zipped.read("VID001.mp4") == VIDEO
    assert [row[0] for row in index_of(zipped)[1:]] == ["SLD002", "VID001"]
