from pathlib import Path

from config.environment import cache_from_env, celery_from_env, database_from_env, env_bool, storages_from_env


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
