"""Finalising a round's results and changing its awards, against a round worked out by hand.

The rubric is criterion 1 (0..4, weight 1) and criterion 2 (0..2, weight 3), so
``T = 100 · (s1/4 + 3·s2/2) / 4 = 6.25·s1 + 37.5·s2`` and criterion 2 is the heaviest.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.models import Contest, Entry, Nomination
from judging.enums import RoundStatus
from judging.models import Assignment, Award, AwardChange, Criterion, Results, Round
from judging.ranking import round_ranking
from judging.selectors.results import round_histograms, round_results
from judging.services.results import (
    ResultsRefused,
    SpecialAwardData,
    award_add,
    award_change,
    results_finalise,
    round_ranking_configure,
)
from judging.services.reviews import review_submit
from judging.services.rounds import round_close
from tests.factories import ContestRoleFactory, NominationFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

EARLY = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
FINALISED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
JURY_CHOICE = SpecialAwardData(
    entry_code="QUIZ04", name_kk="Қазылар таңдауы", name_ru="Выбор жюри", name_en="Jury's choice"
)

#: (code, nomination, juror 1's scores, juror 2's scores); ``None``: no review.
SCORES: list[tuple[str, str, tuple[int, int] | None, tuple[int, int] | None]] = [
    ("QUIZ01", "quiz", (4, 2), (4, 2)),  # 100, 100 → 100
    ("QUIZ02", "quiz", (2, 2), (4, 1)),  # 87.5, 62.5 → 75
    ("QUIZ03", "quiz", (2, 2), (4, 1)),  # the same as QUIZ02: a shared second place
    ("QUIZ04", "quiz", (0, 1), (0, 1)),  # 37.5, 37.5 → 37.5, fourth: no award
    ("QUIZ05", "quiz", None, None),  # never reviewed: no place
    ("GAME01", "game", (4, 0), (0, 0)),  # 25, 0 → 12.5
    ("GAME02", "game", (0, 2), (2, 2)),  # 75, 87.5 → 81.25
    ("GAME03", "game", (4, 1), (2, 1)),  # 62.5, 50 → 56.25
]


def coded(contest: Contest, code: str, nomination: Nomination) -> Entry:
    entry = entry_from(contest, UniversityFactory(), title=f"Lesson {code}")
    Entry.objects.filter(pk=entry.pk).update(code=code, nomination=nomination, submitted_at=EARLY)
    entry.refresh_from_db()
    return entry


def judged_round(contest: Contest, *, close: bool = True) -> dict[str, Any]:
    """The round of :data:`SCORES`, reviewed through the jurors' own service, closed unless told otherwise."""
    first, second = criteria_for(contest, 4, 2)
    Criterion.objects.filter(pk=second.pk).update(weight=Decimal(3))
    nominations = {
        "quiz": NominationFactory(contest=contest, slug="quiz", name_en="Quiz", order=0),
        "game": NominationFactory(contest=contest, slug="game", name_en="Game", order=1),
    }
    entries = {code: coded(contest, code, nominations[nomination]) for code, nomination, _one, _two in SCORES}
    jurors = [juror_in(contest, name="Dana"), juror_in(contest, name="Arman")]
    round = round_of(contest, list(entries.values()), jurors, k=None)
    for code, _nomination, *by_juror in SCORES:
        for juror, scores in zip(jurors, by_juror, strict=True):
            if scores is None:
                continue
            Assignment.objects.create(round=round, juror=juror, entry=entries[code])
            review_submit(
                actor=juror.user,
                round=round,
                entry=entries[code],
                scores={first.pk: scores[0], second.pk: scores[1]},
            )
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    if close:
        round_close(actor=organiser, round=round)
    round.refresh_from_db()
    return {"round": round, "entries": entries, "jurors": jurors, "organiser": organiser, "nominations": nominations}


@pytest.fixture
def judged(contest: Contest) -> dict[str, Any]:
    return judged_round(contest)


def awards_of(round: Round) -> list[tuple[str, str | None, int | None, str, str, int]]:
    return [
        (
            award.key,
            award.nomination.slug if award.nomination else None,
            award.place,
            award.entry.code,
            award.name_en or "",
            award.order,
        )
        for award in Award.objects.filter(results__round=round).select_related("entry", "nomination").order_by("order")
    ]


# Finalising


