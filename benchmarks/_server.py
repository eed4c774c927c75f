"""What the HTTP benchmarks share: a PostgreSQL database of their own, gunicorn serving Baige on it, and clients.

Clients are threads, each with its own kept-alive HTTP connection; they all start at once and the
run's rate is the requests answered over the wall time from that start to the last answer.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
#: Where a benchmark's database is made when DATABASE_URL does not name a PostgreSQL server.
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def dedicated_database(name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database ``name`` on DATABASE_URL's server; yields its URL and drops it after."""
    import psycopg
    from psycopg import sql

    base = urlsplit(os.environ.get("DATABASE_URL") or LOCAL_POSTGRES)
    if not base.scheme.startswith("postgres"):
        raise SystemExit(f"this benchmark needs PostgreSQL; DATABASE_URL is {base.scheme}")
    maintenance = urlunsplit(base._replace(path="/postgres"))

    def drop() -> None:
        # FORCE: a server process that has not let go yet must not keep the database alive.
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    drop()  # left over by an interrupted run
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(base._replace(path=f"/{name}"))
    finally:
        drop()


def run_with_django(name: str, measure: Callable[[Path], None]) -> None:
    """Set Django up on a dedicated database ``name`` and a data folder of its own, then run ``measure(folder)``.

    The folder is removed after a successful run and kept (with any server log in it) after a failed one.
    """
    import shutil
    import tempfile

    data_dir = Path(tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-"))
    with dedicated_database(name) as database_url:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("BAIGE_DATA_DIR", str(data_dir))
        os.environ["LOG_LEVEL"] = "WARNING"
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG is off: a key of this run's own
        import django

        django.setup()
        from django.db import connections

        try:
            measure(data_dir)
        finally:
            connections.close_all()
    shutil.rmtree(data_dir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: Mapping[str, str], *, options: Sequence[str], log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn serving Baige with ``options`` on a free local port; yields host and port once it answers."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                # Its default place is shared by every gunicorn of the user.
                "--no-control-socket",
                *options,
            ],
            cwd=ROOT,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_served(process, port, log)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_until_served(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/api/v1/jury/assignments/")
            status = probe.getresponse().status
            probe.close()
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start:\n" + log.read_text(errors="replace")) from None
            time.sleep(0.2)
            continue
        # Anonymous, so refused; anything else means the application did not load.
        if status != 403:
            raise SystemExit(f"gunicorn answers {status}:\n" + log.read_text(errors="replace"))
        return


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None


@dataclass(frozen=True)
class Run:
    """What a run of clients got: how many answers with each status, and how long it took."""

    statuses: Counter[int]
    seconds: float
    failures: tuple[str, ...]

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def run_clients(host: str, port: int, clients: Sequence[tuple[Mapping[str, str], Sequence[Request]]]) -> Run:
    """Each client (its headers, its requests in order) in a thread of its own, all started at once."""
    lock = threading.Lock()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    start = threading.Barrier(len(clients) + 1)

    def work(headers: Mapping[str, str], requests: Sequence[Request]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        seen: Counter[int] = Counter()
        try:
            start.wait()
            for request in requests:
                body = None if request.body is None else json.dumps(request.body)
                connection.request(request.method, request.path, body, dict(headers))
                response = connection.getresponse()
                content = response.read()
                seen[response.status] += 1
                if response.status != 200:
                    with lock:
                        failures.append(f"{request.method} {request.path}: {response.status} {content[:300]!r}")
        except Exception as error:  # a failure of the run, never lost in a thread
            with lock:
                failures.append(repr(error))
        finally:
            connection.close()
            with lock:
                statuses.update(seen)

    threads = [threading.Thread(target=work, args=client) for client in clients]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return Run(statuses=statuses, seconds=time.perf_counter() - started, failures=tuple(failures))
