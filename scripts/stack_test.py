"""Baige scaled out on one machine: two web servers, a worker per queue, S3 and Redis, pushed by real uploads.

``make stack-test`` runs it. It builds everything it needs and removes it afterwards:

- a PostgreSQL database of its own on ``DATABASE_URL``'s server, migrated;
- an S3 server (moto) with a bucket, where uploads go straight from the client as presigned parts;
- a Redis database (``STACK_REDIS_URL``, by default db 15 on 127.0.0.1), emptied at the start and the end;
- two gunicorn servers on two ports and three Celery workers, one per queue (``default`` with the beat
  schedule and so the reaper, ``media``, ``office``), all with the same environment;
- a contest with one participant and entry per upload.

Then it checks two things:

1. ``UPLOADS`` files of the corpus (videos, PDFs, presentations) sent through the resumable-upload API,
   one web server after the other, all end ready, each processed exactly once: one asset per entry and
   it is the entry's file, one claim (``attempts``), no rendition twice, and one successful run of each
   task in the workers' logs.
2. A longer video is uploaded; while the media worker transcodes it, the worker and everything it
   started get SIGKILL and a new media worker starts. The asset must still end ready, once the reaper
   has taken back the asset whose lease ran out (``MEDIA_STALE_AFTER_SECONDS``, 45 s here); how long that
   took is printed.

It prints a summary and exits with 1 on any failure. Logs stay in the printed folder when a check fails.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contest.models import Contest, Entry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _server import dedicated_database, free_port, gunicorn  # noqa: E402 - found through the path set above

CORPUS = ROOT.parent / "shared" / "corpus"
DATABASE = "baige_stack_test"
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/15")
STACK_SECRET_KEY = secrets.token_urlsafe(50)
BUCKET = "baige-stack"
#: moto takes any key; these only have to be the same on both sides.
S3_KEY = "stack"
UPLOADS = 30
#: Uploads sent at the same time.
CLIENTS = 6
#: One of each in turn, so both web servers and both heavy queues get their share.
VIDEOS = [
    "videos/exoplayer_sample_h264_aac.mp4",
    "videos/streamio_awesome_movie_h264_aac.mov",
    "videos/phpffmpeg_portrait_iphone_rotate90.mov",
    "videos/moviepy_no_duration_vp9_opus.webm",
    "videos/exoplayer_sample_h264_ac3_srt.mkv",
    "videos/moviepy_example_h264_noaudio.mp4",
    "videos/exoplayer_bear_vp9_odd_161x121_noaudio.webm",
]
PDFS = [
    "pdf/gofpdf_utf8font_multilang_cyrillic.pdf",
    "pdf/onlyoffice_sample_form.pdf",
    "pdf/unstructured_fake_memo.pdf",
    "pdf/unstructured_gao_invalid_structure_pdfminer.pdf",
]
PRESENTATIONS = [
    "presentations/onlyoffice_sample_presentation_ru.pptx",
    "presentations/python_pptx_tbl_cell.pptx",
    "presentations/unstructured_fake_power_point.ppt",
    "presentations/onlyoffice_sample_presentation_ru_converted.odp",
]
#: The crash test's video: long enough at 720p that the worker is surely killed mid-transcode.
LONG_VIDEO_SECONDS = 90
PROCESSING_TIMEOUT = 20 * 60
#: The reaper takes back assets silent for MEDIA_STALE_AFTER_SECONDS; then the work is redone.
RECOVERY_TIMEOUT = 15 * 60
TASKS = ("media_pipeline.process_asset", "media_pipeline.media.process", "media_pipeline.office.process")


@dataclass
class Report:
    """What the run found: lines to print and whether anything failed."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def check(self, ok: bool, what: str) -> None:
        self.note(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)


class Workers:
    """Celery workers, each in a process group of its own so that a crash can take everything it started."""

    def __init__(self, env: Mapping[str, str], folder: Path) -> None:
        self.env = dict(env)
        self.folder = folder
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def log_path(self, name: str) -> Path:
        return self.folder / f"worker-{name}.log"

    def start(self, name: str, queue: str, *, beat: bool = False) -> None:
        from config.celery import app

        with self.log_path(name).open("ab") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    "-n",
                    f"{name}@stack",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                    *(["--beat", "--schedule", str(self.folder / "beat-schedule")] if beat else []),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(destination=[f"{name}@stack"], timeout=1.0):
                return
            if process.poll() is not None:
                break
        raise SystemExit(f"worker {name} did not start:\n" + self.log_path(name).read_text(errors="replace"))

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def task_counts(self) -> Counter[tuple[str, str]]:
        """(task, outcome) → how many times the workers' logs say it happened; outcomes: succeeded, retry, raised."""
        counts: Counter[tuple[str, str]] = Counter()
        for log in self.folder.glob("worker-*.log"):
            for line in log.read_text(errors="replace").splitlines():
                for task in TASKS:
                    if f"Task {task}[" not in line:
                        continue
                    for outcome in ("succeeded", "retry", "raised"):
                        if f"] {outcome}" in line:
                            counts[task, outcome] += 1
        return counts


