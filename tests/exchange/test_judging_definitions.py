# modeltranslation adds the name_kk/name_ru/name_en columns at run time.
# mypy: disable-error-code="attr-defined"
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from exchange.definitions import contest_definition_dump, contest_definition_load, definition_parse
from exchange.definitions.files import definition_read, definition_render
from exchange.definitions.schema import DefinitionInvalid
from judging.models import Criterion, Round, Rubric

FIXTURE = Path(__file__).resolve().parents[2] / "exchange" / "demo" / "demo_contest.yaml"
ALMATY = ZoneInfo("Asia/Almaty")

RUBRIC = [
    {
        "slug": "clarity",
        "name": {"kk": "Анықтық", "ru": "Ясность", "en": "Clarity"},
        "description": "Easy to follow.",
        "weight": 1.5,
        "max_score": 2,
        "levels": {0: "Unclear.", 1: {"en": "Partly clear.", "ru": "Отчасти ясно."}, 2: "Clear."},
    },
    {"slug": "design", "name": "Design", "weight": 2, "max_score": 4, "order": 5},
]
ROUNDS = [
    {
        "number": 1,
        "name": {"kk": "Іріктеу", "ru": "Отбор", "en": "Screening"},
        "opens": "2025-05-01T09:00",
        "closes": "2025-05-10T18:00",
        "blind": True,
        "reviews_per_entry": 2,
    },
    {
        "number": 2,
        "name": "Final",
        "blind": False,
        "reviews_per_entry": "all",
        "ranking_method": "normalised",
        "tie_breakers": ["earlier_submission", "median"],
    },
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _data(**sections: Any) -> dict[str, Any]:
    data = definition_read(FIXTURE.read_text(encoding="utf-8"), source=FIXTURE.name, fmt="yaml")
    data.update(sections)
    return data


def _errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionInvalid) as refused:
        contest_definition_load(definition=definition_parse(data))
    return refused.value.errors


def test_rubric_and_rounds_load_when_valid_creates_exact_rows(db):
    report = contest_definition_load(definition=definition_parse(_data(rubric=RUBRIC, rounds=ROUNDS)))

    assert report.changes[-4:] == [
        "created criterion clarity",
        "created criterion design",
        "created round 1",
        "created round 2",
    ]
    clarity, design = Criterion.objects.filter(rubric__contest=report.contest).order_by("order")
    assert (clarity.slug, clarity.name_kk, clarity.name_ru, clarity.name_en) == (
        "clarity",
        "Анықтық",
        "Ясность",
        "Clarity",
    )
    assert (clarity.weight, clarity.max_score, clarity.order, clarity.description_ru) == (
        Decimal("1.50"),
        2,
        1,
        "Easy to follow.",
    )
    assert [
        (level.score, level.descriptor_en, level.descriptor_ru, level.descriptor_kk) for level in clarity.levels.all()
    ] == [
        (0, "Unclear.", "Unclear.", "Unclear."),
        (1, "Partly clear.", "Отчасти ясно.", ""),
        (2, "Clear.", "Clear.", "Clear."),
    ]
    assert (design.weight, design.max_score, design.order, design.levels.count()) == (Decimal("2.00"), 4, 5, 0)
    first, final = Round.objects.filter(contest=report.contest).order_by("number")
    assert (first.name_ru, first.opens_at, first.closes_at, first.blind, first.reviews_per_entry) == (
        "Отбор",
        datetime(2025, 5, 1, 9, 0, tzinfo=ALMATY),
        datetime(2025, 5, 10, 18, 0, tzinfo=ALMATY),
        True,
        2,
    )
    assert (final.name_en, final.opens_at, final.blind, final.reviews_per_entry) == ("Final", None, False, None)
    assert (first.ranking_method, first.tie_breakers) == (
        "mean",
        ["median", "heaviest_criterion", "earlier_submission"],
    )
    assert (final.ranking_method, final.tie_breakers) == ("normalised", ["earlier_submission", "median"])


