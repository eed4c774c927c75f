import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import DEFAULT_DB_ALIAS, connections

from config import health

pytestmark = pytest.mark.services

ALL_OK = {"database": {"status": "ok"}, "redis": {"status": "ok"}, "storage": {"status": "ok"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _local_media(settings, folder: Path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }


@pytest.fixture
def media_folder(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Local media storage in a folder that exists, as after installation."""
    folder = tmp_path / "media"
    folder.mkdir()
    _local_media(settings, folder)
    return folder


@pytest.fixture
def own_redis(tmp_path):  # type: ignore[no-untyped-def]
    """A Redis server of the test's own on a free port; yields its port and process."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        client.close()
        yield port, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def test_healthz_answers_ok_without_queries(client, db, django_assert_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_healthz_answers_when_every_service_is_down(client, db, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "PORT", free_port())
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    _local_media(settings, tmp_path / "missing")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_refuses_post(client, db):  # type: ignore[no-untyped-def]
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_health_paths_have_no_language_prefix(client, db, media_folder):  # type: ignore[no-untyped-def]
    assert client.get("/en/healthz").status_code == 404
    assert client.get("/en/readyz").status_code == 404


def test_readyz_all_ok_on_real_services(client, db, media_folder, django_assert_num_queries):  # type: ignore[no-untyped-def]
    # The database is checked through a connection of its own, never the one serving the page.
    with django_assert_num_queries(0):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert response["Cache-Control"] == "no-store"
    assert list(media_folder.iterdir()) == []


def test_readyz_needs_no_login_for_a_signed_in_user_either(client, participant, media_folder):  # type: ignore[no-untyped-def]
    client.force_login(participant)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}


def test_readyz_redis_failing_when_its_server_stops(client, db, settings, media_folder, own_redis):  # type: ignore[no-untyped-def]
    port, process = own_redis
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}

    process.terminate()
    process.wait(timeout=15)
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "failing",
        "checks": {
            "database": {"status": "ok"},
            "redis": {
                "status": "failing",
                "error": f"ConnectionError: Error 111 connecting to 127.0.0.1:{port}. Connection refused.",
            },
            "storage": {"status": "ok"},
        },
    }


def test_readyz_redis_failing_within_timeout_when_it_never_answers(client, db, settings, media_folder):  # type: ignore[no-untyped-def]
    # A socket that takes connections and never replies, as a frozen server or a black-holed route would.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert 2 <= elapsed < 3.5
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**ALL_OK, "redis": {"status": "failing", "error": "TimeoutError: Timeout reading from socket"}},
    }


def test_readyz_check_failing_when_it_overruns_the_deadline(client, db, media_folder, monkeypatch):  # type: ignore[no-untyped-def]
    # A storage call stuck past every timeout of its own: the answer must not wait for it.
    release = threading.Event()

    def stuck() -> dict[str, str]:
        release.wait(30)
        return {"status": "ok"}

    monkeypatch.setattr(health, "storage_check", stuck)
    started = time.monotonic()
    try:
        response = client.get("/readyz")
    finally:
        release.set()
    assert 3 <= time.monotonic() - started < 4
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**ALL_OK, "storage": {"status": "failing", "error": "timed out"}},
    }


def test_readyz_redis_error_hides_its_password(client, db, settings, media_folder):  # type: ignore[no-untyped-def]
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://baige:hunter2-secret@127.0.0.1:{port}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {
        "status": "failing",
        "error": f"ConnectionError: Error 111 connecting to 127.0.0.1:{port}. Connection refused.",
    }
    assert "hunter2" not in response.content.decode()


def test_readyz_redis_skipped_on_file_broker(client, db, settings, media_folder):  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = "filesystem://"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {**ALL_OK, "redis": {"status": "skipped"}}}


def test_readyz_storage_failing_when_media_folder_missing(client, db, settings, tmp_path):  # type: ignore[no-untyped-def]
    _local_media(settings, tmp_path / "missing")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {**ALL_OK, "storage": {"status": "failing", "error": "media folder does not exist"}},
    }
    assert not (tmp_path / "missing").exists()


def test_readyz_storage_failing_when_media_folder_not_writable(client, db, settings):  # type: ignore[no-untyped-def]
    # sysfs refuses new files even to root, unlike a folder with its write bits removed.
    _local_media(settings, Path("/sys"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {
            **ALL_OK,
            "storage": {"status": "failing", "error": "media folder is not writable (Permission denied)"},
        },
    }


def test_readyz_storage_ok_on_s3_bucket(client, db, s3_storage):  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}


