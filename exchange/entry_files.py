"""A ZIP of the files of a contest's entries for organisers to keep: their original uploads, or what the jury sees.

An organiser asks with the dashboard's filters; the entries they match are noted then, and a worker
writes the ZIP (``exchange.files.build_archive``, queue ``media``). Files are named by entry code
(``K7M2QX.mp4``; an entry with several files gets a folder, ``K7M2QX/page-0001.jpg``) and
``index.csv`` lists every entry with its file, size and SHA-256.

Memory stays flat whatever the number and size of the files: each file is copied a chunk at a time
(a streamed GET on S3) into a ZIP written to the worker's disk with ``ZIP_STORED`` (media is compressed
already; ZIP64 once a member or the archive passes 4 GiB), then stored from disk (a multipart upload on
S3 that reads each part from the file). Only the list of files and the index's lines are kept in memory.

What the jury sees is what :data:`media_pipeline.renditions.JURY_RENDITIONS` lets a juror open: the
video's best rendition, else the page images of slides, never the original nor the ``pdf`` rendition
(whose document properties may name the author).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError
from contest.models import Contest, Entry, Platform
from contest.services import Actor, contest_ensure_organiser
from exchange.sheet_writers import csv_writer
from media_pipeline import files
from media_pipeline.enums import FilesArchiveKind, FilesArchiveState
from media_pipeline.models import ARCHIVE_UNFINISHED, FilesArchive, MediaAsset, Rendition
from media_pipeline.renditions import JURY_RENDITIONS

logger = logging.getLogger(__name__)

#: The columns of ``index.csv``: an interface, never renamed.
INDEX_COLUMNS = (
    "code",
    "title",
    "author",
    "university",
    "nomination",
    "platform",
    "status",
    "file",
    "size",
    "sha256",
)
INDEX_NAME = "index.csv"
#: Seconds between two reports of progress to the database.
PROGRESS_EVERY = 1.0
#: The task that builds a ZIP.
BUILD_TASK = "exchange.files.build_archive"
#: Entries read from the database at a time.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Member:
    """One stored file to put in the ZIP under ``name``; ``entry`` is the index of its entry in the list."""

    entry: int
    name: str
    stored: str
    size: int


def filters_key(filters: dict[str, Any]) -> str:
    """The filters in a fixed form (sorted keys, empty ones left out): equal filters give equal keys."""
    kept = {key: str(value) for key, value in filters.items() if value not in (None, "")}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)[:500]


def files_archive_start(
    *, actor: Actor, contest: Contest, kind: str, entry_ids: list[int], filters: dict[str, Any]
) -> FilesArchive:
    """Queue a ZIP of the files of ``entry_ids`` (entries of ``contest``); one already coming for them is returned."""
    contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can download its files."))
    if kind not in FilesArchiveKind.values:
        raise BaigeError(_("Choose which files to put in the ZIP."), code="unknown_kind")
    # Only the contest's own entries, whatever ids were given.
    ids = sorted(Entry.objects.filter(contest=contest, pk__in=entry_ids).values_list("pk", flat=True))
    kept = {key: str(value) for key, value in filters.items() if value not in (None, "")}
    key = filters_key(kept)
    with transaction.atomic():
        # Two clicks at once make one ZIP: the contest's row is the lock (the constraint stays the last word).
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        coming = FilesArchive.objects.filter(
            contest=contest, kind=kind, filters_key=key, state__in=ARCHIVE_UNFINISHED
        ).first()
        if coming is not None:
            if coming.is_running:
                return coming
            _fail(coming, _("The worker building this ZIP stopped; it was started again."))
        try:
            with transaction.atomic():
                archive = FilesArchive.objects.create(
                    contest=contest,
                    kind=kind,
                    filters=kept,
                    filters_key=key,
                    entry_ids=ids,
                    requested_by=actor if actor.is_authenticated else None,
                    total=0,
                )
        except IntegrityError:
            return FilesArchive.objects.get(contest=contest, kind=kind, filters_key=key, state__in=ARCHIVE_UNFINISHED)
        enqueue_on_commit(BUILD_TASK, archive_id=archive.pk)
    return archive


def _fail(archive: FilesArchive, error: str) -> None:
    archive.state = FilesArchiveState.FAILED
    archive.error = error
    archive.finished_at = timezone.now()
    FilesArchive.objects.filter(pk=archive.pk).update(state=archive.state, error=error, finished_at=archive.finished_at)


def _extension(name: str, fallback: str = "bin") -> str:
    suffix = PurePosixPath(name).suffix.lstrip(".").lower()
    return suffix or fallback


def jury_renditions(asset: MediaAsset) -> list[Rendition]:
    """What a juror is shown of ``asset``: its best video, else its page images in order (prefetched renditions)."""
    seen = [rendition for rendition in asset.renditions.all() if JURY_RENDITIONS.match(rendition.name)]
    by_name = {rendition.name: rendition for rendition in seen}
    video = by_name.get("video-720") or by_name.get("video-360")
    if video is not None:
        return [video]
    pages = [rendition for rendition in seen if rendition.name.startswith("page-")]
    return sorted(pages, key=lambda rendition: (rendition.page or 0, rendition.name))


def _entry_members(index: int, entry: Entry, kind: str) -> list[Member]:
    asset = entry.media
    if asset is None:
        return []
    if kind == FilesArchiveKind.ORIGINALS:
        if not asset.original:
            return []
        stored = str(asset.original.name)
        extension = asset.extension or _extension(stored)
        return [Member(entry=index, name=f"{entry.code}.{extension}", stored=stored, size=asset.size)]
    shown = [rendition for rendition in jury_renditions(asset) if rendition.file]
    if len(shown) == 1:
        stored = str(shown[0].file.name)
        return [Member(entry=index, name=f"{entry.code}.{_extension(stored)}", stored=stored, size=shown[0].size)]
    return [
        Member(
            entry=index,
            name=f"{entry.code}/{rendition.name}.{_extension(str(rendition.file.name))}",
            stored=str(rendition.file.name),
            size=rendition.size,
        )
        for rendition in shown
    ]


def _entries(archive: FilesArchive) -> Iterator[Entry]:
    entries = (
        Entry.objects.filter(contest_id=archive.contest_id, pk__in=archive.entry_ids)
        .select_related("author__profile__university", "author_university", "nomination", "media")
        .prefetch_related(
            Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name")),
            Prefetch("media__renditions", queryset=Rendition.objects.order_by("page", "name")),
        )
        .order_by("code", "pk")
    )
    return entries.iterator(chunk_size=CHUNK_SIZE)


def _platform_text(entry: Entry) -> str:
    names = []
    for platform in entry.platforms.all():
        other = entry.other_platform.strip()
        names.append(f"{platform.name}: {other}" if platform.is_other and other else platform.name)
    return "; ".join(names)


def _entry_cells(entry: Entry) -> list[str]:
    profile = getattr(entry.author, "profile", None)
    university = entry.university_of_author
    return [
        entry.code,
        entry.title,
        profile.full_name if profile is not None else "",
        university.name if university is not None else "",
        entry.nomination.name,
        _platform_text(entry),
        entry.status,
    ]


@dataclass
class Plan:
    """What goes into a ZIP: the index's cells of each entry, and the files to copy in order."""

    entries: list[list[str]]
    members: list[Member]


