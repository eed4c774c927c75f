from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.environment import (
    DEVELOPMENT_SECRET_KEY,
    cache_from_env,
    celery_from_env,
    database_from_env,
    env_bool,
    env_secret,
    env_with_secret_files,
    secret_key_from_env,
    storages_from_env,
)


def test_database_without_variables_is_sqlite(tmp_path):
    database = database_from_env({}, tmp_path)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == tmp_path / "baige.sqlite3"


def test_database_from_url_is_postgresql(tmp_path):
    database = database_from_env({"DATABASE_URL": "postgres://baige:secret@db.internal:5433/baige"}, tmp_path)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "db.internal",
        5433,
        "baige",
        "baige",
    )


def test_storage_without_bucket_is_local(tmp_path):
    storages = storages_from_env({}, tmp_path / "media")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["default"]["OPTIONS"]["location"] == str(tmp_path / "media")


def test_storage_with_bucket_is_s3_with_endpoint():
    storages = storages_from_env(
        {
            "S3_BUCKET": "baige-media",
            "S3_ENDPOINT_URL": "http://minio:9000",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_REGION": "us-east-1",
        },
        Path("/unused"),
    )
    options = storages["default"]["OPTIONS"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["access_key"]) == (
        "baige-media",
        "http://minio:9000",
        "key",
    )
    assert options["querystring_auth"] is True
    assert options["default_acl"] is None
    assert options["signature_version"] == "s3v4"


def test_celery_and_cache_use_redis_when_set(tmp_path):
    env = {"REDIS_URL": "redis://cache:6379/2"}
    assert celery_from_env(env, tmp_path)["broker_url"] == "redis://cache:6379/2"
    assert cache_from_env(env, tmp_path)["default"]["LOCATION"] == "redis://cache:6379/2"


def test_celery_without_redis_needs_no_server(tmp_path):
    celery = celery_from_env({}, tmp_path)
    assert celery["broker_url"] == "filesystem://"
    assert celery["transport_options"]["data_folder_in"] == str(tmp_path / "broker" / "queue")
    assert cache_from_env({}, tmp_path)["default"]["BACKEND"].endswith("FileBasedCache")


def test_env_bool_words():
    assert [env_bool({"X": v}, "X") for v in ("1", "true", "Yes", "on", "0", "no", "")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_redis_cache_round_trip():
    """With REDIS_URL set (as in the test command), the configured cache really talks to Redis."""
    import os

    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    cache = RedisCache(url, {})
    cache.set("baige-test-key", {"a": 1}, timeout=5)
    assert cache.get("baige-test-key") == {"a": 1}
    cache.delete("baige-test-key")


def test_env_secret_when_file_given_reads_it_without_trailing_newline(tmp_path):
    (tmp_path / "password").write_text("s3cret with spaces \n")
    assert env_secret({"EMAIL_HOST_PASSWORD_FILE": str(tmp_path / "password")}, "EMAIL_HOST_PASSWORD") == (
        "s3cret with spaces "
    )


def test_env_secret_when_only_variable_set_reads_it():
    assert env_secret({"SENTRY_DSN": "https://key@sentry.example.org/3"}, "SENTRY_DSN") == (
        "https://key@sentry.example.org/3"
    )
    assert env_secret({"SENTRY_DSN": ""}, "SENTRY_DSN") is None
    assert env_secret({}, "SENTRY_DSN") is None


def test_env_secret_when_both_set_is_refused(tmp_path):
    (tmp_path / "key").write_text("from-file")
    env = {"S3_SECRET_ACCESS_KEY": "from-variable", "S3_SECRET_ACCESS_KEY_FILE": str(tmp_path / "key")}
    with pytest.raises(ImproperlyConfigured) as refused:
        env_secret(env, "S3_SECRET_ACCESS_KEY")
    assert (
        str(refused.value) == "S3_SECRET_ACCESS_KEY and S3_SECRET_ACCESS_KEY_FILE are both set: set only one of them."
    )


def test_env_secret_when_file_missing_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "run" / "secrets" / "redis_url"
    with pytest.raises(ImproperlyConfigured) as refused:
        env_secret({"REDIS_URL_FILE": str(missing)}, "REDIS_URL")
    assert str(refused.value) == f"REDIS_URL_FILE names {missing}, which cannot be read: No such file or directory."


def test_env_with_secret_files_when_files_given_feeds_every_setting(tmp_path):
    secrets = {
        "SECRET_KEY": "a-long-random-key",
        "DATABASE_URL": "postgres://baige:pa%24%24@db.internal:5432/baige",
        "REDIS_URL": "redis://:pass@redis:6379/1",
        "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "S3_SECRET_ACCESS_KEY": "s3-secret",
        "EMAIL_HOST_PASSWORD": "smtp-secret",
        "SENTRY_DSN": "https://key@sentry.example.org/3",
    }
    env = {"S3_BUCKET": "baige-media"}
    for name, value in secrets.items():
        (tmp_path / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)

    resolved = env_with_secret_files(env)

    assert {name: resolved[name] for name in secrets} == secrets
    assert resolved["S3_BUCKET"] == "baige-media"
    assert database_from_env(resolved, tmp_path)["PASSWORD"] == "pa$$"
    assert celery_from_env(resolved, tmp_path)["broker_url"] == "redis://:pass@redis:6379/1"
    options = storages_from_env(resolved, tmp_path)["default"]["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == ("AKIAEXAMPLE", "s3-secret")


def test_env_with_secret_files_when_none_given_is_unchanged():
    env = {"DEBUG": "1", "SECRET_KEY": "plain"}
    assert env_with_secret_files(env) == {"DEBUG": "1", "SECRET_KEY": "plain"}


REFUSED_DEVELOPMENT_KEY = (
    "SECRET_KEY is the public development key while DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE) "
    "to a long random value, or DEBUG=1 on a computer that serves nobody else."
)


def test_secret_key_when_development_key_without_debug_is_refused():
    with pytest.raises(ImproperlyConfigured) as refused:
        secret_key_from_env({}, debug=False)
    assert str(refused.value) == REFUSED_DEVELOPMENT_KEY
    with pytest.raises(ImproperlyConfigured) as named:
        secret_key_from_env({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, debug=False)
    assert str(named.value) == REFUSED_DEVELOPMENT_KEY


def test_secret_key_when_debug_or_key_given_is_allowed():
    assert secret_key_from_env({}, debug=True) == DEVELOPMENT_SECRET_KEY
    assert secret_key_from_env({"SECRET_KEY": "k"}, debug=False) == "k"
