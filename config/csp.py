"""The Content-Security-Policy header: django-csp's, plus the origin media files are served from.

On S3 a media page redirects to a signed address in the bucket and Uppy uploads straight into it, so the
images, videos and uploads of a page come from the bucket's origin as well as from Baige's own. That origin
is taken from an address the storage actually signs, so it is right for path-style and virtual-host
buckets, custom endpoints and AWS alike, and it follows the storage when the settings change.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.files.storage import Storage, storages
from django.http import HttpRequest, HttpResponseBase

#: The directives that must also reach the media storage.
MEDIA_DIRECTIVES = ("img-src", "media-src", "connect-src")


@lru_cache(maxsize=8)
def storage_origin(storage: Storage) -> str | None:
    """The scheme, host and port the storage's file addresses point to; None when they are Baige's own."""
    address = urlsplit(storage.url("content-security-policy"))
    if not address.scheme or not address.netloc:
        return None
    return f"{address.scheme}://{address.netloc}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the media storage's origin added to the media directives."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # Looked up per response, since Django makes a new storage when STORAGES changes.
        origin = storage_origin(storages["default"])
        if origin is None:
            return parts
        update = dict(parts.update or {})
        for directive in MEDIA_DIRECTIVES:
            extra = update.get(directive) or []
            update[directive] = [*([extra] if isinstance(extra, str) else extra), origin]
        parts.update = update
        return parts