def test_results_finalise_gives_places_one_to_three_shared_places_and_special_awards(judged):
    results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[JURY_CHOICE], now=FINALISED)

    assert awards_of(judged["round"]) == [
        ("nomination-quiz/place-1/1", "quiz", 1, "QUIZ01", "", 0),
        ("nomination-quiz/place-2/1", "quiz", 2, "QUIZ02", "", 1),
        ("nomination-quiz/place-2/2", "quiz", 2, "QUIZ03", "", 2),
        ("nomination-game/place-1/1", "game", 1, "GAME02", "", 3),
        ("nomination-game/place-2/1", "game", 2, "GAME03", "", 4),
        ("nomination-game/place-3/1", "game", 3, "GAME01", "", 5),
        ("special/jurys-choice", None, None, "QUIZ04", "Jury's choice", 6),
    ]
    special = Award.objects.get(key="special/jurys-choice")
    assert (special.name_kk, special.name_ru, special.name_en) == ("Қазылар таңдауы", "Выбор жюри", "Jury's choice")


def test_results_finalise_keeps_the_rankings_hash_who_and_when(judged):
    expected = round_ranking(judged["round"]).content_hash()

    results = results_finalise(actor=judged["organiser"], round=judged["round"], now=FINALISED)

    stored = Results.objects.get(round=judged["round"])
    assert (stored.pk, stored.content_hash, stored.finalised_by, stored.finalised_at, stored.published_at) == (
        results.pk,
        expected,
        judged["organiser"],
        FINALISED,
        None,
    )
    assert len(stored.content_hash) == 64


def test_results_finalise_two_special_awards_with_the_same_name_get_distinct_keys(judged):
    results_finalise(
        actor=judged["organiser"],
        round=judged["round"],
        special_awards=[
            SpecialAwardData(entry_code="QUIZ04", name_ru="Выбор жюри"),
            SpecialAwardData(entry_code="quiz05 ", name_en="Vybor zhyuri"),
        ],
    )

    assert [row[0] for row in awards_of(judged["round"]) if row[2] is None] == [
        "special/vybor-zhyuri",
        "special/vybor-zhyuri-2",
    ]


def test_results_finalise_of_a_round_not_closed_is_refused(contest):
    judged = judged_round(contest, close=False)

    with pytest.raises(ResultsRefused) as refused:
        results_finalise(actor=judged["organiser"], round=judged["round"])

    assert str(refused.value) == "Close round “Round 1” before finalising its results."
    assert Results.objects.count() == 0


def test_results_finalise_twice_is_refused_and_keeps_the_first(judged):
    first = results_finalise(actor=judged["organiser"], round=judged["round"], now=FINALISED)

    with pytest.raises(ResultsRefused) as refused:
        results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[JURY_CHOICE])

    assert str(refused.value) == "The results of round “Round 1” are already final; change an award instead."
    assert list(Results.objects.values_list("pk", "finalised_at")) == [(first.pk, FINALISED)]
    assert Award.objects.count() == 6


def test_results_finalise_with_an_entry_of_another_round_is_refused(judged, contest):
    outsider = entry_from(contest, None)

    with pytest.raises(BaigeError) as refused:
        results_finalise(
            actor=judged["organiser"],
            round=judged["round"],
            special_awards=[SpecialAwardData(entry_code=outsider.code, name_en="Audience award")],
        )

    assert str(refused.value) == f"Round “Round 1” has no entry with the code {outsider.code}."
    assert (Results.objects.count(), Award.objects.count()) == (0, 0)


def test_results_finalise_with_an_unnamed_special_award_is_refused(judged):
    with pytest.raises(BaigeError) as refused:
        results_finalise(
            actor=judged["organiser"], round=judged["round"], special_awards=[SpecialAwardData(entry_code="QUIZ04")]
        )

    assert str(refused.value) == "Give the special award a name in at least one language."
    assert (Results.objects.count(), Award.objects.count()) == (0, 0)


def test_results_finalise_without_reviews_is_refused(contest):
    criteria_for(contest, 5)
    round = round_of(contest, [entry_from(contest, None)], [juror_in(contest)], status=RoundStatus.CLOSED)
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user

    with pytest.raises(ResultsRefused) as refused:
        results_finalise(actor=organiser, round=round)

    assert str(refused.value) == "No entry of round “Round 1” has a submitted review: there is nothing to finalise."
    assert Results.objects.count() == 0


@pytest.mark.parametrize("who", ["juror", "participant", "other_organiser"])
def test_results_finalise_by_anyone_but_an_organiser_is_refused(judged, request, who):
    if who == "other_organiser":
        from tests.factories import ContestFactory

        actor = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    elif who == "juror":
        actor = judged["jurors"][0].user
    else:
        actor = request.getfixturevalue("participant")

    with pytest.raises(NotAllowed):
        results_finalise(actor=actor, round=judged["round"])

    assert Results.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_results_finalise_twice_at_once_makes_one_results(contest):
    judged = judged_round(contest)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finalise() -> None:
        try:
            barrier.wait()
            results_finalise(actor=judged["organiser"], round=Round.objects.get(pk=judged["round"].pk))
            outcomes.append("finalised")
        except ResultsRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=finalise) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["finalised", "refused"]
    assert Results.objects.filter(round=judged["round"]).count() == 1
    assert Award.objects.count() == 6