def test_rubric_and_rounds_dump_when_loaded_round_trips(db):
    contest = contest_definition_load(definition=definition_parse(_data(rubric=RUBRIC, rounds=ROUNDS))).contest

    dumped = contest_definition_dump(contest=contest)

    assert dumped["rubric"] == [
        {
            "slug": "clarity",
            "name": {"kk": "Анықтық", "ru": "Ясность", "en": "Clarity"},
            "description": "Easy to follow.",
            "weight": 1.5,
            "max_score": 2,
            "levels": {0: "Unclear.", 1: {"ru": "Отчасти ясно.", "en": "Partly clear."}, 2: "Clear."},
        },
        {"slug": "design", "name": "Design", "weight": 2, "max_score": 4, "order": 5},
    ]
    assert dumped["rounds"] == ROUNDS
    for fmt in ("yaml", "json"):
        again = definition_read(definition_render(dumped, fmt=fmt), source="dump", fmt=fmt)
        report = contest_definition_load(definition=definition_parse(again))
        assert report.changes == []


def test_rubric_load_when_frozen_refuses_changes_with_paths(db):
    contest = contest_definition_load(definition=definition_parse(_data(rubric=RUBRIC))).contest
    Rubric.objects.filter(contest=contest).update(frozen_at=timezone.now())

    assert contest_definition_load(definition=definition_parse(_data(rubric=RUBRIC))).changes == []
    changed = [dict(RUBRIC[0], weight=3, name={"kk": "Анықтық", "ru": "Ясность", "en": "Clear"}), RUBRIC[1]]
    message = "the rubric is frozen since the first score was saved; this cannot change any more"
    assert _errors(_data(rubric=changed)) == [f"rubric[0].name.en: {message}", f"rubric[0].weight: {message}"]
    added = [*RUBRIC, {"slug": "extra", "name": "Extra"}]
    assert _errors(_data(rubric=added)) == [f"rubric[2]: {message}"]
    assert Criterion.objects.get(slug="clarity").weight == Decimal("1.50")
    assert Criterion.objects.count() == 2


def test_rubric_and_rounds_parse_when_invalid_reports_paths(db):
    rubric = [
        {"slug": "a b", "name": {"kk": 5}, "weight": 0, "max_score": 101},
        {"slug": "ok", "name": "OK", "weight": "1.234", "max_score": 2, "levels": {3: "Too high", "x": "No"}},
        {"slug": "ok", "name": "Again", "colour": "red"},
    ]
    rounds = [
        {"number": 1, "name": "One", "opens": "tomorrow", "reviews_per_entry": "some", "ranking_method": "best"},
        {
            "number": 1,
            "name": "",
            "opens": "2025-05-10T09:00",
            "closes": "2025-05-01T09:00",
            "blind": "yes",
            "tie_breakers": ["median", "luck", "median"],
        },
    ]

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(_data(rubric=rubric, rounds=rounds))

    assert refused.value.errors == [
        "rubric[0].slug: may contain only Latin letters, digits, hyphens and underscores",
        "rubric[0].name.kk: must be a string",
        "rubric[0].name: must not be empty",
        "rubric[0].weight: must be greater than zero",
        "rubric[0].max_score: must be at most 100",
        "rubric[1].weight: may have at most two digits after the decimal point",
        "rubric[1].levels.3: must be a score from 0 to 2",
        "rubric[1].levels.x: must be a score (a whole number)",
        "rubric[2].colour: unknown field",
        'rubric[2].slug: "ok" is already used by rubric[1]',
        "rounds[0].opens: must be a date and time such as 2025-03-01T09:00",
        'rounds[0].reviews_per_entry: must be a whole number or "all"',
        "rounds[0].ranking_method: must be one of: mean, median, trimmed, normalised",
        "rounds[1].number: 1 is already used by rounds[0]",
        "rounds[1].name: must not be empty",
        "rounds[1].closes: must be after opens",
        "rounds[1].blind: must be true or false",
        "rounds[1].tie_breakers[1]: must be one of: median, mean, trimmed, normalised, heaviest_criterion, "
        "earlier_submission",
        "rounds[1].tie_breakers[2]: median is already listed",
    ]


