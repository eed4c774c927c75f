"""Why a file was refused or failed, as codes stored on the asset and messages people read.

Codes are stored, never messages, so the message is shown in the reader's language
(a participant's page, an organiser's dashboard, an e-mail) when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    "missing": _("The file was not found. Upload it again."),
    "corrupted_upload": _("The file was damaged on its way to us. Upload it again."),
    "no_video_stream": _("The file holds no video picture, only sound or data. Upload a video."),
    "unreadable_video": _(
        "The video could not be read: it is damaged, incomplete or in a format we cannot play. "
        "Export it again (MP4 with H.264 works everywhere) and upload it."
    ),
    "too_long": _("The video is %(duration)s long; this contest accepts videos up to %(limit)s. Shorten it."),
    "too_many_pages": _(
        "The presentation has %(pages)s slides or pages; this contest accepts up to %(limit)s. Shorten it."
    ),
    "no_pages": _("The presentation has no slides or pages to show. Add your slides and upload it again."),
    "unreadable_presentation": _(
        "The presentation could not be opened: it is damaged or in a format we cannot read. "
        "Save it again as PPTX or PDF and upload it."
    ),
    "archive_too_big": _(
        "The presentation unpacks into far more data or parts than a presentation needs. "
        "Make the pictures and videos inside it smaller, or save it as PDF, and upload it again."
    ),
    "unreadable_pdf": _("The PDF could not be read: it is damaged or incomplete. Export it again and upload it."),
    "protected_pdf": _("The PDF is protected by a password. Upload a copy without a password."),
    "timeout": _("Processing the file took too long. Upload a shorter or smaller file, or save it in another format."),
    "stuck": _("Processing the file failed several times. Upload it again; if that fails too, contact the organisers."),
    "internal": _("The file could not be processed because of an error on our side. We will look into it."),
    "network_not_isolated": _(
        "Presentations cannot be converted at the moment: the server is not set up to open them safely. "
        "The organisers have been told. Upload the presentation as PDF, or upload it again later."
    ),
}


class ProcessingFailed(Exception):
    """A file cannot be (or could not be) processed; ``code`` is a key of ``REASONS``.

    ``detail`` is the technical tail for logs and organisers; ``transient`` says whether trying
    again later may succeed (the disk was full, the tool was killed from outside).
    """

    def __init__(
        self, code: str, params: dict[str, Any] | None = None, *, detail: str = "", transient: bool = False
    ) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.params = dict(params or {})
        self.detail = detail
        self.transient = transient

    @property
    def message(self) -> str:
        """The reason in the active language, with its values filled in."""
        return reason_text(self.code, self.params)


def duration_text(seconds: float) -> str:
    """A length of time as people say it: ``20 min``, ``1 min 5 s``, ``45 s``."""
    total = max(0, round(seconds))
    minutes, rest = divmod(total, 60)
    if minutes and rest:
        return gettext("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    if minutes:
        return gettext("%(minutes)d min") % {"minutes": minutes}
    return gettext("%(seconds)d s") % {"seconds": rest}


def _size_text(value: Any) -> Any:
    return filesizeformat(value) if isinstance(value, int) else value


def _duration_value(value: Any) -> Any:
    return duration_text(value) if isinstance(value, int | float) else value


#: How the values of a reason are shown; sizes by default (the first reasons had only sizes).
FORMATS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "too_long": {"duration": _duration_value, "limit": _duration_value},
    "too_many_pages": {},
}
SIZE_FORMAT: dict[str, Callable[[Any], Any]] = {"size": _size_text, "limit": _size_text}


def reason_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The message for a reason code in the active language, with its values filled in."""
    template = REASONS.get(code) or REASONS["internal"]
    values = dict(params or {})
    for key, formatter in FORMATS.get(code, SIZE_FORMAT).items():
        if key in values:
            values[key] = formatter(values[key])
    try:
        return gettext(str(template)) % values if values else gettext(str(template))
    except (KeyError, TypeError, ValueError):
        return str(template)
