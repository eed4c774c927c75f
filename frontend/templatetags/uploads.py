"""Template helpers of the entry's upload form."""

from __future__ import annotations

from django import template

from contest.models import Entry
from media_pipeline.models import MediaAsset
from media_pipeline.uploads import asset_pending

register = template.Library()


@register.simple_tag
def pending_file(entry: Entry) -> MediaAsset | None:
    """The entry's newest file while it is not its current one yet (received, being checked, or refused)."""
    return asset_pending(entry)