# Ranking method


def test_round_ranking_configure_saves_method_and_tie_breakers(judged):
    round_ranking_configure(
        actor=judged["organiser"], round=judged["round"], method="median", tie_breakers=["earlier_submission"]
    )

    assert Round.objects.values_list("ranking_method", "tie_breakers").get(pk=judged["round"].pk) == (
        "median",
        ["earlier_submission"],
    )


def test_round_ranking_configure_once_finalised_is_refused(judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])

    with pytest.raises(ResultsRefused) as refused:
        round_ranking_configure(actor=judged["organiser"], round=judged["round"], method="median", tie_breakers=[])

    assert str(refused.value) == "The results of round “Round 1” are already final; change an award instead."
    assert Round.objects.values_list("ranking_method", "tie_breakers").get(pk=judged["round"].pk) == (
        "mean",
        ["median", "heaviest_criterion", "earlier_submission"],
    )


@pytest.mark.parametrize(
    ("method", "tie_breakers", "message"),
    [
        ("best", [], "Unknown ranking method: best."),
        ("mean", ["coin"], "Unknown tie-breaker: coin."),
        ("mean", ["median", "median"], "Each tie-breaker may be given only once."),
    ],
)
def test_round_ranking_configure_with_unknown_options_is_refused(judged, method, tie_breakers, message):
    with pytest.raises(BaigeError) as refused:
        round_ranking_configure(
            actor=judged["organiser"], round=judged["round"], method=method, tie_breakers=tie_breakers
        )

    assert str(refused.value) == message


def test_round_ranking_configure_by_a_juror_is_refused(judged):
    with pytest.raises(NotAllowed):
        round_ranking_configure(actor=judged["jurors"][0].user, round=judged["round"], method="median", tie_breakers=[])

    assert Round.objects.get(pk=judged["round"].pk).ranking_method == "mean"


# Histogram


def test_round_histograms_count_review_totals_in_bins_of_ten(judged):
    histograms = round_histograms(judged["round"], round_ranking(judged["round"]))

    assert [
        (histogram.nomination.slug, histogram.reviews, [item.count for item in histogram.bins])
        for histogram in histograms
    ] == [
        # 100, 100, 87.5, 62.5, 87.5, 62.5, 37.5, 37.5 (100 falls in the last bin)
        ("quiz", 8, [0, 0, 0, 2, 0, 0, 2, 0, 2, 2]),
        # 25, 0, 75, 87.5, 62.5, 50
        ("game", 6, [1, 0, 1, 0, 0, 1, 1, 1, 1, 0]),
    ]
    assert [(item.low, item.high) for item in histograms[0].bins][::9] == [(0, 10), (90, 100)]


# Changing an award


@pytest.fixture
def final(judged):  # type: ignore[no-untyped-def]
    results_finalise(actor=judged["organiser"], round=judged["round"], special_awards=[JURY_CHOICE], now=FINALISED)
    return judged


def award(key: str) -> Award:
    return Award.objects.select_related("results", "entry").get(key=key)


