"""Benchmark: the participants' pages and the jury panel under 100 users at once, against a trivial request.

Prints four lines ``BENCH <name> <value> <unit> ratio=<r> target=<t>``:

- ``load_pages_100_users``: pages answered per second, the pages of both roles mixed; the ratio is
  over the rate of ``/healthz`` on the same server and should be at least the target;
- ``load_pages_100_users_p95``: the 95th percentile of those pages' latency in milliseconds; the
  ratio is over the 95th percentile of ``/healthz`` and should be at most the target;
- ``load_participant_pages_100_users`` and ``load_jury_panel_100_users``: the rate of each role's
  pages alone, with their ratio over ``/healthz``, at least the target.

Baige runs under gunicorn as production runs it (sync workers, three of them as ``WEB_CONCURRENCY``
in ``docker/Dockerfile``; without the access log, like the other HTTP benchmarks) with ``DEBUG`` off,
on a PostgreSQL database made for the run and dropped after it. Static files are named without the
collected manifest (``STATIC_PLAIN``), which costs a page the same as the manifest's lookup. Sessions
are read from the Redis cache and written through to PostgreSQL, as in production; the benchmark
empties its own Redis database first (``BENCH_REDIS_URL``, by default database 12 on the local server).

The data: the demo contest (``exchange/demo/demo_contest.yaml``) with a rubric of three criteria
described level by level, 50 participants each with a submitted entry (two co-authors, two platforms,
a processed video), and 50 jurors who scored a closed first round and now judge an open second one
(three entries each, k = 3; of their reviews a third is submitted, a third a draft, a third not begun).
Every user has a real session. ``wrk`` (100 connections, 2 threads, ``load.lua``) sends each request
with one user's session cookie, going round these pages, each user in their own language (kk, ru, en):

- participant: ``/<lang>/entries/`` (my entries), ``/<lang>/c/<contest>/`` (the contest's page,
  with their own entries), ``/<lang>/c/<contest>/entries/<code>/`` (their entry);
- jury: ``/<lang>/jury/`` (their rounds), ``/<lang>/jury/r/<round>/`` (their entries of the
  round, "x of y scored"), ``/<lang>/jury/r/<round>/<code>/`` (an entry beside the rubric form).

``/`` is left out: it only redirects to the contest's page. Every page is first asked once by its own
user, to see that it answers 200. The reference is ``/healthz`` on the same server in the same run:
gunicorn, the middleware and the URL resolver without the database or a template, so the ratios say
what the pages cost over the request-handling floor of the same machine. A page costs some 15-60 ms
of work (6 to 21 queries and a template) against about 1 ms for ``/healthz``, so the rate targets
guard against a page becoming markedly slower (a query per row, say) rather than ask for a ratio a
page with a database cannot reach. With 100 connections and no pause between requests, latency is
about connections over rate, so the 95th percentile's target is about the inverse of the mixed rate's.

The reference, the mixed pages and each role's pages run in turn, ``ROUNDS`` times, and the best of
each counts. After each run the server first answers what the run left in its queue. Any answer other
than 200 (a redirect to the login page would mean a broken session) or any socket error fails the run.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _server import Request, gunicorn, run_clients, run_with_django

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).with_name("load.lua")
PARTICIPANTS, JURORS, K = 50, 50, 3
CONNECTIONS, THREADS = 100, 2
#: Seconds of each measured run: the reference and the mixed pages, and each role's pages alone.
SECONDS, ROLE_SECONDS, WARM_UP_SECONDS = 15, 8, 3
ROUNDS = 2
#: Each rate over the reference's should be at least this (mixed pages, participant's, jury panel's).
TARGET_RATIOS = {"pages": 0.03, "participant": 0.04, "jury": 0.02}
#: The mixed pages' 95th percentile over the reference's should be at most this.
TARGET_P95_RATIO = 35.0
#: As production runs it (docker/Dockerfile: sync workers, WEB_CONCURRENCY=3).
SERVER_OPTIONS = ("--workers", "3", "--log-level", "warning")
LANGUAGES = ("kk", "ru", "en")
REDIS_URL = "redis://127.0.0.1:6379/12"
CONTEST = "effective-digital-platform"
#: The rubric: each criterion's highest score.
SCALES = {"content": 10, "use-of-platforms": 5, "presentation": 3}

#: (path, session key) of one request.
Page = tuple[str, str]


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench_load needs wrk: install the Debian package wrk (`make bench` does it as root)")
    # Production conditions; a fresh data folder has no collected static files to hash.
    os.environ["DEBUG"] = "0"
    os.environ["STATIC_PLAIN"] = "1"
    # Redis as in production: sessions are read from its cache. A database of its own, emptied first.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", REDIS_URL)
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    run_with_django("baige_bench_load", measure)


def measure(data_dir: Path) -> None:
    from django.conf import settings

    pages = set_up()
    participant = [page for kind, page in pages if kind == "participant"]
    jury = [page for kind, page in pages if kind == "jury"]
    mixed = [page for _kind, page in pages]
    random.Random(1).shuffle(mixed)
    files = {
        "healthz": write(data_dir / "healthz.txt", [("/healthz", "-")]),
        "pages": write(data_dir / "pages.txt", mixed),
        "participant": write(data_dir / "participant.txt", participant),
        "jury": write(data_dir / "jury.txt", jury),
    }
    log = data_dir / "gunicorn.log"
    cookie = settings.SESSION_COOKIE_NAME
    with gunicorn(os.environ, options=SERVER_OPTIONS, log=log) as (host, port):
        check_pages(host, port, cookie, [page for _kind, page in pages], log)

        def run(name: str, seconds: int) -> Load:
            load = wrk(f"http://{host}:{port}", files[name], cookie, seconds, name=name, log=log)
            settle(host, port)
            return load

        run("pages", WARM_UP_SECONDS)
        runs: dict[str, list[Load]] = {name: [] for name in files}
        for _ in range(ROUNDS):
            runs["healthz"].append(run("healthz", SECONDS))
            runs["pages"].append(run("pages", SECONDS))
            runs["participant"].append(run("participant", ROLE_SECONDS))
            runs["jury"].append(run("jury", ROLE_SECONDS))
    best = {name: max(loads, key=lambda load: load.per_second) for name, loads in runs.items()}
    base = best["healthz"].per_second
    base_p95 = min(load.p95 for load in runs["healthz"])
    p95 = min(load.p95 for load in runs["pages"])
    for name, loads in runs.items():
        print(
            f"# load {name}: {CONNECTIONS} connections, runs "
            + "; ".join(
                f"{load.per_second:.1f} req/s p50 {load.p50:.1f} p95 {load.p95:.1f} p99 {load.p99:.1f} ms"
                for load in loads
            ),
            file=sys.stderr,
        )
    for name, label in (("pages", "pages"), ("participant", "participant_pages"), ("jury", "jury_panel")):
        rate = best[name].per_second
        print(f"BENCH load_{label}_100_users {rate:.1f} req/s ratio={rate / base:.3f} target={TARGET_RATIOS[name]}")
        if name == "pages":
            ratio = p95 / base_p95
            print(f"BENCH load_pages_100_users_p95 {p95:.0f} ms ratio={ratio:.1f} target={TARGET_P95_RATIO:g}")


def write(path: Path, pages: list[Page]) -> Path:
    """The requests file of load.lua: one ``<path> <session key>`` a line."""
    path.write_text("".join(f"{url} {key}\n" for url, key in pages))
    return path


def check_pages(host: str, port: int, cookie: str, pages: list[Page], log: Path) -> None:
    """Every page, asked once by its user (all users at once), answers 200: the sessions work."""
    by_user: dict[str, list[Request]] = {}
    for path, key in pages:
        by_user.setdefault(key, []).append(Request("GET", path))
    result = run_clients(host, port, [({"Cookie": f"{cookie}={key}"}, requests) for key, requests in by_user.items()])
    if result.failures or set(result.statuses) != {200}:
        failures = "\n".join(result.failures[:20])
        raise SystemExit(f"pages do not all answer 200 {dict(result.statuses)} (server log: {log}):\n{failures}")


def settle(host: str, port: int) -> None:
    """Wait until the server has answered what a finished run left queued.

    When wrk stops, up to one request per connection still waits in gunicorn's accept queue and is
    served anyway; without this the next run would spend its first seconds on them. The queue is first
    in, first out, so a request sent now is answered once they are done.
    """
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise SystemExit(f"/healthz answers {response.status} after a run")


def wrk(url: str, requests: Path, cookie: str, seconds: int, *, name: str, log: Path) -> Load:
    """One wrk run over the requests of ``requests``; any answer but 200 or any socket error ends the benchmark."""
    command = [
        "wrk",
        "--threads",
        str(THREADS),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        # wrk's default (2 s) would count a slow page as a socket error rather than measure it.
        "--timeout",
        "60s",
        "--script",
        str(SCRIPT),
        url,
        "--",
        str(requests),
        cookie,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed on {name} (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    result = json.loads(lines[-1].removeprefix("RESULT "))
    errors = {kind: count for kind, count in result["errors"].items() if count and kind != "status"}
    if errors or result["not_200"] or not result["requests"]:
        statuses = Counter({int(status): count for status, count in result["statuses"].items()})
        raise SystemExit(
            f"{name}: {result['not_200']} of {result['requests']} answers were not 200 {dict(statuses)}, "
            f"socket errors {errors or 'none'} (server log: {log})"
        )
    latency = result["latency_us"]
    return Load(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50=latency["p50"] / 1000,
        p95=latency["p95"] / 1000,
        p99=latency["p99"] / 1000,
    )


def set_up() -> list[tuple[str, Page]]:
    """The contest, its participants and jury, a session for each; the pages to ask, by kind."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from contest.enums import EntryStatus, Role
    from contest.models import CoAuthor, Contest, ContestRole, Entry, ParticipantProfile
    from judging.enums import ReviewStatus, RoundStatus
    from judging.models import (
        Assignment,
        Criterion,
        CriterionLevel,
        Juror,
        Review,
        Round,
        RoundEntry,
        RoundJuror,
        Rubric,
        Score,
    )
    from media_pipeline.enums import AssetStatus, MediaKind, RenditionKind
    from media_pipeline.models import MediaAsset, Rendition

    call_command("migrate", "--noinput", verbosity=0)
    call_command("contest_load", str(ROOT / "exchange" / "demo" / "demo_contest.yaml"), stdout=io.StringIO())
    contest = Contest.objects.get(slug=CONTEST)
    nominations = list(contest.nominations.all())
    platforms = list(contest.platforms.filter(is_other=False))
    universities = list(contest.universities.all())
    now = timezone.now()

    rubric, _created = Rubric.objects.get_or_create(contest=contest)
    criteria = [
        Criterion.objects.create(
            rubric=rubric,
            slug=slug,
            name=slug,
            name_en=slug,
            description=f"How good the {slug} is.",
            max_score=top,
            order=order,
        )
        for order, (slug, top) in enumerate(SCALES.items(), start=1)
    ]
    CriterionLevel.objects.bulk_create(
        CriterionLevel(criterion=criterion, score=score, descriptor=f"{criterion.slug}: level {score}")
        for criterion in criteria
        for score in range(criterion.max_score + 1)
    )

    authors = User.objects.bulk_create(
        User(username=f"participant{n}", email=f"participant{n}@example.org") for n in range(PARTICIPANTS)
    )
    judges = User.objects.bulk_create(User(username=f"juror{n}", email=f"juror{n}@example.org") for n in range(JURORS))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in [*authors, *judges]
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            user=author,
            full_name=f"Participant {n}",
            university=universities[n % len(universities)],
            programme="Pedagogy",
            preferred_language=LANGUAGES[n % len(LANGUAGES)],
        )
        for n, author in enumerate(authors)
    )
    entries = Entry.objects.bulk_create(
        Entry(
            contest=contest,
            author=author,
            code=f"L{n:05d}",
            title=f"Lesson {n}",
            description=f"A lesson built with two platforms ({n}).",
            nomination=nominations[n % len(nominations)],
            live_url=f"https://example.org/lesson/{n}",
            consent_to_publish=True,
            status=EntryStatus.SUBMITTED,
            submitted_at=now,
            author_university=universities[n % len(universities)],
        )
        for n, author in enumerate(authors)
    )
    Entry.platforms.through.objects.bulk_create(
        Entry.platforms.through(entry=entry, platform=platforms[(n + shift) % len(platforms)])
        for n, entry in enumerate(entries)
        for shift in range(2)
    )
    CoAuthor.objects.bulk_create(
        CoAuthor(
            entry=entry,
            full_name=f"Co-author {n}.{order}",
            email=f"coauthor{n}.{order}@example.org",
            university=universities[(n + order) % len(universities)],
            order=order,
        )
        for n, entry in enumerate(entries)
        for order in range(2)
    )
    # A processed video for each entry: rows only, no page reads the files themselves.
    assets = MediaAsset.objects.bulk_create(
        MediaAsset(
            entry=entry,
            original=f"entries/{CONTEST}/{entry.code}/original.mp4",
            original_name="lesson.mp4",
            kind=MediaKind.VIDEO,
            extension="mp4",
            size=50_000_000,
            status=AssetStatus.READY,
            progress=100,
            duration=600.0,
            width=1280,
            height=720,
            ready_at=now,
            uploaded_by=entry.author,
        )
        for entry in entries
    )
    Rendition.objects.bulk_create(
        Rendition(asset=asset, name=name, kind=kind, file=f"entries/{CONTEST}/{asset.uuid}/{name}", size=1000)
        for asset in assets
        for name, kind in (
            ("video-720", RenditionKind.VIDEO),
            ("video-360", RenditionKind.VIDEO),
            ("poster", RenditionKind.IMAGE),
            ("strip", RenditionKind.IMAGE),
        )
    )
    for entry, asset in zip(entries, assets, strict=True):
        entry.media = asset
    Entry.objects.bulk_update(entries, ["media"])

    ContestRole.objects.bulk_create(ContestRole(contest=contest, user=user, role=Role.JUROR) for user in judges)
    jurors = Juror.objects.bulk_create(
        Juror(contest=contest, user=user, languages=list(LANGUAGES), accepted_at=now) for user in judges
    )
    first = Round.objects.create(
        contest=contest,
        number=1,
        name="Round 1",
        name_en="Round 1",
        reviews_per_entry=K,
        status=RoundStatus.CLOSED,
        closed_at=now,
    )
    second = Round.objects.create(
        contest=contest,
        number=2,
        name="Round 2",
        name_en="Round 2",
        reviews_per_entry=K,
        status=RoundStatus.OPEN,
        source_round=first,
    )
    reviews = []
    for round in (first, second):
        RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in entries)
        RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in jurors)
        Assignment.objects.bulk_create(
            Assignment(round=round, juror=juror, entry=entries[(n + shift) % PARTICIPANTS])
            for n, juror in enumerate(jurors)
            for shift in range(K)
        )
        for n, juror in enumerate(jurors):
            # The first round is all scored; of the open one a third is submitted, a third drafted.
            for shift in range(K if round is first else K - 1):
                submitted = round is first or shift == 0
                reviews.append(
                    Review(
                        round=round,
                        juror=juror,
                        entry=entries[(n + shift) % PARTICIPANTS],
                        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
                        comment=f"Review {n}.{shift}: clear and well built.",
                        submitted_at=now if submitted else None,
                    )
                )
    Review.objects.bulk_create(reviews)
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            value=(index + order) % (criterion.max_score + 1),
            max_score=criterion.max_score,
        )
        for index, review in enumerate(reviews)
        for order, criterion in enumerate(criteria)
    )
    rubric.frozen_at = now
    rubric.save(update_fields=["frozen_at"])

    def session(user: User) -> str:
        """A real session of ``user``, as signing in makes it; its key is the cookie's value."""
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    pages: list[tuple[str, Page]] = []
    for n, (author, entry) in enumerate(zip(authors, entries, strict=True)):
        key, language = session(author), LANGUAGES[n % len(LANGUAGES)]
        for path in ("entries/", f"c/{CONTEST}/", f"c/{CONTEST}/entries/{entry.code}/"):
            pages.append(("participant", (f"/{language}/{path}", key)))
    for n, user in enumerate(judges):
        key, language = session(user), LANGUAGES[n % len(LANGUAGES)]
        code = entries[(n + n % K) % PARTICIPANTS].code
        for path in ("jury/", f"jury/r/{second.pk}/", f"jury/r/{second.pk}/{code}/"):
            pages.append(("jury", (f"/{language}/{path}", key)))
    return pages


if __name__ == "__main__":
    main()
