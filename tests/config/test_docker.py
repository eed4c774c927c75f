"""The container image and the compose stack, checked without a Docker engine.

The compose file is validated by docker-compose itself (`make test` installs Debian's docker-compose);
the Dockerfile is split into its stages so that the checks are about the runtime stage only.
"""

from __future__ import annotations

import http.server
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from media_pipeline.tasks import MEDIA_TIME_LIMIT, OFFICE_TIME_LIMIT

ROOT = Path(__file__).resolve().parent.parent.parent
DOCKER = ROOT / "docker"
# What the compose file reads from ../.env: the application's variables and the database password.
ENV_FILE = """\
SECRET_KEY=b7Qz-4kV9sLwP2mXeR8tYn3uJc6hGa1dFo5iKq0ZxNvB_yTpWlSrMe
ALLOWED_HOSTS=contest.example.org
DATABASE_URL=postgres://baige:db-secret@db:5432/baige
POSTGRES_PASSWORD=db-secret
REDIS_URL=redis://redis:6379/0
S3_BUCKET=baige
S3_ENDPOINT_URL=http://minio:9000
S3_ACCESS_KEY_ID=baige
S3_SECRET_ACCESS_KEY=minio-secret
S3_ADDRESSING_STYLE=path
"""
# Needed only to build the image, never in the runtime stage.
BUILD_ONLY_PACKAGES = {"gettext", "nodejs", "npm"}


# --- A small Dockerfile parser ------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    arguments: str


@dataclass
class Stage:
    base: str
    name: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [instruction.arguments for instruction in self.instructions if instruction.keyword == keyword]

    def apt_packages(self) -> set[str]:
        """Every package an `apt-get install` of this stage names."""
        packages: set[str] = set()
        for command in self.all("RUN"):
            for part in command.split("&&"):
                words = shlex.split(part)
                if "apt-get" in words and "install" in words:
                    packages |= {word for word in words[words.index("install") + 1 :] if not word.startswith("-")}
        return packages


