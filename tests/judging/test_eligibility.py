"""What a disqualified entry does to judging: it leaves the rounds not closed, the counts, rankings and results."""

from __future__ import annotations

from typing import Any

import pytest

from certificates.holders import certificates_due
from config.exceptions import BaigeError
from contest.enums import Role
from contest.models import Contest
from contest.services import entry_disqualify, entry_reinstate
from judging.models import Assignment, Award, Results, Review, RoundEntry
from judging.progress import round_progress
from judging.ranking import round_ranking
from judging.selectors.eligibility import RoundEffect, disqualification_effects
from judging.selectors.rounds import entries_without_round
from judging.selectors.worklist import juror_worklist
from judging.services.result_notices import entries_judged
from judging.services.results import SpecialAwardData, award_change, results_finalise
from judging.services.rounds import round_create, round_shortlist
from judging.statistics import platform_scores
from tests.certificates import published_contest
from tests.factories import ContestRoleFactory
from tests.judging.test_results import judged_round

REASON = "Copied from another contest's winner."


def codes_ranked(round: Any) -> list[str]:
    return [row.code for row in round_ranking(round).rows()]


@pytest.fixture
def opened(contest: Contest) -> dict[str, Any]:
    return judged_round(contest, close=False)


def test_disqualified_entry_leaves_an_open_round_its_reviews_kept_but_not_counted(opened):
    round, entry, organiser = opened["round"], opened["entries"]["QUIZ01"], opened["organiser"]
    dana = opened["jurors"][0]
    assert disqualification_effects(entry) == [RoundEffect(round=round, assignments=2, reviews=2)]
    before = round_progress(round)
    assert [(j.assigned, j.submitted) for j in before.jurors] == [(7, 7), (7, 7)]
    assert "QUIZ01" in codes_ranked(round)

    entry_disqualify(actor=organiser, entry=entry, reason=REASON)

    assert not RoundEntry.objects.filter(round=round, entry=entry).exists()
    assert not Assignment.objects.filter(round=round, entry=entry).exists()
    assert Review.objects.filter(round=round, entry=entry).count() == 2
    assert disqualification_effects(entry) == []
    after = round_progress(round)
    assert [(j.assigned, j.submitted) for j in after.jurors] == [(6, 6), (6, 6)]
    assert "QUIZ01" not in [e.entry.code for e in after.entries]
    assert codes_ranked(round) == ["QUIZ02", "QUIZ03", "QUIZ04", "QUIZ05", "GAME02", "GAME03", "GAME01"]
    assert round_ranking(round).row(opened["entries"]["QUIZ02"].pk).place == 1
    worklist = juror_worklist(dana.user, round)
    assert "QUIZ01" not in [a.entry.code for a in worklist.assignments]
    assert (worklist.scored, worklist.total) == (6, 6)
    assert sum(score.entries for score in platform_scores(round=round)) == 6
    assert entries_without_round(round.contest) == []


def test_reinstated_entry_comes_back_with_its_reviewers_and_counts_again(opened):
    round, entry, organiser = opened["round"], opened["entries"]["QUIZ01"], opened["organiser"]
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    entry_reinstate(actor=organiser, entry=entry)
    assert RoundEntry.objects.filter(round=round, entry=entry).exists()
    assert sorted(Assignment.objects.filter(round=round, entry=entry).values_list("juror_id", flat=True)) == sorted(
        juror.pk for juror in opened["jurors"]
    )
    assert [(j.assigned, j.submitted) for j in round_progress(round).jurors] == [(7, 7), (7, 7)]
    assert round_ranking(round).row(entry.pk).place == 1


def test_closed_round_keeps_a_disqualified_entry_in_its_history_but_gives_it_no_place(contest):
    judged = judged_round(contest)
    round, entry, organiser = judged["round"], judged["entries"]["QUIZ01"], judged["organiser"]
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    assert RoundEntry.objects.filter(round=round, entry=entry).exists()
    assert Assignment.objects.filter(round=round, entry=entry).count() == 2
    assert "QUIZ01" not in codes_ranked(round)
    with pytest.raises(BaigeError, match="A disqualified entry cannot be given an award: QUIZ01"):
        results_finalise(
            actor=organiser, round=round, special_awards=[SpecialAwardData(entry_code="QUIZ01", name_en="Pick")]
        )
    results = results_finalise(actor=organiser, round=round)
    firsts = Award.objects.filter(results=results, nomination__slug="quiz", place=1)
    assert [award.entry.code for award in firsts] == ["QUIZ02", "QUIZ03"]


