"""The images of a certificate's design: checked by content, stored under names Baige makes, embedded in the PDF."""

from __future__ import annotations

import base64
import io
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from config.exceptions import BaigeError

#: The largest image taken, in bytes, and in pixels on its longer side.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 5000
#: The image types taken, by Pillow's name, with the extension and content type they are stored with.
IMAGE_TYPES = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}


def image_check(upload: UploadedFile) -> str:
    """The image type of ``upload`` (``"PNG"`` or ``"JPEG"``), decided by its content; refused otherwise."""
    if upload.size is None or upload.size > MAX_IMAGE_BYTES:
        raise BaigeError(
            _("The image is too large: at most %(size)d MB.") % {"size": MAX_IMAGE_BYTES // (1024 * 1024)},
            code="image_too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as broken:
        raise BaigeError(_("This is not a PNG or JPEG image."), code="image_type") from broken
    if kind not in IMAGE_TYPES:
        raise BaigeError(_("This is not a PNG or JPEG image."), code="image_type")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise BaigeError(
            _("The image is too large: at most %(side)d pixels on a side.") % {"side": MAX_IMAGE_SIDE},
            code="image_too_large",
        )
    upload.seek(0)
    return kind


def image_store(upload: UploadedFile, *, contest_slug: str, role: str) -> str:
    """Store a checked image through the default storage under a name of Baige's own; the stored name."""
    kind = image_check(upload)
    extension = IMAGE_TYPES[kind][0]
    name = f"certificates/{contest_slug}/design/{role}-{secrets.token_hex(8)}.{extension}"
    return default_storage.save(name, ContentFile(upload.read()))


def image_data_uri(name: str) -> str:
    """A stored image as a ``data:`` URI, so the PDF renderer never fetches anything; empty when it is gone."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except (FileNotFoundError, OSError):
        return ""
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
