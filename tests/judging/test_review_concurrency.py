"""Fifty jurors' clients at once against a real server over HTTP: every review ends whole and its history exact.

The server is gunicorn with several processes and threads on the test database, as in production,
so requests really run side by side and only the database's locks keep reviews consistent.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from api_tokens.services import api_token_create
from judging.enums import ReviewChangeKind, ReviewStatus
from judging.models import Assignment, Review, ReviewChange, Round
from tests.judging import criteria_for, entry_from, juror_in, round_of

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 50
ENTRIES = 50
K = 3
#: The highest score of each criterion c1, c2, c3.
SCALES = (10, 5, 3)
#: Every fifth juror works from two tabs at once: both send the same requests at the same moment.
TWIN_EVERY = 5


class Shown(NamedTuple):
    """A review as an answer shows it."""

    scores: dict[str, int]
    comment: str
    review_status: str


@dataclass(frozen=True)
class Step:
    """One request of a juror's client and what it must answer."""

    method: str
    action: str  # "review/" (save a draft) or "review/submit/"
    body: dict[str, Any]
    shows: Shown
    status: int = 200
    code: str | None = None
    #: The kind of change this request adds to the review's history, if any.
    change: str | None = None


def script(juror: int, nth: int) -> list[Step]:
    """What juror number ``juror`` sends about their ``nth`` entry, in order, and what each must answer.

    Drafts change the scores several times (one left out, then changed, then the last one given), the
    submission sends the final scores, then some jurors revise: a real change is one more REVISED row
    in the history, sending the same scores again is none. Saving a draft of a submitted review, or a
    score outside its scale, is refused with a clear 400 and loses nothing.
    """
    seed = juror * 7 + nth * 3
    a, b, c = seed % 11, seed % 6, seed % 4
    first = {"c1": (a + 1) % 11}
    second = {**first, "c1": a, "c2": (b + 2) % 6}
    third = {**second, "c2": b, "c3": c}
    draft = Shown(third, "draft", ReviewStatus.DRAFT)
    steps = [
        Step("PUT", "review/", {"scores": first}, Shown(first, "", ReviewStatus.DRAFT)),
        Step("PUT", "review/", {"scores": second, "comment": "ideas"}, Shown(second, "ideas", ReviewStatus.DRAFT)),
        Step("PUT", "review/", {"scores": {"c2": b, "c3": c}, "comment": "draft"}, draft),
    ]
    if juror % 7 == 0:
        steps.append(Step("PUT", "review/", {"scores": {"c1": 99}}, draft, 400, "score_out_of_range"))
    final = {"c1": (a + 3) % 11, "c2": (b + 1) % 6, "c3": (c + 1) % 4}
    comment = f"Juror {juror}, entry {nth}"
    submitted = Shown(final, comment, ReviewStatus.SUBMITTED)
    steps += [
        Step(
            "POST",
            "review/submit/",
            {"scores": final, "comment": comment},
            submitted,
            change=ReviewChangeKind.SUBMITTED,
        ),
        Step("PUT", "review/", {"scores": {"c1": 0}}, submitted, 400, "review_submitted"),
    ]
    if nth == 0:
        revised = Shown({**final, "c1": (final["c1"] + 5) % 11}, comment, ReviewStatus.SUBMITTED)
        steps += [
            Step(
                "POST",
                "review/submit/",
                {"scores": {"c1": revised.scores["c1"]}},
                revised,
                change=ReviewChangeKind.REVISED,
            ),
            # The same scores again: nothing changes, so nothing is added to the history.
            Step("POST", "review/submit/", {"scores": revised.scores}, revised),
        ]
    if nth == 1 and juror % 2 == 0:
        comment += " (revised)"
        revised = Shown(final, comment, ReviewStatus.SUBMITTED)
        steps.append(Step("POST", "review/submit/", {"comment": comment}, revised, change=ReviewChangeKind.REVISED))
    return steps


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(transactional_db: None, tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    """gunicorn (2 processes × 4 threads) on the test database; yields its host, port and log file."""
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "BAIGE_DATA_DIR": str(tmp_path / "server-var"),
        "LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                # Longer than the test: a client's kept-alive connection is never closed under it.
                "--keep-alive",
                "120",
                "--graceful-timeout",
                "5",
                # Its default place is shared by every gunicorn of the user.
                "--no-control-socket",
            ],
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
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/api/v1/jury/assignments/")
                answer = probe.getresponse()
                answer.read()
                probe.close()
                # Anonymous, so refused; anything else means the application did not load.
                if answer.status != 403:
                    raise RuntimeError(f"gunicorn answers {answer.status}:\n" + log_path.read_text(errors="replace"))
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + log_path.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield "127.0.0.1", port, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)


@dataclass
class JurorClient:
    """One juror's way in: a token, or a session cookie with its CSRF token as the jury panel sends."""

    number: int
    user_id: int
    headers: dict[str, str]
    codes: list[str]


def _credentials(user: Any, number: int) -> dict[str, str]:
    headers = {"Accept-Language": "en", "Content-Type": "application/json"}
    if number % 2 == 0:
        headers["Authorization"] = f"Token {api_token_create(actor=user, name='bench')[1]}"
        return headers
    browser = Client()
    browser.force_login(user)
    csrf = secrets.token_hex(16)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    headers["X-CSRFToken"] = csrf
    return headers