def test_an_entry_holding_an_award_is_refused_until_the_award_goes_to_another(contest):
    judged = judged_round(contest)
    round, organiser, entries = judged["round"], judged["organiser"], judged["entries"]
    results = results_finalise(actor=organiser, round=round)
    award = Award.objects.get(results=results, entry=entries["QUIZ01"])
    with pytest.raises(BaigeError) as refused:
        entry_disqualify(actor=organiser, entry=entries["QUIZ01"], reason=REASON)
    assert refused.value.code == "holds_award"
    assert "Round 1" in str(refused.value)
    entries["QUIZ01"].refresh_from_db()
    assert entries["QUIZ01"].disqualified_at is None
    award_change(actor=organiser, award=award, entry=entries["QUIZ04"], reason="Moved before a disqualification.")
    entry_disqualify(actor=organiser, entry=entries["QUIZ01"], reason=REASON)
    with pytest.raises(BaigeError, match="A disqualified entry cannot be given an award: QUIZ01"):
        award_change(actor=organiser, award=award, entry=entries["QUIZ01"], reason="Back again?")


def test_finalised_results_and_their_ranking_stand_after_a_disqualification(contest):
    judged = judged_round(contest)
    round, organiser, entries = judged["round"], judged["organiser"], judged["entries"]
    results = results_finalise(actor=organiser, round=round)
    before = codes_ranked(round)
    entry_disqualify(actor=organiser, entry=entries["QUIZ04"], reason=REASON)
    round.refresh_from_db()
    assert codes_ranked(round) == before
    assert Results.objects.get(pk=results.pk).content_hash == round_ranking(round).content_hash()


def test_finalising_after_a_disqualification_keeps_the_entry_out_of_the_ranking(contest):
    judged = judged_round(contest)
    round, organiser, entries = judged["round"], judged["organiser"], judged["entries"]
    entry_disqualify(actor=organiser, entry=entries["QUIZ01"], reason=REASON)
    results = results_finalise(actor=organiser, round=round)
    round.refresh_from_db()
    assert "QUIZ01" not in codes_ranked(round)
    assert results.content_hash == round_ranking(round).content_hash()


def test_a_disqualified_entry_cannot_be_put_in_a_new_round(contest):
    judged = judged_round(contest)
    organiser, entry = judged["organiser"], judged["entries"]["GAME01"]
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    with pytest.raises(BaigeError, match="Disqualified entries cannot be judged; reinstate them first: GAME01"):
        round_create(actor=organiser, contest=contest, name_en="Again", entries=[entry])
    later = round_create(actor=organiser, contest=contest, name_en="Everyone")
    assert entry.pk not in set(RoundEntry.objects.filter(round=later).values_list("entry_id", flat=True))


def test_shortlisted_entry_leaves_the_next_round_and_comes_back_when_reinstated(contest):
    judged = judged_round(contest)
    screening, organiser, entries = judged["round"], judged["organiser"], judged["entries"]
    round_shortlist(actor=organiser, round=screening, entries=[entries["QUIZ01"], entries["GAME02"]])
    final = round_create(actor=organiser, contest=contest, name_en="Final", source_round=screening)
    in_final = lambda: sorted(RoundEntry.objects.filter(round=final).values_list("entry__code", flat=True))  # noqa: E731
    assert in_final() == ["GAME02", "QUIZ01"]

    entry_disqualify(actor=organiser, entry=entries["QUIZ01"], reason=REASON)
    assert in_final() == ["GAME02"]
    assert RoundEntry.objects.get(round=screening, entry=entries["QUIZ01"]).shortlisted is True
    with pytest.raises(BaigeError, match="Disqualified entries cannot be shortlisted: QUIZ01"):
        round_shortlist(actor=organiser, round=screening, entries=[entries["QUIZ01"]])

    entry_reinstate(actor=organiser, entry=entries["QUIZ01"])
    assert in_final() == ["GAME02", "QUIZ01"]


def test_a_disqualified_entry_gets_no_certificate_and_no_result_e_mail(contest):
    scenario = published_contest(contest)
    loser, screened = scenario.finalised.loser, scenario.screened
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    before = {(due.kind, due.entry_id) for due in certificates_due(contest)}
    assert ("finalist", loser.pk) in before
    assert ("participant", screened.pk) in before
    assert screened in entries_judged(contest)

    entry_disqualify(actor=organiser, entry=loser, reason=REASON)
    entry_disqualify(actor=organiser, entry=screened, reason=REASON)

    after = {(due.kind, due.entry_id) for due in certificates_due(contest)}
    assert after == {pair for pair in before if pair[1] not in (loser.pk, screened.pk)}
    assert loser not in entries_judged(contest)
    assert screened not in entries_judged(contest)