def files_archive_plan(archive: FilesArchive) -> Plan:
    """The entries of ``archive`` (by code) and their files; a few queries per :data:`CHUNK_SIZE` entries."""
    plan = Plan(entries=[], members=[])
    for entry in _entries(archive):
        plan.members += _entry_members(len(plan.entries), entry, archive.kind)
        plan.entries.append(_entry_cells(entry))
    return plan


def _copy(archive: zipfile.ZipFile, member: Member) -> tuple[int, str]:
    """Copy one stored file into ``archive`` a chunk at a time; its size and SHA-256."""
    source = files.chunks(member.stored)
    # The first read opens the stored file: a missing one fails here, before its member is begun.
    first = next(source, b"")
    info = zipfile.ZipInfo(member.name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = member.size
    digest = hashlib.sha256()
    written = 0
    # A size recorded too small must not stop a big file: ZIP64 whenever the recorded size is unsure.
    with archive.open(info, "w", force_zip64=member.size == 0 or member.size > 2**31) as target:
        for chunk in _chain(first, source):
            digest.update(chunk)
            target.write(chunk)
            written += len(chunk)
    return written, digest.hexdigest()


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def files_archive_index(plan: Plan, copied: dict[int, tuple[int, str]]) -> bytes:
    """``index.csv`` (UTF-8 with a BOM, no cell read as a formula): a line per file, and per entry without one."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(INDEX_COLUMNS)
    by_entry: dict[int, list[int]] = {}
    for position, member in enumerate(plan.members):
        by_entry.setdefault(member.entry, []).append(position)
    for index, cells in enumerate(plan.entries):
        positions = by_entry.get(index, [])
        if not positions:
            writer.writerow([*cells, "", "", ""])
        for position in positions:
            member = plan.members[position]
            size, sha256 = copied.get(position, (None, ""))
            writer.writerow(
                [*cells, member.name if position in copied else "", size if size is not None else "", sha256]
            )
    return out.getvalue().encode("utf-8")


def files_archive_write(plan: Plan, target: Any, *, progress: Any = None) -> dict[int, tuple[int, str]]:
    """Write the ZIP of ``plan`` to ``target`` (a file open for writing); the size and SHA-256 of each file copied.

    A stored file that is gone is left out (``index.csv`` shows its entry without a file); ``progress``
    is called with the number of files done.
    """
    copied: dict[int, tuple[int, str]] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for position, member in enumerate(plan.members):
            try:
                copied[position] = _copy(archive, member)
            except FileNotFoundError:
                logger.warning("The stored file %s is gone: left out of the ZIP", member.stored)
            except Exception as error:
                if _is_missing_on_s3(error):
                    logger.warning("The stored file %s is gone: left out of the ZIP", member.stored)
                else:
                    raise
            if progress is not None:
                progress(position + 1)
        archive.writestr(INDEX_NAME, files_archive_index(plan, copied))
    return copied


def _is_missing_on_s3(error: Exception) -> bool:
    response = getattr(error, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code in ("NoSuchKey", "404")


def files_archive_name(archive: FilesArchive) -> str:
    """The name people get the ZIP under: ``<contest>-<originals|jury>-<date>.zip``."""
    created = timezone.localtime(archive.created_at)
    return f"{archive.contest.slug}-{archive.kind}-{created:%Y%m%d-%H%M}.zip"


def files_archive_build(*, archive_id: int) -> FilesArchive | None:
    """Build a queued ZIP, saying how far it got as it goes; one already built or failed is left alone."""
    archive = FilesArchive.objects.select_related("contest").filter(pk=archive_id).first()
    if archive is None or archive.state not in ARCHIVE_UNFINISHED:
        return archive
    now = timezone.now()
    FilesArchive.objects.filter(pk=archive.pk).update(state=FilesArchiveState.RUNNING, started_at=now, updated_at=now)
    work = Path(settings.MEDIA_WORK_DIR)
    work.mkdir(parents=True, exist_ok=True)
    local = work / f"files-archive-{archive.pk}-{uuid.uuid4().hex}.zip"
    try:
        plan = files_archive_plan(archive)
        total = len(plan.members)
        FilesArchive.objects.filter(pk=archive.pk).update(total=total, done=0, updated_at=timezone.now())
        last = time.monotonic()

        def progress(done: int) -> None:
            nonlocal last
            if done < total and time.monotonic() - last < PROGRESS_EVERY:
                return
            last = time.monotonic()
            FilesArchive.objects.filter(pk=archive.pk).update(done=done, updated_at=timezone.now())

        with local.open("wb") as target:
            files_archive_write(plan, target, progress=progress)
        size = local.stat().st_size
        stored = files.upload(local, f"files/{archive.contest.slug}/{uuid.uuid4().hex}/{files_archive_name(archive)}")
    except Exception:
        logger.exception("The ZIP of files %s failed", archive.pk)
        _fail(archive, _("Building the ZIP stopped on an error; ask for it again."))
        raise
    finally:
        local.unlink(missing_ok=True)
    FilesArchive.objects.filter(pk=archive.pk).update(
        state=FilesArchiveState.READY, file=stored, size=size, done=total, finished_at=timezone.now()
    )
    _replace_older(archive)
    archive.refresh_from_db()
    return archive


def _replace_older(archive: FilesArchive) -> None:
    """The same files asked again replace the ZIP built before."""
    older = FilesArchive.objects.filter(
        contest_id=archive.contest_id, kind=archive.kind, filters_key=archive.filters_key, pk__lt=archive.pk
    ).exclude(state__in=ARCHIVE_UNFINISHED)
    _delete(list(older))


def _delete(archives: list[FilesArchive]) -> int:
    names = [str(archive.file.name) for archive in archives if archive.file]
    FilesArchive.objects.filter(pk__in=[archive.pk for archive in archives]).delete()
    files.remove(names)
    return len(archives)


def files_archives_prune(*, now: Any = None) -> int:
    """Delete the ZIPs (and their files) finished more than ``FILES_ARCHIVE_KEEP_DAYS`` ago; how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FILES_ARCHIVE_KEEP_DAYS)
    old = FilesArchive.objects.filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
    return _delete(list(old))
