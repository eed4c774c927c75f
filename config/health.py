"""Liveness and readiness answers for load balancers, orchestrators and uptime monitors.

``/healthz`` says only that the process answers; it touches nothing, so a slow
database never gets a healthy web process restarted. ``/readyz`` looks at each
service Baige needs (database, Redis, media storage) and says which one fails.
"""

from __future__ import annotations

import ipaddress
import logging
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from config.client_ip import client_ip, parse_address

logger = logging.getLogger(__name__)

# Seconds each service may take to answer before it counts as failing.
CHECK_TIMEOUT = 2.0
# Error texts stay short: they are for a person glancing at a probe, the log has the rest.
ERROR_LENGTH = 200

Check = dict[str, str]


def _no_store(response: JsonResponse) -> JsonResponse:
    # A cached answer would report a state that no longer holds.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up: no database, network or file access."""
    return _no_store(JsonResponse({"status": "ok"}))


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every service Baige needs answers: 200, else 503 with the failing ones named.

    Error texts name hosts, ports and buckets: only requests from ``HEALTH_DETAIL_ADDRESSES`` get them;
    anyone else gets each service's status alone.
    """
    report = readiness_report()
    if not may_see_details(request):
        report = {
            "status": report["status"],
            "checks": {name: {"status": check["status"]} for name, check in report["checks"].items()},
        }
    return _no_store(JsonResponse(report, status=200 if report["status"] == "ok" else 503))


def detail_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``HEALTH_DETAIL_ADDRESSES`` as networks (a single address is a network of one)."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in settings.HEALTH_DETAIL_ADDRESSES]


def may_see_details(request: HttpRequest) -> bool:
    """Whether the request comes from an address allowed to read the services' errors.

    The client's address as the login limits see it: the connection's own, or behind one of
    ``TRUSTED_PROXIES`` the address that proxy forwarded, never a header a client wrote itself. So a
    proxy on the same host does not open the details to everyone behind it.
    """
    address = parse_address(client_ip(request))
    if address is None:
        return False
    return any(address.version == network.version and address in network for network in detail_networks())


def readiness_report() -> dict[str, Any]:
    """Run every check at once, each within ``CHECK_TIMEOUT``, and sum them up."""
    checks: dict[str, Callable[[], Check]] = {
        "database": database_check,
        "redis": redis_check,
        "storage": storage_check,
    }
    # In parallel, so one hanging service costs the probe CHECK_TIMEOUT, not the sum of all.
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    futures = {name: executor.submit(_guarded, name, check) for name, check in checks.items()}
    # Each check has its own timeouts; this one deadline only catches a check that ignores them.
    wait(futures.values(), timeout=CHECK_TIMEOUT + 1)
    results: dict[str, Check] = {}
    for name, future in futures.items():
        if future.done():
            results[name] = future.result()
        else:
            logger.warning("Readiness check %s did not answer in time", name)
            results[name] = {"status": "failing", "error": "timed out"}
    # Do not wait for a hanging check: its thread ends on its own timeout.
    executor.shutdown(wait=False, cancel_futures=True)
    healthy = all(result["status"] in ("ok", "skipped") for result in results.values())
    return {"status": "ok" if healthy else "failing", "checks": results}


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - any failure of a service is an answer, not a crash
        reason = _short_reason(exc)
        # Probes repeat every few seconds: one line each time, the traceback only when debugging.
        logger.warning("Readiness check %s failed: %s", name, reason)
        logger.debug("Readiness check %s failed", name, exc_info=True)
        return {"status": "failing", "error": reason}


def _short_reason(exc: BaseException) -> str:
    """The exception's own words, without passwords or keys from the settings."""
    reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    for secret in _secrets():
        reason = reason.replace(secret, "***")
    reason = " ".join(reason.split())
    return reason if len(reason) <= ERROR_LENGTH else reason[: ERROR_LENGTH - 1] + "…"


def _secrets() -> Iterable[str]:
    yield from _redis_urls()
    for url in _redis_urls():
        if password := urlsplit(url).password:
            yield password
    if password := connections.settings[DEFAULT_DB_ALIAS].get("PASSWORD"):
        yield str(password)
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    if secret_key := options.get("secret_key"):
        yield str(secret_key)


def database_check() -> Check:
    """``SELECT 1`` on the default database, through a connection of its own."""
    # A fresh connection with a short connect timeout, so the check neither waits on libpq's
    # default (none) nor disturbs the connections that serve pages.
    settings_dict = {**connections.settings[DEFAULT_DB_ALIAS]}
    options = {**settings_dict.get("OPTIONS", {})}
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        options["connect_timeout"] = max(1, int(CHECK_TIMEOUT))
    elif settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        options["timeout"] = CHECK_TIMEOUT
    settings_dict["OPTIONS"] = options
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()
    return {"status": "ok"}


def _redis_urls() -> list[str]:
    """The Redis servers Baige talks to: the Celery broker and the cache, each once."""
    urls = [settings.CELERY_BROKER_URL]
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
        location = cache.get("LOCATION")
        urls.extend([location] if isinstance(location, str) else location or [])
    redis_urls = [url for url in urls if urlsplit(url).scheme in ("redis", "rediss")]
    return list(dict.fromkeys(redis_urls))


def redis_check() -> Check:
    """PING every Redis server; skipped when Baige runs on the file broker without Redis."""
    urls = _redis_urls()
    if not urls:
        return {"status": "skipped"}
    for url in urls:
        client = redis.Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    return {"status": "ok"}


def storage_check() -> Check:
    """The media storage: the bucket answers on S3, the folder is writable on local disk."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return _folder_check(Path(storage.location))
    if type(storage).__name__ == "S3Storage":
        return _bucket_check(storage)
    # Neither backend Baige configures; nothing here knows how to look at it cheaply.
    return {"status": "skipped"}


def _folder_check(folder: Path) -> Check:
    if not folder.is_dir():
        logger.warning("Media folder %s does not exist", folder)
        return {"status": "failing", "error": "media folder does not exist"}
    # Writing a file is the only true test: access bits say nothing of read-only mounts or root.
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-"):
            pass
    except OSError as exc:
        logger.warning("Media folder %s is not writable: %s", folder, exc)
        return {"status": "failing", "error": f"media folder is not writable ({exc.strerror})"}
    return {"status": "ok"}


def _bucket_check(storage: Storage) -> Check:
    from botocore.config import Config  # type: ignore[import-untyped]

    # A client like the storage's own (same credentials, endpoint, addressing) but with short
    # timeouts and no retries, so a dead endpoint fails within CHECK_TIMEOUT.
    s3: Any = storage
    config = s3.client_config.merge(
        Config(connect_timeout=CHECK_TIMEOUT, read_timeout=CHECK_TIMEOUT, retries={"total_max_attempts": 1})
    )
    client = s3._create_session().client(
        "s3",
        region_name=s3.region_name,
        use_ssl=s3.use_ssl,
        endpoint_url=s3.endpoint_url,
        verify=s3.verify,
        config=config,
    )
    try:
        client.head_bucket(Bucket=s3.bucket_name)
    finally:
        client.close()
    return {"status": "ok"}
