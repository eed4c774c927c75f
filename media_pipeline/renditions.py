"""The names of an asset's renditions that people may open, and who may open which."""

from __future__ import annotations

import re

#: The renditions a juror may open: what the player and slide viewer show. Never the original upload
#: nor the ``pdf`` rendition, whose document properties may still name the author.
JURY_RENDITIONS = re.compile(r"^(video-720|video-360|poster|strip|cover|page-\d{1,6})$")
#: The files of a published winner anyone may open: those the player and slide viewer show. Never the
#: original upload nor the ``pdf`` rendition, whose document properties may name an author who did not consent.
PUBLIC_RENDITIONS = JURY_RENDITIONS
#: The renditions an organiser opens on an entry's page: what its jurors see, so that the organiser sees the
#: entry exactly as they do. The original upload is theirs too, through its own download (never as a rendition).
ORGANISER_RENDITIONS = JURY_RENDITIONS
