"""Reads of media assets: what a page needs to show an asset's player or slide viewer."""

from __future__ import annotations

from dataclasses import dataclass, field

from media_pipeline.models import MediaAsset, Rendition


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
    preview = Preview(asset=asset)
    for rendition in Rendition.objects.filter(asset=asset).order_by("page", "name"):
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