@contextlib.contextmanager
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    # Its request log would bury the summary.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@contextlib.contextmanager
def redis_database(url: str) -> Iterator[None]:
    """The Redis database of this run, empty at the start and emptied at the end."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield
    finally:
        client.flushdb()
        client.close()


def environment(*, database_url: str, s3_url: str, folder: Path) -> dict[str, str]:
    """What the web servers, the workers and this process all run with."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # DEBUG is off, so the development key is refused: one key for every process of the run.
        "SECRET_KEY": STACK_SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_url,
        "S3_ACCESS_KEY_ID": S3_KEY,
        "S3_SECRET_ACCESS_KEY": S3_KEY,
        "S3_REGION": "us-east-1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "BAIGE_DATA_DIR": str(folder / "data"),
        "STATIC_PLAIN": "1",
        "LOG_LEVEL": "WARNING",
        # The shortest lease Baige accepts, so that the crash test's recovery does not wait two minutes.
        "MEDIA_STALE_AFTER_SECONDS": os.environ.get("MEDIA_STALE_AFTER_SECONDS", "45"),
    }


def seed(count: int) -> tuple[Contest, list[tuple[Entry, str]]]:
    """A contest open for submissions and ``count`` participants, each with an entry and a logged-in session."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from contest.models import Contest, Entry, Nomination

    now = timezone.now()
    contest = Contest.objects.create(
        slug="stack",
        name="Stack test",
        name_en="Stack test",
        timezone="Asia/Almaty",
        submissions_open=now - timedelta(days=1),
        submissions_close=now + timedelta(days=1),
    )
    nomination = Nomination.objects.create(contest=contest, slug="lessons", name="Lessons", name_en="Lessons")
    entries = []
    for number in range(count):
        user = get_user_model().objects.create_user(
            username=f"participant{number}", email=f"participant{number}@example.org"
        )
        entry = Entry.objects.create(contest=contest, author=user, title=f"Lesson {number}", nomination=nomination)
        client = Client()
        client.force_login(user)
        entries.append((entry, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return contest, entries


def upload(base_url: str, *, session: str, contest: str, entry: str, path: Path) -> None:
    """Send ``path`` as a browser does: create, sign each part, PUT it to the bucket, complete."""
    import requests

    csrf = secrets.token_hex(16)  # any 32 characters: Django compares the cookie with the header
    with requests.Session() as client:
        client.cookies.set("sessionid", session)
        client.cookies.set("csrftoken", csrf)
        client.headers.update({"X-CSRFToken": csrf, "Accept-Language": "en"})
        size = path.stat().st_size
        body: dict[str, Any] = {"contest": contest, "entry": entry, "filename": path.name, "size": size}
        created = client.post(f"{base_url}/api/v1/uploads/", json=body, timeout=60)
        if created.status_code != 201:
            raise RuntimeError(f"create {path.name}: {created.status_code} {created.text[:300]}")
        answer = created.json()
        upload_id, part_size = answer["uploadId"], int(answer["partSize"])
        parts: list[Any] = []
        with path.open("rb") as stream:
            for number in range(1, max(1, -(-size // part_size)) + 1):
                signed = client.get(f"{base_url}/api/v1/uploads/s3/multipart/{upload_id}/{number}", timeout=60)
                if signed.status_code != 200:
                    raise RuntimeError(f"sign {path.name} part {number}: {signed.status_code} {signed.text[:300]}")
                put = requests.put(signed.json()["url"], data=stream.read(part_size), timeout=120)
                if put.status_code != 200:
                    raise RuntimeError(f"put {path.name} part {number}: {put.status_code} {put.text[:300]}")
                parts.append({"PartNumber": number, "ETag": put.headers["ETag"].strip('"')})
        done = client.post(
            f"{base_url}/api/v1/uploads/s3/multipart/{upload_id}/complete", json={"parts": parts}, timeout=300
        )
        if done.status_code != 200:
            raise RuntimeError(f"complete {path.name}: {done.status_code} {done.text[:300]}")


def wait_for(predicate: Any, *, timeout: float, every: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def check_processed_once(report: Report, contest: Contest, uploaded: list[Entry], workers: Workers) -> None:
    """Every entry has one asset, ready, its current file, claimed once, with no rendition twice."""
    from django.db.models import Count

    from contest.models import Entry
    from media_pipeline.enums import AssetStatus
    from media_pipeline.models import MediaAsset, Rendition

    entries = list(Entry.objects.filter(pk__in=[entry.pk for entry in uploaded]).annotate(asset_count=Count("assets")))
    assets = list(MediaAsset.objects.filter(entry__contest=contest).order_by("pk"))
    statuses = Counter(asset.status for asset in assets)
    report.note(f"     assets by status: {dict(statuses)}")
    for asset in assets:
        if asset.status != AssetStatus.READY:
            report.note(
                f"     asset {asset.pk} ({asset.original_name}): {asset.status} {asset.reason_code} {asset.reason}"
            )
    report.check(statuses == Counter({AssetStatus.READY: UPLOADS}), f"all {UPLOADS} assets ready")
    report.check(all(entry.asset_count == 1 for entry in entries), "one asset per entry")
    current = {entry.pk: entry.media_id for entry in entries}
    report.check(all(current[asset.entry_id] == asset.pk for asset in assets), "each asset is its entry's file")
    attempts = Counter(asset.attempts for asset in assets)
    report.check(attempts == Counter({1: UPLOADS}), f"each asset claimed once (attempts: {dict(attempts)})")
    duplicates = (
        Rendition.objects.filter(asset__in=assets).values("asset", "name").annotate(n=Count("pk")).filter(n__gt=1)
    )
    renditions = Rendition.objects.filter(asset__in=assets).values("asset").annotate(n=Count("pk"))
    with_renditions = {row["asset"] for row in renditions if row["n"] > 0}
    report.check(not duplicates.exists(), "no rendition made twice")
    report.check(with_renditions == {asset.pk for asset in assets}, "every asset has renditions")
    kinds = Counter(asset.kind for asset in assets)
    report.note(f"     kinds: {dict(kinds)}; renditions: {Rendition.objects.filter(asset__in=assets).count()}")
    counts = workers.task_counts()
    report.note(f"     task runs in the workers' logs: {dict(sorted(counts.items()))}")
    heavy = counts["media_pipeline.media.process", "succeeded"] + counts["media_pipeline.office.process", "succeeded"]
    report.check(counts["media_pipeline.process_asset", "succeeded"] == 0, "each upload queued straight to its queue")
    report.check(heavy == UPLOADS, "processing task ran once per upload")
    report.check(not any(outcome in ("retry", "raised") for _, outcome in counts), "no task retried or raised an error")


def make_long_video(path: Path) -> None:
    """A 720p clip in MPEG-4 Part 2 and MP3: both streams must be encoded, which takes a while."""
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(LONG_VIDEO_SECONDS), "-c:v", "mpeg4", "-q:v", "4", "-c:a", "libmp3lame", "-b:a", "128k",
            str(path),
        ],
        check=True,
    )  # fmt: skip


def check_crash_recovery(
    report: Report, *, base_url: str, contest: Contest, entry: Entry, session: str, workers: Workers, folder: Path
) -> None:
    """Kill the media worker mid-transcode; a new one must finish the asset once the reaper takes it back."""
    from django.conf import settings
    from django.db.models import Count

    from media_pipeline.enums import AssetStatus
    from media_pipeline.models import MediaAsset

    video = folder / "long.avi"
    make_long_video(video)
    upload(base_url, session=session, contest=contest.slug, entry=entry.code, path=video)
    asset = MediaAsset.objects.get(entry=entry)

    def transcoding() -> bool:
        asset.refresh_from_db()
        return asset.status == AssetStatus.PROCESSING and asset.progress > 0

    if not wait_for(transcoding, timeout=PROCESSING_TIMEOUT, every=0.2):
        report.check(False, f"long video reached processing (it is {asset.status}, {asset.progress}%)")
        return
    report.note(f"     long video transcoding at {asset.progress}%: SIGKILL to the media worker")
    workers.kill("media")
    killed = time.monotonic()
    workers.start("media-2", "media")

    def finished() -> bool:
        asset.refresh_from_db()
        return asset.status in (AssetStatus.READY, AssetStatus.FAILED)

    wait_for(finished, timeout=RECOVERY_TIMEOUT, every=1.0)
    took = time.monotonic() - killed
    report.note(
        f"     after the kill: {asset.status} in {took:.0f} s (lease {settings.MEDIA_STALE_AFTER_SECONDS} s, "
        f"reaper every {settings.CELERY_BEAT_SCHEDULE['reap-stuck-assets']['schedule']} s), attempts {asset.attempts}"
    )
    report.check(asset.status == AssetStatus.READY, "long video ready after the media worker was killed")
    report.check(asset.attempts == 2, "long video claimed twice: by the killed worker and its successor")
    duplicates = asset.renditions.values("name").annotate(n=Count("pk")).filter(n__gt=1)
    report.check(not duplicates.exists() and asset.renditions.exists(), "long video's renditions each made once")


def check_processing_view(report: Report) -> None:
    """What organisers see of background processing: every queue has its worker and nothing waits or failed."""
    from monitoring.models import TaskFailure
    from monitoring.selectors import queues_state

    queues = queues_state(worker_timeout=2.0)
    for state in queues.states:
        report.note(
            f"     queue {state.name}: {state.waiting} waiting, workers {', '.join(state.workers or ()) or 'none'}"
        )
    report.check(not queues.broker_error, f"the broker answered about its queues {queues.broker_error}".strip())
    report.check(
        all(state.waiting == 0 and state.workers for state in queues.states),
        "every queue empty and taken by its worker",
    )
    # A worker killed mid-task is not a failure: its task went back to the queue and was done.
    failures = list(TaskFailure.objects.values_list("task_name", "message"))
    report.check(not failures, f"no task failed for good {failures[:3] if failures else ''}".strip())


def run(report: Report, folder: Path) -> None:
    import boto3

    started = time.monotonic()
    with (
        dedicated_database(DATABASE) as database_url,
        s3_server() as s3_url,
        redis_database(REDIS_URL),
    ):
        env = environment(database_url=database_url, s3_url=s3_url, folder=folder)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        boto3.client(
            "s3",
            endpoint_url=s3_url,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_KEY,
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        contest, entries = seed(UPLOADS + 1)
        report.note(
            f"     database, S3, Redis and {UPLOADS + 1} participants ready in {time.monotonic() - started:.0f} s"
        )

        workers = Workers(env, folder)
        options = ["--workers", "2", "--log-level", "warning"]
        try:
            with (
                gunicorn(env, options=options, log=folder / "web-1.log") as web_1,
                gunicorn(env, options=options, log=folder / "web-2.log") as web_2,
            ):
                workers.start("default", "default", beat=True)
                workers.start("media", "media")
                workers.start("office", "office")
                servers = [f"http://{host}:{port}" for host, port in (web_1, web_2)]
                report.note(f"     web servers {', '.join(servers)}; workers default (with beat), media, office")

                kinds = (VIDEOS, PDFS, PRESENTATIONS)
                files = [CORPUS / kinds[n % 3][n // 3 % len(kinds[n % 3])] for n in range(UPLOADS)]
                sent = time.monotonic()
                with ThreadPoolExecutor(CLIENTS) as pool:
                    jobs = [
                        pool.submit(
                            upload,
                            servers[n % 2],
                            session=session,
                            contest=contest.slug,
                            entry=entry.code,
                            path=files[n],
                        )
                        for n, (entry, session) in enumerate(entries[:UPLOADS])
                    ]
                    errors = [str(error) for job in jobs if (error := job.exception()) is not None]
                for message in errors:
                    report.note(f"     {message}")
                report.check(
                    not errors, f"{UPLOADS} uploads through both web servers ({time.monotonic() - sent:.0f} s)"
                )

                from media_pipeline.enums import AssetStatus
                from media_pipeline.models import MediaAsset

                pending = MediaAsset.objects.filter(entry__contest=contest).exclude(
                    status__in=[AssetStatus.READY, AssetStatus.FAILED]
                )
                wait_for(lambda: not pending.exists(), timeout=PROCESSING_TIMEOUT, every=1.0)
                report.note(f"     all processed {time.monotonic() - sent:.0f} s after the first upload")
                check_processed_once(report, contest, [entry for entry, _ in entries[:UPLOADS]], workers)

                crash_entry, crash_session = entries[UPLOADS]
                check_crash_recovery(
                    report,
                    base_url=servers[0],
                    contest=contest,
                    entry=crash_entry,
                    session=crash_session,
                    workers=workers,
                    folder=folder,
                )
                check_processing_view(report)
        finally:
            workers.stop_all()
            from django.db import connections

            # The database is dropped next; this process lets go of it first.
            connections.close_all()
    report.note(f"     total {time.monotonic() - started:.0f} s")


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="baige-stack-", dir=os.environ.get("STACK_TEST_DIR")))
    report = Report()
    try:
        run(report, folder)
    except BaseException as error:
        report.check(False, f"the run stopped: {type(error).__name__}: {error}")
    if report.failures:
        print(f"\nstack test FAILED ({len(report.failures)}); logs in {folder}", flush=True)
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print("\nstack test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
