"""Reads of media assets: an entry's files, and what a page needs to show an asset's player or slide viewer."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from contest.models import Entry
from media_pipeline.enums import AssetStatus
from media_pipeline.models import FilesArchive, MediaAsset, Rendition
from media_pipeline.reasons import reason_text


@dataclass
class Preview:
    """An asset's renditions sorted by use."""

    asset: MediaAsset
    video: Rendition | None = None
    video_low: Rendition | None = None
    poster: Rendition | None = None
    strip: Rendition | None = None
    cover: Rendition | None = None
    pages: list[Rendition] = field(default_factory=list)

    @property
    def playable(self) -> bool:
        return self.video is not None

    @property
    def has_slides(self) -> bool:
        return bool(self.pages)


def asset_preview(asset: MediaAsset | None) -> Preview | None:
    """The player's and slide viewer's files of ``asset``, in one query."""
    if asset is None:
        return None
    return preview_of(asset, Rendition.objects.filter(asset=asset).order_by("page", "name"))


def preview_of(asset: MediaAsset, renditions: Iterable[Rendition]) -> Preview:
    """The player's and slide viewer's files among ``renditions`` of ``asset`` (in page order), read already."""
    preview = Preview(asset=asset)
    for rendition in renditions:
        if rendition.name.startswith("page-"):
            preview.pages.append(rendition)
        elif rendition.name == "video-720":
            preview.video = rendition
        elif rendition.name == "video-360":
            preview.video_low = rendition
        elif rendition.name in ("poster", "strip", "cover"):
            setattr(preview, rendition.name, rendition)
    return preview


def asset_latest(entry_id: int) -> MediaAsset | None:
    """The entry's newest upload, current or still being checked."""
    return MediaAsset.objects.filter(entry_id=entry_id).order_by("-created_at").first()


def get_entry_rendition(entry: Entry, *, asset: uuid.UUID, name: str) -> Rendition:
    """A processed file of any of the entry's uploads, or 404."""
    rendition = Rendition.objects.filter(asset__entry=entry, asset__uuid=asset, name=name).first()
    if rendition is None:
        raise Http404
    return rendition


def get_current_rendition(entry: Entry, *, asset: uuid.UUID, name: str) -> Rendition:
    """A processed file of the entry's current file only, or 404: an older upload may still carry what was replaced."""
    rendition = Rendition.objects.filter(asset_id=entry.media_id, asset__uuid=asset, name=name).first()
    if rendition is None:
        raise Http404
    return rendition


def asset_pending(entry: Entry) -> MediaAsset | None:
    """The entry's newest file when it is not its current one yet: received, being checked, or refused."""
    asset = MediaAsset.objects.filter(entry=entry).order_by("-created_at", "-pk").first()
    if asset is None or asset.pk == entry.media_id or asset.status == AssetStatus.READY:
        return None
    return asset


@dataclass(frozen=True)
class EntryFiles:
    """What the entry's page shows of its files."""

    #: The newest upload, current or still being checked, and why it failed in the reader's language.
    latest: MediaAsset | None
    latest_reason: str
    #: The newest upload while it is not the entry's file yet.
    pending: MediaAsset | None
    #: The player's and slide viewer's files of the entry's current file.
    preview: Preview | None


def entry_files(entry: Entry) -> EntryFiles:
    """The entry's files as its author's page shows them."""
    latest = asset_latest(entry.pk)
    return EntryFiles(
        latest=latest,
        latest_reason=reason_text(latest.reason_code, latest.reason_params) if latest and latest.reason_code else "",
        pending=asset_pending(entry),
        preview=asset_preview(entry.media),
    )


#: ZIPs of files the organisers' page lists.
ARCHIVES_LISTED = 10


def files_archives_recent(contest_id: int) -> list[FilesArchive]:
    """The contest's latest ZIPs of files, newest first, with who asked for each: one query."""
    return list(
        FilesArchive.objects.filter(contest_id=contest_id).select_related("requested_by__profile")[:ARCHIVES_LISTED]
    )


def get_files_archive_for_organiser(contest_id: int, pk: int) -> FilesArchive:
    """A ZIP of files of this contest, or 404: another contest's is never found."""
    archive = FilesArchive.objects.select_related("contest").filter(contest_id=contest_id, pk=pk).first()
    if archive is None:
        raise Http404
    return archive


def entry_assets(entry: Entry) -> list[MediaAsset]:
    """Every file uploaded for the entry, newest first, each with its renditions in page order; two queries.

    For the organisers: the history of the entry's uploads and of their processing, as the assets record it.
    """
    renditions = Prefetch("renditions", queryset=Rendition.objects.order_by("page", "name"))
    return list(MediaAsset.objects.filter(entry=entry).prefetch_related(renditions).order_by("-created_at", "-pk"))
