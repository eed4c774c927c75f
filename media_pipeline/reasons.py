"""Why a file was refused or failed, as codes stored on the asset and messages people read.

Codes are stored, never messages, so the message is shown in the reader's language
(a participant's page, an organiser's dashboard, an e-mail) when it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s; this contest accepts files up to %(limit)s."),
    "not_media": _(
        "This file is neither a video nor a presentation. "
        "Upload a video (MP4, MOV, WebM, MKV, AVI, 3GP) or a presentation (PPTX, ODP, PPT, PDF)."
    ),
    "internal": _("The file could not be processed because of an error on our side. We will look into it."),
}


def reason_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The message for a reason code in the active language, with its values filled in."""
    template = REASONS.get(code) or REASONS["internal"]
    values = dict(params or {})
    for key in ("size", "limit"):
        if isinstance(values.get(key), int):
            values[key] = filesizeformat(values[key])
    try:
        return gettext(str(template)) % values if values else gettext(str(template))
    except (KeyError, TypeError, ValueError):
        return str(template)