@pytest.fixture
def jury(contest: Any) -> tuple[Round, list[JurorClient]]:
    """Fifty jurors, fifty entries, three jurors per entry and three entries per juror, in an open round."""
    criteria_for(contest, *SCALES)
    universities = list(contest.universities.all())
    entries = [entry_from(contest, universities[n % 2]) for n in range(ENTRIES)]
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(CLIENTS)]
    round = round_of(contest, entries, jurors, k=K)
    Assignment.objects.bulk_create(
        Assignment(round=round, juror=juror, entry=entries[(n + shift) % ENTRIES])
        for n, juror in enumerate(jurors)
        for shift in range(K)
    )
    clients = [
        JurorClient(
            number=n,
            user_id=juror.user_id,
            headers=_credentials(juror.user, n),
            codes=[entries[(n + shift) % ENTRIES].code for shift in range(K)],
        )
        for n, juror in enumerate(jurors)
    ]
    return round, clients


def test_review_writes_stay_consistent_when_fifty_jurors_send_at_once(
    server: tuple[str, int, Path], jury: tuple[Round, list[JurorClient]]
) -> None:
    round, clients = jury
    host, port, log = server
    lock = threading.Lock()
    answers: Counter[tuple[int, str | None]] = Counter()  # (status, error code) of every response
    problems: list[str] = []
    start = threading.Barrier(CLIENTS + CLIENTS // TWIN_EVERY, timeout=60)

    def work(client: JurorClient, twin: threading.Barrier | None) -> None:
        conversation = http.client.HTTPConnection(host, port, timeout=60)
        try:
            start.wait()
            for nth, code in enumerate(client.codes):
                base = f"/api/v1/jury/rounds/{round.pk}/entries/{code}/"
                for index, step in enumerate(script(client.number, nth)):
                    if twin is not None:
                        twin.wait()  # both tabs send this request at the same moment
                    conversation.request(step.method, base + step.action, json.dumps(step.body), client.headers)
                    response = conversation.getresponse()
                    raw = response.read()
                    body: Any = json.loads(raw) if response.getheader("Content-Type") == "application/json" else raw
                    error = body.get("code") if response.status != 200 and isinstance(body, dict) else None
                    with lock:
                        answers[(response.status, error)] += 1
                    if response.status != step.status or error != step.code:
                        with lock:
                            problems.append(f"juror {client.number} entry {nth} step {index}: {response.status} {body}")
                    elif response.status == 200:
                        shown = Shown(body["scores"], body["comment"], body["review_status"])
                        if shown != step.shows:
                            with lock:
                                problems.append(f"juror {client.number} entry {nth} step {index} shows {shown}")
        except Exception as error:  # reported below, with the juror it happened to
            with lock:
                problems.append(f"juror {client.number}: {error!r}")
            if twin is not None:
                twin.abort()
        finally:
            conversation.close()

    threads = []
    for client in clients:
        twin = threading.Barrier(2, timeout=60) if client.number % TWIN_EVERY == 0 else None
        threads.append(threading.Thread(target=work, args=(client, twin)))
        if twin is not None:
            threads.append(threading.Thread(target=work, args=(client, twin)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # The server's log says why, should anything have gone wrong.
    assert [status for status, _code in answers if status >= 500] == [], log.read_text(errors="replace")[-5000:]
    assert problems == [], log.read_text(errors="replace")[-5000:]
    assert not any(thread.is_alive() for thread in threads)
    twins = {client.number for client in clients if client.number % TWIN_EVERY == 0}
    expected_answers: Counter[tuple[int, str | None]] = Counter()
    for client in clients:
        for nth in range(K):
            for step in script(client.number, nth):
                expected_answers[(step.status, step.code)] += 2 if client.number in twins else 1
    assert answers == expected_answers

    reviews = (
        Review.objects.filter(round=round)
        .select_related("juror", "entry")
        .prefetch_related("scores__criterion", "history")
    )
    by_user = {client.user_id: client for client in clients}
    touched = Counter((review.juror.user_id, review.entry.code) for review in reviews)
    assert touched == Counter((client.user_id, code) for client in clients for code in client.codes)
    assert set(touched.values()) == {1}
    for review in reviews:
        client = by_user[review.juror.user_id]
        steps = script(client.number, client.codes.index(review.entry.code))
        last = steps[-1].shows
        assert review.status == ReviewStatus.SUBMITTED
        assert {score.criterion.slug: score.value for score in review.scores.all()} == last.scores
        assert review.comment == last.comment
        history = sorted(review.history.all(), key=lambda change: (change.changed_at, change.pk))
        assert Counter(change.kind for change in history) == Counter(step.change for step in steps if step.change)
        assert history[-1].new == {
            "scores": {str(score.criterion_id): score.value for score in review.scores.all()},
            "comments": {},
            "comment": last.comment,
            "feedback": "",
        }
    revisions = sum(
        1
        for client in clients
        for nth in range(K)
        for step in script(client.number, nth)
        if step.change == ReviewChangeKind.REVISED
    )
    assert Counter(ReviewChange.objects.filter(review__round=round).values_list("kind", flat=True)) == {
        ReviewChangeKind.SUBMITTED: CLIENTS * K,
        ReviewChangeKind.REVISED: revisions,
    }
