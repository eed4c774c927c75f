"""Parts of one upload sent at once to a real server over HTTP: never more stored than the size announced.

The server is gunicorn with two processes of several threads on the test database, as in production, so
parts are received side by side by different processes and only the database's locks keep count.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from api_tokens.services import api_token_create
from media_pipeline import uploads
from media_pipeline.models import UploadReservation, UploadSession
from media_pipeline.upload_parts import upload_part_signature
from media_pipeline.uploads import upload_create
from tests.factories import EntryFactory

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[tuple[str, int]]:
    """gunicorn (2 processes × 8 threads) on the test database, keeping parts under the test's folder."""
    data_dir = tmp_path / "server-var"
    # Uploads created here make their part folder where the server looks for it.
    settings.DATA_DIR = data_dir
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "BAIGE_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--worker-class", "gthread", "--threads", "8", "--graceful-timeout", "5"]
            + ["--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + log_path.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)


@pytest.fixture
def upload(contest: Any, participant: Any) -> tuple[UploadSession, str]:
    """An open 10 MiB upload on Baige's disk, and its author's token."""
    entry = EntryFactory(contest=contest, author=participant)
    session = upload_create(actor=participant, entry=entry, filename="lesson.mp4", size=10 * MIB)
    return session, api_token_create(actor=participant, name="uploads")[1]


def _part_path(upload: UploadSession, number: int) -> str:
    return f"/api/v1/uploads/{upload.uuid}/parts/{number}/?signature={upload_part_signature(upload, number)}"


def _stored(upload: UploadSession) -> dict[str, int]:
    folder = Path(settings.DATA_DIR) / "uploads" / str(upload.uuid)
    return {path.name: path.stat().st_size for path in folder.iterdir() if not path.name.endswith(".md5")}


def _answer(conversation: http.client.HTTPConnection) -> tuple[int, str | None]:
    response = conversation.getresponse()
    body = response.read()
    return response.status, json.loads(body).get("code") if response.status != 200 else None


def test_parts_sent_at_once_never_store_more_than_the_size_announced(server, upload):
    host, port = server
    session, token = upload
    body = os.urandom(10 * MIB)
    start = threading.Barrier(6, timeout=30)
    answers: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def send(number: int) -> None:
        conversation = http.client.HTTPConnection(host, port, timeout=60)
        try:
            conversation.putrequest("PUT", _part_path(session, number))
            conversation.putheader("Authorization", f"Token {token}")
            conversation.putheader("Content-Type", "application/octet-stream")
            conversation.putheader("Content-Length", str(len(body)))
            start.wait()
            conversation.endheaders()
            try:
                for offset in range(0, len(body), 256 * 1024):
                    conversation.send(body[offset : offset + 256 * 1024])
            except OSError:
                pass  # refused before the body was read: the server may close the connection meanwhile
            try:
                answer = _answer(conversation)
            except OSError:
                answer = (0, "connection closed by the server")
        finally:
            conversation.close()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    stored = _stored(session)
    assert sum(stored.values()) == 10 * MIB, stored
    assert len(stored) == 1
    assert sorted(answers).count((200, None)) == 1, answers
    refusals = {answer for answer in answers if answer != (200, None)}
    assert refusals <= {(429, "parts_in_flight"), (400, "file_refused"), (0, "connection closed by the server")}
    assert UploadReservation.objects.filter(upload=session).count() == 0


def test_parts_in_flight_capped_per_upload(server, upload):
    host, port = server
    session, token = upload
    part = os.urandom(MIB)
    slow: list[http.client.HTTPConnection] = []
    for number in range(1, uploads.MAX_PARTS_IN_FLIGHT + 1):
        conversation = http.client.HTTPConnection(host, port, timeout=60)
        conversation.putrequest("PUT", _part_path(session, number))
        conversation.putheader("Authorization", f"Token {token}")
        conversation.putheader("Content-Type", "application/octet-stream")
        conversation.putheader("Content-Length", str(len(part)))
        conversation.endheaders()
        conversation.send(part[: len(part) // 2])  # half a part: still being received
        slow.append(conversation)
    deadline = time.monotonic() + 30
    while UploadReservation.objects.filter(upload=session).count() < uploads.MAX_PARTS_IN_FLIGHT:
        assert time.monotonic() < deadline, "the slow parts were never reserved"
        time.sleep(0.05)

    fifth = http.client.HTTPConnection(host, port, timeout=60)
    fifth.request(
        "PUT",
        _part_path(session, 5),
        body=part,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/octet-stream",
            "Accept-Language": "en",
        },
    )
    response = fifth.getresponse()
    assert (response.status, json.loads(response.read())) == (
        429,
        {
            "detail": "Other parts of this file are being received. This part will be sent again in a moment.",
            "code": "parts_in_flight",
        },
    )
    fifth.close()

    for conversation in slow:
        conversation.send(part[len(part) // 2 :])
    assert [_answer(conversation) for conversation in slow] == [(200, None)] * uploads.MAX_PARTS_IN_FLIGHT
    for conversation in slow:
        conversation.close()
    assert _stored(session) == {f"part-0000{number}": MIB for number in range(1, 5)}
    assert UploadReservation.objects.filter(upload=session).count() == 0
