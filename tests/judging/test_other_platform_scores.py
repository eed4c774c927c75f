"""Scores and winners per name typed under "Other", beside their platform's, in the tables and the files."""

from __future__ import annotations

import json

from contest.models import Entry
from judging.models import Round
from judging.statistics import OtherScore, OtherWinners, platform_scores, platform_winners
from tests.exchange.test_export_statistics import awarded, counted, final_round, scored, text_of  # noqa: F401


def test_scores_and_winners_per_other_name(counted, awarded):  # noqa: F811
    Entry.objects.filter(contest=counted, code="A3GAME").update(other_platform=" kahoot ")
    final_round(counted, awarded, [("A1QUIZ", (5, 10)), ("A3GAME", (2, 2))])
    second = Round.objects.get(contest=counted, number=2)

    other = next(score for score in platform_scores(round=second) if score.platform.is_other)
    winners = next(each for each in platform_winners(contest=counted) if each.platform.is_other)

    # The one entry under "Other", typed " kahoot ": its figures are the Other row's, its name trimmed.
    assert other.others == (
        OtherScore(name="kahoot", entries=1, mean=other.mean, lowest=other.lowest, highest=other.highest),
    )
    assert other.entries == 1 and other.mean is not None
    assert winners.others == (OtherWinners(name="kahoot", first=1, second=0, third=0, special=0, total=1),)
    document = json.loads(text_of(counted, "platform-stats", "json"))
    assert document["winners"][3]["names"] == [
        {"name": "kahoot", "first": 1, "second": 0, "third": 0, "special": 0, "total": 1}
    ]
    assert [name["name"] for name in document["scores"][1]["platforms"][3]["names"]] == ["kahoot"]


def test_other_names_without_awards_are_not_listed_among_winners(counted, awarded):  # noqa: F811
    winners = next(each for each in platform_winners(contest=counted) if each.platform.is_other)

    assert winners.others == ()