def test_readyz_storage_failing_on_s3_bucket_that_does_not_exist(client, db, settings, s3_storage):  # type: ignore[no-untyped-def]
    default = settings.STORAGES["default"]
    missing = f"baige-missing-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": missing}},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {
            **ALL_OK,
            "storage": {
                "status": "failing",
                "error": (
                    "ClientError: An error occurred (404) when calling the HeadBucket operation "
                    "(reached max retries: 0): Not Found"
                ),
            },
        },
    }
    assert "testing" not in response.content.decode()


def test_readyz_database_failing_when_server_unreachable(client, db, media_folder, monkeypatch):  # type: ignore[no-untyped-def]
    # Only new connections read these settings: the test's own connection stays open and unharmed.
    port = free_port()
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "PORT", port)
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "PASSWORD", "db-secret-pw")
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["checks"]["redis"] == {"status": "ok"}
    assert body["checks"]["storage"] == {"status": "ok"}
    assert body["checks"]["database"]["status"] == "failing"
    assert body["checks"]["database"]["error"].startswith(
        f'OperationalError: connection failed: connection to server at "127.0.0.1", port {port} failed: '
        "Connection refused"
    )
    assert "db-secret-pw" not in response.content.decode()
    monkeypatch.undo()
    response = client.get("/readyz")
    assert response.json() == {"status": "ok", "checks": ALL_OK}


# Who reads the errors: the client's address in HEALTH_DETAIL_ADDRESSES (loopback by default), nobody else.

STRANGER = "203.0.113.9"


def test_readyz_from_a_stranger_when_redis_fails_gives_statuses_only(client, db, settings, media_folder):  # type: ignore[no-untyped-def]
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    # A forwarded address is the client's word: it never opens the details.
    response = client.get("/readyz", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "failing",
        "checks": {"database": {"status": "ok"}, "redis": {"status": "failing"}, "storage": {"status": "ok"}},
    }
    assert str(port) not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_readyz_from_a_stranger_when_s3_bucket_missing_gives_statuses_only(client, db, settings, s3_storage):  # type: ignore[no-untyped-def]
    default = settings.STORAGES["default"]
    missing = f"baige-missing-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": missing}},
    }
    response = client.get("/readyz", REMOTE_ADDR=STRANGER)
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "checks": {**ALL_OK, "storage": {"status": "failing"}}}
    assert "HeadBucket" not in response.content.decode()


def test_readyz_from_a_stranger_when_all_ok(client, db, media_folder):  # type: ignore[no-untyped-def]
    response = client.get("/readyz", REMOTE_ADDR=STRANGER)
    assert (response.status_code, response.json()) == (200, {"status": "ok", "checks": ALL_OK})


@pytest.mark.parametrize(
    ("addresses", "remote", "detailed"),
    [
        (["127.0.0.0/8", "::1"], "127.0.0.1", True),
        (["127.0.0.0/8", "::1"], "::1", True),
        (["127.0.0.0/8", "::1"], "::ffff:127.0.0.1", True),
        (["127.0.0.0/8", "::1"], "10.0.0.5", False),
        (["10.0.0.0/24"], "10.0.0.5", True),
        (["10.0.0.0/24"], "10.0.1.5", False),
        (["10.0.0.0/24"], "127.0.0.1", False),
        (["192.0.2.7", "2001:db8::/32"], "2001:db8::1", True),
        ([], "127.0.0.1", False),
        (["127.0.0.0/8"], "", False),
    ],
)
def test_readyz_details_only_from_configured_addresses(client, db, settings, media_folder, addresses, remote, detailed):  # type: ignore[no-untyped-def]
    settings.HEALTH_DETAIL_ADDRESSES = addresses
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/readyz", REMOTE_ADDR=remote)
    assert response.status_code == 503
    error = f"ConnectionError: Error 111 connecting to 127.0.0.1:{port}. Connection refused."
    expected = {"status": "failing", "error": error} if detailed else {"status": "failing"}
    assert response.json()["checks"]["redis"] == expected


def test_settings_when_health_detail_address_malformed_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    import os
    import sys

    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BAIGE_DATA_DIR": str(tmp_path / "var"),
        "HEALTH_DETAIL_ADDRESSES": "127.0.0.1,10.0.0.300/8",
        "SECRET_KEY": "a-key-of-this-test-only-0123456789abcdefghijklmnopqrstuvwxyz",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    assert "HEALTH_DETAIL_ADDRESSES: '10.0.0.300/8' does not appear to be an IPv4 or IPv6 network" in done.stderr


def test_readyz_through_a_trusted_proxy_on_the_same_host_gives_the_client_statuses_only(  # type: ignore[no-untyped-def]
    client, db, settings, media_folder
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"

    outside = client.get("/readyz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {STRANGER}")
    local = client.get("/readyz", REMOTE_ADDR="127.0.0.1")

    assert outside.json()["checks"]["redis"] == {"status": "failing"}
    assert local.json()["checks"]["redis"]["error"].startswith("ConnectionError")
