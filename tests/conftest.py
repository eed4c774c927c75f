"""Fixtures for every role: organiser, juror, participant, other participant, anonymous."""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from contest.enums import Role
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    NominationFactory,
    PlatformFactory,
    ProfileFactory,
    UniversityFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes media files to its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():  # type: ignore[no-untyped-def]
    """Services called directly speak English unless a test chooses another language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_content_types(request):  # type: ignore[no-untyped-def]
    """A test that empties and refills the database may leave content types with new ids: none is remembered.

    The activity log names each row's model by its content type, which Django caches for the process.
    """
    marker = request.node.get_closest_marker("django_db")
    refills = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "workers"} & set(request.fixturenames)
    )
    if refills:
        ContentType.objects.clear_cache()
    yield
    if refills:
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):  # type: ignore[no-untyped-def]
    """A cache of its own per test, so rate limits of one test never leak into another."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(id(settings))}
    }


@pytest.fixture
def contest(db):  # type: ignore[no-untyped-def]
    contest = ContestFactory()
    contest.universities.add(UniversityFactory(), UniversityFactory())
    return contest


@pytest.fixture
def nomination(contest):  # type: ignore[no-untyped-def]
    return NominationFactory(contest=contest)


@pytest.fixture
def platforms(contest):  # type: ignore[no-untyped-def]
    return [
        PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall"),
        PlatformFactory(contest=contest, name="Canva", name_en="Canva"),
    ]


@pytest.fixture
def participant(db):  # type: ignore[no-untyped-def]
    return ProfileFactory().user


@pytest.fixture
def other_participant(db):  # type: ignore[no-untyped-def]
    return ProfileFactory().user


@pytest.fixture
def organiser(contest):  # type: ignore[no-untyped-def]
    return ContestRoleFactory(contest=contest, role=Role.ORGANISER).user


@pytest.fixture
def juror(contest):  # type: ignore[no-untyped-def]
    return ContestRoleFactory(contest=contest, role=Role.JUROR).user


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    return None


def _client_for(client, user):  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def participant_client(client, participant):  # type: ignore[no-untyped-def]
    return _client_for(client, participant)


@pytest.fixture
def api_client(db):  # type: ignore[no-untyped-def]
    return APIClient()


@pytest.fixture
def user_factory(db):  # type: ignore[no-untyped-def]
    return UserFactory


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():  # type: ignore[no-untyped-def]
    """A real S3-compatible server (moto in server mode) speaking HTTP on localhost."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Point Django's default storage at a fresh bucket on the S3 server, as production settings would."""
    import uuid

    import boto3

    from config.environment import storages_from_env

    bucket = f"baige-{uuid.uuid4().hex[:12]}"
    env = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = storages_from_env(env, tmp_path)
    return client, bucket


class WorkerPool:
    """Real Celery workers, each in its own process group, on the test database and the Redis broker."""

    def __init__(self, tmp_path):  # type: ignore[no-untyped-def]
        import os

        from django.conf import settings as django_settings
        from django.db import connection

        db = connection.settings_dict
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.processes: list = []
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": django_settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "BAIGE_DATA_DIR": str(tmp_path / "worker-var"),
            "MEDIA_WORK_DIR": str(tmp_path / "worker-work"),
        }

    def start(self, queues: str = "default,media,office", *, name: str = "w1", extra_env=None, beat: bool = False):  # type: ignore[no-untyped-def]
        """Start a worker on ``queues`` and wait until it answers a ping; with ``beat``, it also runs the schedule."""
        import subprocess
        import sys
        import time
        from pathlib import Path

        from config.celery import app

        root = Path(__file__).resolve().parent.parent
        log = (self.tmp_path / f"worker-{name}.log").open("ab")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queues,
                "-n",
                f"{name}@%h",
                "--pool",
                "solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
                # Celery beat inside the worker, keeping its schedule's state in the test's folder.
                *(["--beat", "--schedule", str(self.tmp_path / f"beat-{name}")] if beat else []),
            ],
            cwd=root,
            env={**self.env, **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        app.conf.task_always_eager = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if any(name + "@" in key for reply in replies for key in reply):
                return process
            if process.poll() is not None:
                break
        raise RuntimeError("the Celery worker did not start:\n" + self.log(name))

    def log(self, name: str = "w1") -> str:
        path = self.tmp_path / f"worker-{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, process, sig: int | None = None) -> None:  # type: ignore[no-untyped-def]
        """Kill a worker and everything it started, as a crash would."""
        import os
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig or signal.SIGKILL)
        process.wait(timeout=15)

    def stop_all(self) -> None:
        import signal
        import subprocess

        from django.conf import settings as django_settings

        from config.celery import app

        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.kill(process, signal.SIGKILL)
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def workers(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    """Start real Celery workers with ``workers.start(queues)``; all are stopped after the test."""
    from config.celery import app

    app.control.purge()
    pool = WorkerPool(tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def celery_worker_process(workers):  # type: ignore[no-untyped-def]
    """One real worker on every queue; yields the folder its e-mails are written to."""
    workers.start()
    return workers.mail_dir


@pytest.fixture
def s3_worker_env(s3_storage, settings):  # type: ignore[no-untyped-def]
    """Environment variables that put a worker on the same S3 bucket as the test."""
    options = settings.STORAGES["default"]["OPTIONS"]
    return {
        "S3_BUCKET": options["bucket_name"],
        "S3_ENDPOINT_URL": options["endpoint_url"],
        "S3_ACCESS_KEY_ID": options["access_key"],
        "S3_SECRET_ACCESS_KEY": options["secret_key"],
        "S3_REGION": options["region_name"],
    }


@pytest.fixture
def shared_media(workers, settings):  # type: ignore[no-untyped-def]
    """Local storage in the workers' media folder, so the test and the workers see the same files."""
    location = workers.tmp_path / "worker-var" / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}},
    }
    return location