def test_rounds_load_when_ranking_changes_updates_and_reports_it(db):
    contest = contest_definition_load(definition=definition_parse(_data(rounds=ROUNDS))).contest
    changed = [dict(ROUNDS[0], ranking_method="trimmed", tie_breakers=[]), ROUNDS[1]]

    report = contest_definition_load(definition=definition_parse(_data(rounds=changed)))

    assert report.changes == ["updated round 1: ranking_method, tie_breakers"]
    first = Round.objects.get(contest=contest, number=1)
    assert (first.ranking_method, first.tie_breakers) == ("trimmed", [])
    assert contest_definition_dump(contest=contest)["rounds"][0] == {
        **ROUNDS[0],
        "ranking_method": "trimmed",
        "tie_breakers": [],
    }


def test_rounds_load_when_time_skipped_by_clocks_refuses(db):
    data = _data(rounds=[{"number": 1, "name": "One", "opens": "2025-03-30T02:30"}])
    data["timeline"]["timezone"] = "Europe/Berlin"

    assert _errors(data) == ["rounds[0].opens: does not exist in Europe/Berlin (the clocks skip it)"]
    assert Round.objects.count() == 0


FEEDBACK_ROUND = {
    "number": 1,
    "name": "Screening",
    "blind": True,
    "reviews_per_entry": 2,
    "feedback_required": True,
    "feedback_min_length": 80,
    "participant_view": "feedback",
}


def test_rounds_feedback_settings_load_and_round_trip(db):
    contest = contest_definition_load(definition=definition_parse(_data(rounds=[FEEDBACK_ROUND]))).contest

    round = Round.objects.get(contest=contest, number=1)
    assert (round.feedback_required, round.feedback_min_length, round.participant_view) == (True, 80, "feedback")
    dumped = contest_definition_dump(contest=contest)
    assert dumped["rounds"] == [FEEDBACK_ROUND]
    again = definition_read(definition_render(dumped, fmt="yaml"), source="dump", fmt="yaml")
    assert contest_definition_load(definition=definition_parse(again)).changes == []


def test_rounds_feedback_settings_left_out_are_the_defaults_and_not_dumped(db):
    contest = contest_definition_load(definition=definition_parse(_data(rounds=[FEEDBACK_ROUND]))).contest
    plain = {key: value for key, value in FEEDBACK_ROUND.items() if not key.startswith(("feedback", "participant"))}

    report = contest_definition_load(definition=definition_parse(_data(rounds=[plain])))

    assert report.changes == ["updated round 1: feedback_required, feedback_min_length, participant_view"]
    round = Round.objects.get(contest=contest, number=1)
    assert (round.feedback_required, round.feedback_min_length, round.participant_view) == (False, 0, "outcome")
    assert contest_definition_dump(contest=contest)["rounds"] == [plain]


def test_rounds_feedback_settings_invalid_report_paths(db):
    rounds = [
        {"name": "One", "feedback_required": "yes", "feedback_min_length": 10, "participant_view": "all"},
        {"name": "Two", "feedback_required": True, "feedback_min_length": 2001},
        {"name": "Three", "feedback_required": True, "feedback_min_length": -1},
    ]

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(_data(rounds=rounds))

    assert refused.value.errors == [
        "rounds[0].feedback_required: must be true or false",
        "rounds[0].feedback_min_length: needs feedback_required: true",
        "rounds[0].participant_view: must be one of: nothing, outcome, scores, feedback",
        "rounds[1].feedback_min_length: must be at most 2000",
        "rounds[2].feedback_min_length: must be at least 0",
    ]
