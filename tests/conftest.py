"""Fixtures for every role: organiser, juror, participant, other participant, anonymous."""

from __future__ import annotations

import pytest
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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():  # type: ignore[no-untyped-def]
    """A real S3-compatible server (moto in server mode) speaking HTTP on localhost."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
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


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    """A real Celery worker in its own process, on the test database and the Redis broker."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.db import connection

    from config.celery import app

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": django_settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "BAIGE_DATA_DIR": str(tmp_path / "worker-var"),
    }
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,media,office",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            break
        if process.poll() is not None:
            raise RuntimeError(process.stdout.read() if process.stdout else "worker exited")
    else:
        process.kill()
        raise RuntimeError("the Celery worker did not start in 30 s")
    try:
        yield tmp_path / "mail"
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