def test_award_change_to_another_entry_and_place_keeps_the_history(final, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        award_change(
            actor=final["organiser"],
            award=award("nomination-quiz/place-2/2"),
            entry=final["entries"]["QUIZ04"],
            place=3,
            reason="QUIZ03 was withdrawn by its author.",
        )

    changed = award("nomination-quiz/place-2/2")
    assert (changed.entry.code, changed.place) == ("QUIZ04", 3)
    assert list(AwardChange.objects.values_list("award__key", "changed_by", "reason", "old", "new")) == [
        (
            "nomination-quiz/place-2/2",
            final["organiser"].pk,
            "QUIZ03 was withdrawn by its author.",
            {"entry": "QUIZ03", "place": 2, "name": "", "name_kk": "", "name_ru": "", "name_en": ""},
            {"entry": "QUIZ04", "place": 3, "name": "", "name_kk": "", "name_ru": "", "name_en": ""},
        )
    ]
    # Not published yet: nothing to bring up to date on the blog.
    assert callbacks == []


def test_award_change_twice_keeps_both_changes_in_order(final):
    special = award("special/jurys-choice")
    award_change(actor=final["organiser"], award=special, entry=final["entries"]["QUIZ05"], reason="First")
    award_change(
        actor=final["organiser"],
        award=special,
        name={"kk": "Көрермен таңдауы", "ru": "Приз зрителей", "en": "Audience award"},
        reason="Second",
    )

    assert list(AwardChange.objects.order_by("id").values_list("reason", "old", "new")) == [
        (
            "First",
            {
                "entry": "QUIZ04",
                "place": None,
                "name": "Jury's choice",
                "name_kk": "Қазылар таңдауы",
                "name_ru": "Выбор жюри",
                "name_en": "Jury's choice",
            },
            {
                "entry": "QUIZ05",
                "place": None,
                "name": "Jury's choice",
                "name_kk": "Қазылар таңдауы",
                "name_ru": "Выбор жюри",
                "name_en": "Jury's choice",
            },
        ),
        (
            "Second",
            {
                "entry": "QUIZ05",
                "place": None,
                "name": "Jury's choice",
                "name_kk": "Қазылар таңдауы",
                "name_ru": "Выбор жюри",
                "name_en": "Jury's choice",
            },
            {
                "entry": "QUIZ05",
                "place": None,
                "name": "Audience award",
                "name_kk": "Көрермен таңдауы",
                "name_ru": "Приз зрителей",
                "name_en": "Audience award",
            },
        ),
    ]
    # The key names the award's slot for good: the blog post is found by it.
    assert award("special/jurys-choice").name_en == "Audience award"


def test_award_change_of_published_results_queues_their_publication(final, django_capture_on_commit_callbacks):
    Results.objects.filter(round=final["round"]).update(published_at=FINALISED)

    with django_capture_on_commit_callbacks() as callbacks:
        award_change(actor=final["organiser"], award=award("nomination-game/place-3/1"), place=2, reason="Recount")

    assert len(callbacks) == 1
    assert callbacks[0].__qualname__ == "_queue_publication.<locals>.publish"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"place": 2, "reason": "  "}, "Say why the award changes: the reason is kept with the change."),
        ({"reason": "Nothing"}, "Nothing changes: the award already is like that."),
        ({"place": 4, "reason": "Too far"}, "A place is 1, 2 or 3."),
        ({"entry": "GAME01", "reason": "Wrong nomination"}, "Entry GAME01 is not in the nomination “Quiz”."),
    ],
)
def test_award_change_refusals_change_nothing(final, change, message):
    if "entry" in change:
        change = {**change, "entry": final["entries"][change["entry"]]}
    before = awards_of(final["round"])

    with pytest.raises(BaigeError) as refused:
        award_change(actor=final["organiser"], award=award("nomination-quiz/place-1/1"), **change)

    assert str(refused.value) == message
    assert awards_of(final["round"]) == before
    assert AwardChange.objects.count() == 0


def test_award_change_to_an_entry_outside_the_round_is_refused(final, contest):
    outsider = entry_from(contest, None)

    with pytest.raises(BaigeError) as refused:
        award_change(actor=final["organiser"], award=award("special/jurys-choice"), entry=outsider, reason="Why not")

    assert str(refused.value) == f"Round “Round 1” has no entry with the code {outsider.code}."
    assert AwardChange.objects.count() == 0


def test_award_change_by_a_juror_is_refused(final):
    with pytest.raises(NotAllowed):
        award_change(actor=final["jurors"][0].user, award=award("nomination-quiz/place-1/1"), place=2, reason="Mine")

    assert award("nomination-quiz/place-1/1").place == 1


def test_award_add_after_finalising_is_kept_in_the_history(final, django_capture_on_commit_callbacks):
    Results.objects.filter(round=final["round"]).update(published_at=FINALISED)

    with django_capture_on_commit_callbacks() as callbacks:
        added = award_add(
            actor=final["organiser"],
            results=Results.objects.get(round=final["round"]),
            special=SpecialAwardData(entry_code="GAME01", name_en="Jury's choice"),
            reason="A second jury's choice",
        )

    assert (added.key, added.place, added.entry.code, added.order) == ("special/jurys-choice-2", None, "GAME01", 7)
    assert list(added.history.values_list("reason", "old", "new")) == [
        (
            "A second jury's choice",
            {},
            {
                "entry": "GAME01",
                "place": None,
                "name": "Jury's choice",
                "name_kk": "",
                "name_ru": "",
                "name_en": "Jury's choice",
            },
        )
    ]
    assert len(callbacks) == 1


def test_round_results_reads_awards_and_history_in_three_queries(final, django_assert_num_queries):
    award_change(actor=final["organiser"], award=award("nomination-game/place-3/1"), place=2, reason="Recount")

    with django_assert_num_queries(3):
        results = round_results(final["round"])
        assert results is not None
        shown = [(a.key, a.entry.code, [c.reason for c in a.history.all()]) for a in results.awards.all()]

    assert shown[5] == ("nomination-game/place-3/1", "GAME01", ["Recount"])
    assert len(shown) == 7
