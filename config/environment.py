"""Small helpers that turn environment variables into Django settings.

Kept apart from ``settings.py`` so that tests can build each piece from a
dictionary of their own instead of the process environment.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}

# Variables that may hold a password or key, so they can also come from a file (``<NAME>_FILE``) as
# Docker and Kubernetes mount secrets, and stay out of ``docker inspect`` and the process environment.
SECRET_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "EMAIL_HOST_PASSWORD",
    "SENTRY_DSN",
)

# Only good for a computer that serves nobody else: it is public, in this file.
DEVELOPMENT_SECRET_KEY = "baige-embedded-default-not-for-production"  # noqa: S105 - public on purpose


def env_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """Read a yes/no variable."""
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    value = env.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(env: Mapping[str, str], name: str) -> list[str]:
    """Read a comma-separated list of IP addresses or networks (``10.0.0.0/8``), refusing anything else."""
    networks = []
    for item in env_list(env, name, []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network ({error}).") from error
    return networks


def env_secret(env: Mapping[str, str], name: str) -> str | None:
    """Read ``name`` from the environment, or from the file that ``<name>_FILE`` names."""
    value = env.get(name) or None
    path = env.get(f"{name}_FILE") or None
    if path is None:
        return value
    if value is not None:
        # Two sources for one secret: silently preferring either would hide a forgotten, stale one.
        raise ImproperlyConfigured(f"{name} and {name}_FILE are both set: set only one of them.")
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE names {path}, which cannot be read: {error.strerror}.") from error
    # Editors and `echo` end the file with a newline that is not part of the secret.
    return content.rstrip("\r\n")


def env_with_secret_files(env: Mapping[str, str]) -> dict[str, str]:
    """A copy of the environment where every secret given as ``<NAME>_FILE`` is set as ``<NAME>``."""
    resolved = dict(env)
    for name in SECRET_VARIABLES:
        value = env_secret(env, name)
        if value is not None:
            resolved[name] = value
    return resolved


def secret_key_from_env(env: Mapping[str, str], *, debug: bool) -> str:
    """``SECRET_KEY``, or the development key where that is harmless: with ``DEBUG`` on, never otherwise."""
    key = env.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    if key == DEVELOPMENT_SECRET_KEY and not debug:
        # Anyone can read the development key here, and with it forge sessions and password-reset links. A
        # site without DEBUG serves people (whatever SITE_URL says: http behind a proxy, a LAN address...).
        raise ImproperlyConfigured(
            "SECRET_KEY is the public development key while DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE) "
            "to a long random value, or DEBUG=1 on a computer that serves nobody else."
        )
    return key


def database_from_env(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """PostgreSQL (or any) from ``DATABASE_URL``, else a SQLite file in the data folder."""
    url = env.get("DATABASE_URL")
    if url:
        # dict(): one return type for both branches; the parser's TypedDict does not type as dict[str, Any].
        return dict(dj_database_url.parse(url, conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "60"))))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "baige.sqlite3",
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


def storages_from_env(env: Mapping[str, str], media_root: Path) -> dict[str, Any]:
    """S3-compatible storage when ``S3_BUCKET`` is set, else local files."""
    staticfiles = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    if env_bool(env, "STATIC_PLAIN"):
        staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    bucket = env.get("S3_BUCKET")
    if not bucket:
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root)},
        }
        return {"default": default, "staticfiles": staticfiles}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
        "access_key": env.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": env.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env.get("S3_REGION") or None,
        "location": env.get("S3_PREFIX", ""),
        # Media is private by default: every URL is signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": int(env.get("S3_URL_EXPIRE_SECONDS", "600")),
        "file_overwrite": False,
        # Past this size a file read through the storage spills to disk instead of memory.
        "max_memory_size": 8 * 1024 * 1024,
        "addressing_style": env.get("S3_ADDRESSING_STYLE") or None,
        # Signature V4 signs a part's Content-Length, so a presigned part takes exactly its length.
        "signature_version": "s3v4",
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "staticfiles": staticfiles,
    }


def celery_from_env(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """Redis when ``REDIS_URL`` is set, else a broker in plain files that needs no server."""
    broker = env.get("CELERY_BROKER_URL") or env.get("REDIS_URL")
    if broker:
        return {"broker_url": broker, "transport_options": {"visibility_timeout": 4 * 3600}}
    folder = data_dir / "broker"
    return {
        "broker_url": "filesystem://",
        "transport_options": {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        },
    }


def cache_from_env(env: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """Redis cache when ``REDIS_URL`` is set, else a file cache shared by web and worker."""
    url = env.get("REDIS_URL")
    if url:
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(data_dir / "cache"),
        }
    }