def dockerfile_stages(text: str) -> list[Stage]:
    """Instructions with their continuation lines joined, grouped into stages at each FROM."""
    logical: list[str] = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            stages.append(Stage(base=words[0], name=name))
        elif stages:
            stages[-1].instructions.append(Instruction(keyword, arguments.strip()))
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return dockerfile_stages((DOCKER / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def runtime(stages: list[Stage]) -> Stage:
    return stages[-1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def _seconds(duration: str) -> int:
    """A compose duration ("2h", "20m", "1m30s") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms])", duration)
    assert "".join(number + unit for number, unit in parts) == duration
    return sum(int(number) * units[unit] for number, unit in parts)


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def _makefile_apt_packages() -> set[str]:
    """The packages of the Makefile's APT_PACKAGES (command:package,package pairs)."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(r"^APT_PACKAGES \?=(.*)$", text, re.MULTILINE)
    assert match is not None
    return {package for pair in match.group(1).split() for package in pair.split(":", 1)[1].split(",")}


# --- compose.yml --------------------------------------------------------------------------------


def test_compose_file_when_validated_by_docker_compose_is_valid(tmp_path):
    docker_compose = shutil.which("docker-compose")
    if docker_compose is None:
        pytest.fail("docker-compose is missing: `make test` installs it (apt-get install docker-compose)")
    # The same layout as the repository (docker/ next to .env), so that ../.env and the build context
    # resolve, without writing a .env into the working tree.
    (tmp_path / "docker").mkdir()
    for name in ("compose.yml", "Dockerfile"):
        shutil.copy(DOCKER / name, tmp_path / "docker" / name)
    (tmp_path / ".env").write_text(ENV_FILE)

    result = subprocess.run(
        [docker_compose, "-f", "docker/compose.yml", "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode, result.stderr) == (0, "")


def test_compose_file_when_env_file_is_missing_is_refused(tmp_path):
    docker_compose = shutil.which("docker-compose")
    if docker_compose is None:
        pytest.fail("docker-compose is missing: `make test` installs it (apt-get install docker-compose)")
    (tmp_path / "docker").mkdir()
    shutil.copy(DOCKER / "compose.yml", tmp_path / "docker" / "compose.yml")

    result = subprocess.run(
        [docker_compose, "-f", "docker/compose.yml", "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"Couldn't find env file: {tmp_path / '.env'}" in result.stderr


def test_compose_services_when_listed_are_the_whole_stack(compose):
    assert sorted(compose["services"]) == [
        "beat",
        "createbucket",
        "db",
        "migrate",
        "minio",
        "redis",
        "web",
        "worker-default",
        "worker-media",
        "worker-office",
    ]


def test_compose_beat_when_counted_is_exactly_one(compose):
    beats = [name for name, service in compose["services"].items() if "beat" in service.get("command", [])]

    assert beats == ["beat"]
    assert compose["services"]["beat"]["volumes"] == ["beat:/data/beat"]
    assert _option(compose["services"]["beat"]["command"], "--schedule") == "/data/beat/celerybeat-schedule"


def test_compose_workers_when_counted_are_one_per_queue(compose):
    queues = {
        name: _option(service["command"], "-Q")
        for name, service in compose["services"].items()
        if "worker" in service.get("command", [])
    }

    assert queues == {"worker-default": "default", "worker-media": "media", "worker-office": "office"}


def test_compose_long_queues_when_consuming_take_one_task_at_a_time(compose):
    for name in ("worker-media", "worker-office"):
        command = compose["services"][name]["command"]
        assert (_option(command, "--concurrency"), _option(command, "--prefetch-multiplier")) == ("1", "1")
        assert "-Ofair" in command
    assert _option(compose["services"]["worker-default"]["command"], "--concurrency") == "4"


def test_compose_workers_when_stopped_have_time_to_finish_their_task(compose):
    services = compose["services"]

    assert _seconds(services["worker-media"]["stop_grace_period"]) >= MEDIA_TIME_LIMIT
    assert _seconds(services["worker-office"]["stop_grace_period"]) >= OFFICE_TIME_LIMIT
    # tini passes SIGTERM (Celery's warm shutdown) on and reaps LibreOffice's and ffmpeg's orphans.
    assert [services[name]["init"] for name in ("worker-default", "worker-media", "worker-office", "beat")] == [
        True
    ] * 4


def test_compose_web_when_stopped_outlasts_gunicorn_graceful_timeout(compose, runtime):
    command = json.loads(runtime.all("CMD")[-1])

    assert _seconds(compose["services"]["web"]["stop_grace_period"]) > int(_option(command, "--graceful-timeout"))


def test_compose_state_when_stored_lives_in_named_volumes(compose):
    services = compose["services"]

    assert sorted(compose["volumes"]) == ["beat", "db", "minio", "redis"]
    assert services["db"]["volumes"] == ["db:/var/lib/postgresql/data"]
    assert services["minio"]["volumes"] == ["minio:/data"]
    assert services["redis"]["volumes"] == ["redis:/data"]
    assert services["redis"]["command"] == ["redis-server", "--appendonly", "yes"]


def test_compose_healthchecks_when_defined_cover_db_redis_minio_and_web(compose):
    services = compose["services"]

    assert {name: services[name]["healthcheck"]["test"] for name in ("db", "redis", "minio", "web")} == {
        "db": ["CMD", "pg_isready", "-U", "baige", "-d", "baige"],
        "redis": ["CMD", "redis-cli", "ping"],
        "minio": ["CMD", "mc", "ready", "local"],
        "web": ["CMD", "python", "/app/docker/healthcheck.py", "http://127.0.0.1:8000/healthz"],
    }
    # The image's check asks the web server, which the workers do not run.
    assert [services[name]["healthcheck"] for name in ("worker-default", "worker-media", "worker-office", "beat")] == [
        {"disable": True}
    ] * 4


def test_compose_web_when_starting_waits_for_bucket_migrations_and_services(compose):
    services = compose["services"]

    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "createbucket": {"condition": "service_completed_successfully"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["createbucket"]["image"].startswith("minio/mc")
    assert services["createbucket"]["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert 'mc mb --ignore-existing "baige/$$S3_BUCKET"' in services["createbucket"]["command"][0]
    assert [services[name]["restart"] for name in ("createbucket", "migrate")] == ["no", "no"]


def test_compose_configuration_when_read_comes_from_the_env_file(compose):
    services = compose["services"]
    application = ("migrate", "web", "worker-default", "worker-media", "worker-office", "beat")

    assert {services[name]["env_file"] for name in (*application, "db", "minio", "createbucket")} == {"../.env"}
    # No secret is written into the compose file: only the database's fixed names and the office worker's
    # statement that its network is isolated.
    assert [name for name in application if "environment" in services[name]] == ["worker-office"]
    assert services["worker-office"]["environment"] == {"OFFICE_NETWORK_ISOLATED_EXTERNALLY": "1"}
    assert services["db"]["environment"] == {"POSTGRES_USER": "baige", "POSTGRES_DB": "baige"}
    assert {services[name]["image"] for name in application} == {"baige:latest"}
    assert {services[name]["build"]["dockerfile"] for name in application} == {"docker/Dockerfile"}


def test_compose_office_worker_when_networked_reaches_only_db_redis_and_minio(compose):
    services = compose["services"]
    networks = {name: service.get("networks", ["default"]) for name, service in services.items()}

    assert compose["networks"] == {"default": None, "internal": {"internal": True}}
    assert networks["worker-office"] == ["internal"]
    # What the office worker can reach: the services on its one network, which has no way out.
    assert sorted(name for name, joined in networks.items() if "internal" in joined and name != "worker-office") == [
        "beat",
        "db",
        "migrate",
        "minio",
        "redis",
        "web",
        "worker-default",
        "worker-media",
    ]
    assert [name for name, joined in networks.items() if joined == ["internal"]] == ["worker-office"]
    # Every other application service keeps its way out (e-mail, Sentry, the published port).
    assert {tuple(networks[name]) for name in ("web", "worker-default", "worker-media", "beat", "migrate")} == {
        ("default", "internal")
    }


def test_compose_third_party_images_are_pinned(compose):
    images = {name: service["image"] for name, service in compose["services"].items() if "build" not in service}

    assert images == {
        "db": "postgres:15-bookworm",
        "redis": "redis:7-bookworm",
        "minio": "minio/minio:RELEASE.2025-04-22T22-12-26Z",
        "createbucket": "minio/mc:RELEASE.2025-04-16T18-13-26Z",
    }


# --- Dockerfile ---------------------------------------------------------------------------------


def test_dockerfile_parser_when_reading_joins_continuations_and_splits_stages():
    stages = dockerfile_stages(
        "# comment\nFROM node:22 AS frontend\nRUN a \\\n    && b\nFROM python:3.11-slim\n# note\nUSER baige\n"
    )

    assert [(stage.base, stage.name) for stage in stages] == [("node:22", "frontend"), ("python:3.11-slim", "")]
    assert stages[0].all("RUN") == ["a && b"]
    assert stages[1].all("USER") == ["baige"]


def test_dockerfile_stages_when_listed_build_then_run(stages):
    assert [(stage.name, stage.base) for stage in stages] == [
        ("frontend", "node:22-bookworm-slim"),
        ("build", "python:3.11-slim-bookworm"),
        ("runtime", "python:3.11-slim-bookworm"),
    ]
    build = stages[1].all("RUN")[-1]
    assert "manage.py compilemessages" in build
    assert "manage.py collectstatic --noinput" in build


def test_dockerfile_runtime_when_running_is_not_root(runtime):
    users = runtime.all("USER")
    useradd = next(command for command in runtime.all("RUN") if "useradd" in command)

    assert users[-1] == "baige"
    assert "--uid 10001" in useradd
    assert "root" not in users and "0" not in users


def test_dockerfile_runtime_when_installing_has_the_tools_of_the_workers(runtime):
    assert runtime.apt_packages() == _makefile_apt_packages() - BUILD_ONLY_PACKAGES
    assert {"ffmpeg", "libreoffice-impress", "poppler-utils"} <= runtime.apt_packages()


def test_dockerfile_runtime_when_installing_has_no_build_tools(runtime):
    forbidden = {"gcc", "g++", "make", "build-essential", "nodejs", "npm", "gettext", "curl"}

    assert runtime.apt_packages() & forbidden == set()
    assert [copy for copy in runtime.all("COPY") if "--from=frontend" in copy] == []
    assert "node" not in runtime.base


def test_dockerfile_runtime_when_copying_takes_translations_and_static_files_from_build(runtime):
    from_build = [copy for copy in runtime.all("COPY") if copy.startswith("--from=build")]

    assert from_build == [
        "--from=build /opt/venv /opt/venv",
        "--from=build /app/locale /app/locale",
        "--from=build /app/locale-django /app/locale-django",
        "--from=build /app/locale-accounts /app/locale-accounts",
        "--from=build --chown=baige:baige /data/static /data/static",
    ]


def test_dockerfile_runtime_when_checked_asks_healthz(runtime):
    healthchecks = runtime.all("HEALTHCHECK")

    assert len(healthchecks) == 1
    options, _, command = healthchecks[0].partition("CMD ")
    assert json.loads(command) == ["python", "/app/docker/healthcheck.py", "http://127.0.0.1:8000/healthz"]
    assert options.split() == ["--interval=30s", "--timeout=5s", "--start-period=20s", "--retries=3"]


def test_dockerfile_runtime_when_started_runs_gunicorn_in_exec_form(runtime):
    command = json.loads(runtime.all("CMD")[-1])

    assert command[:2] == ["gunicorn", "config.wsgi:application"]
    assert _option(command, "--bind") == "0.0.0.0:8000"
    assert _option(command, "--graceful-timeout") == "30"
    assert runtime.all("STOPSIGNAL") == ["SIGTERM"]
    assert runtime.all("ENTRYPOINT") == []


def test_dockerignore_when_building_leaves_local_state_out():
    patterns = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]

    assert {".git", ".venv", "node_modules", "var", "**/*.mo", ".env"} <= set(patterns)


# --- docker/healthcheck.py ----------------------------------------------------------------------


@dataclass
class FakeServer:
    url: str
    seen: list[dict[str, str]]


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A local HTTP server: /healthz answers 200, /failing 503, /moved redirects; it records the headers."""
    seen: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, "host": self.headers["Host"], "proto": self.headers["X-Forwarded-Proto"]})
            status = {"/healthz": 200, "/failing": 503, "/moved": 301}.get(self.path, 404)
            self.send_response(status)
            if status == 301:
                self.send_header("Location", "/healthz")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FakeServer(url=f"http://127.0.0.1:{server.server_address[1]}", seen=seen)
    server.shutdown()
    server.server_close()


def _healthcheck(url: str, allowed_hosts: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin"}
    if allowed_hosts is not None:
        env["ALLOWED_HOSTS"] = allowed_hosts
    return subprocess.run(
        [sys.executable, str(DOCKER / "healthcheck.py"), url],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_healthcheck_when_healthz_answers_200_exits_0_with_an_allowed_host(fake_server):
    result = _healthcheck(f"{fake_server.url}/healthz", allowed_hosts=".example.org,localhost")

    assert (result.returncode, result.stderr) == (0, "")
    assert fake_server.seen == [{"path": "/healthz", "host": "example.org", "proto": "https"}]


def test_healthcheck_when_allowed_hosts_is_unset_or_any_asks_localhost(fake_server):
    assert _healthcheck(f"{fake_server.url}/healthz").returncode == 0
    assert _healthcheck(f"{fake_server.url}/healthz", allowed_hosts="*").returncode == 0

    assert [request["host"] for request in fake_server.seen] == ["localhost", "localhost"]


def test_healthcheck_when_server_fails_exits_1(fake_server):
    result = _healthcheck(f"{fake_server.url}/failing")

    assert (result.returncode, result.stderr) == (1, "unhealthy: HTTP Error 503: Service Unavailable\n")


def test_healthcheck_when_redirected_exits_1_without_following(fake_server):
    result = _healthcheck(f"{fake_server.url}/moved")

    assert result.returncode == 1
    assert [request["path"] for request in fake_server.seen] == ["/moved"]


def test_healthcheck_when_nothing_listens_exits_1():
    # A port that was free a moment ago: bound, then closed, so that nothing listens on it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = _healthcheck(f"http://127.0.0.1:{port}/healthz")

    assert (result.returncode, result.stderr) == (1, "unhealthy: <urlopen error [Errno 111] Connection refused>\n")
