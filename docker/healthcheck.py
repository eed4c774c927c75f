"""The container's health check: exit 0 when Baige's web server answers /healthz with 200.

Runs inside the image with the standard library only (the runtime image has no curl). Usage:
``python docker/healthcheck.py [URL]``, the URL defaulting to the web server in the same container.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"
TIMEOUT_SECONDS = 4


def host_header(allowed_hosts: str) -> str:
    """A host name Django accepts: the first of ALLOWED_HOSTS ("*" and ".example.org" patterns made concrete)."""
    first = allowed_hosts.split(",")[0].strip().lstrip("*.")
    return first or "localhost"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer from somewhere else, not a healthy /healthz: it fails the check."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def healthcheck_run(*, url: str, environ: dict[str, str]) -> int:
    """0 when the server answers 200, 1 otherwise (the exit status Docker reads)."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's, http(s) only
        url,
        headers={
            "Host": host_header(environ.get("ALLOWED_HOSTS", "")),
            # Behind an https proxy (SECURE_PROXY_SSL_HEADER) the check must not be redirected to https.
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"unhealthy: HTTP {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(healthcheck_run(url=sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL, environ=dict(os.environ)))
