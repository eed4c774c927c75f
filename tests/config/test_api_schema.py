"""The API holds to its OpenAPI schema: schemathesis sends generated requests and checks every answer.

Anonymous callers, a participant with an API token (who owns entries, one with a co-author and a file) and
a juror with one (assigned an entry of an open round)
call every operation of ``/api/schema/`` through Django's WSGI application on the test database. Any server
error, undocumented status, wrong content type or body that breaks its documented schema fails the test.
The number of examples per operation is bounded to keep the run short.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings, strategies
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_tokens.services import api_token_create
from contest.models import CoAuthor
from judging.models import Assignment
from media_pipeline.enums import AssetStatus
from tests.factories import ContestFactory, EntryFactory, MediaAssetFactory, NominationFactory, PlatformFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: Generated requests per operation and mode: enough to reach every documented answer, few enough for ~1 minute.
EXAMPLES = 12


@pytest.fixture
def api_world(db, participant) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A contest open for entries with the participant's draft and submitted entries, and a jury at work."""
    contest = ContestFactory(slug="baige-2026")
    nomination = NominationFactory(contest=contest)
    platforms = [PlatformFactory(contest=contest), PlatformFactory(contest=contest, is_other=True)]
    draft = EntryFactory(contest=contest, author=participant, nomination=nomination, platforms=platforms[:1])
    submitted = EntryFactory(
        contest=contest, author=participant, nomination=nomination, platforms=platforms[:1], live_url=""
    )
    CoAuthor.objects.create(entry=submitted, full_name="Bolat Nurlanov", email="", order=0)
    asset = MediaAssetFactory(entry=submitted, status=AssetStatus.READY)
    submitted.media = asset
    submitted.save(update_fields=["media"])
    criteria_for(contest, 4, 2)
    judged = entry_from(contest, None)
    juror = juror_in(contest, name="Dana")
    round = round_of(contest, [judged], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=judged)
    # Path parameters that name real rows, so that generated requests also reach the code behind the 404s.
    return {
        "slug": [contest.slug],
        "code": [draft.code, submitted.code, judged.code],
        "round_id": [round.pk],
        "juror": juror.user,
    }


@pytest.fixture
def api_schema(api_world):  # type: ignore[no-untyped-def]
    from config.wsgi import application

    # Like Django's test client: the WSGI handler must not close the test's connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def participant_token(participant) -> str:  # type: ignore[no-untyped-def]
    return api_token_create(actor=participant, name="schemathesis")[1]


bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def check_every_operation(api_schema, known: dict[str, list[Any]], headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Run each operation's generated cases; collect every failure rather than stop at the first.

    Half of the cases have their path parameters replaced by ones that name rows of ``known``.
    """
    # schemathesis's own pytest plugin (lazy fixtures) reaches into pytest internals that pytest 9 renamed, so
    # each operation's Hypothesis test is driven here, with the same cases and checks.
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @bounded
        @given(case=operation.as_strategy(), data=strategies.data())
        def run(case, data):  # type: ignore[no-untyped-def]
            if case.path_parameters and data.draw(strategies.booleans(), label="known rows"):
                for name in case.path_parameters:
                    if name in known:
                        case.path_parameters[name] = data.draw(strategies.sampled_from(known[name]), label=name)
            case.call_and_validate(checks=CHECKS, headers=headers)

        try:
            run()
        except Exception as failure:  # noqa: BLE001 - reported together below
            failures.append(f"{operation.label}: {failure}")
    assert operations >= 20
    assert failures == []


def test_api_holds_to_its_schema_anonymously(api_schema, api_world):  # type: ignore[no-untyped-def]
    check_every_operation(api_schema, api_world, {"Accept-Language": "en"})


def test_api_holds_to_its_schema_for_a_juror_with_a_token(api_schema, api_world):  # type: ignore[no-untyped-def]
    token = api_token_create(actor=api_world["juror"], name="schemathesis")[1]
    check_every_operation(api_schema, api_world, {"Accept-Language": "en", "Authorization": f"Bearer {token}"})


def test_api_holds_to_its_schema_for_a_participant_with_a_token(api_schema, api_world, participant_token):  # type: ignore[no-untyped-def]
    headers = {"Accept-Language": "en", "Authorization": f"Token {participant_token}"}
    check_every_operation(api_schema, api_world, headers)
