"""The embedded default works with no configuration: SQLite, local files, a file broker and a real worker."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "S3_BUCKET")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def embedded_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(
        BAIGE_DATA_DIR=str(tmp_path / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        STATIC_PLAIN="1",
        FAST_PASSWORD_HASHER="1",
    )
    return env


def _manage(env, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.services
def test_embedded_default_serves_demo_and_runs_tasks_in_background(embedded_env, tmp_path):
    _manage(embedded_env, "migrate", "--noinput", "-v", "0")
    seeded = _manage(embedded_env, "seed_demo")
    assert "participant@baige.local" in seeded
    assert (tmp_path / "var" / "baige.sqlite3").exists()
    assert any((tmp_path / "var" / "media").rglob("original.*"))

    port = free_port()
    worker = subprocess.Popen(
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
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Accept-Language": "en"})
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own local server
                    page = response.read().decode()
                    final_url = response.geturl()
                break
            except OSError:
                time.sleep(0.5)
        assert "Digital Educational Platform" in page
        assert final_url.startswith(f"http://127.0.0.1:{port}/en/c/")

        # Enqueue from another process: only the worker can send the e-mail.
        _manage(
            embedded_env,
            "shell",
            "-c",
            "from contest.models import Entry; from contest.tasks import send_entry_submitted_email; "
            "entry = Entry.objects.filter(author__email='participant@baige.local', status='submitted').first(); "
            "send_entry_submitted_email.delay(entry_id=entry.pk)",
        )
        mail = tmp_path / "mail"
        deadline = time.monotonic() + 60
        # The worker also sends what the demo queued (the jurors' e-mails of the round it opened): wait for
        # the participant's message, written out in full (the file back end ends each one with dashes).
        while time.monotonic() < deadline and not _messages_to(mail, "participant@baige.local"):
            time.sleep(0.3)
        sent = _messages_to(mail, "participant@baige.local")
        assert len(sent) == 1
        assert "Subject:" in sent[0]
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _messages_to(folder, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The complete messages to ``address`` that the file back end wrote in ``folder``."""
    if not folder.exists():
        return []
    separator = "-" * 79
    messages = []
    for path in folder.iterdir():
        *complete, _rest = path.read_text().split(separator)
        messages += [message for message in complete if f"To: {address}" in message]
    return messages
