"""What a round's entrants see of its results: chosen at finalisation, fixed from then on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from config.exceptions import BaigeError
from judging.enums import ParticipantView
from judging.models import Award, Results, Round
from judging.services.results import award_change, results_finalise
from judging.services.rounds import round_participant_view_set
from tests.judging import round_of
from tests.judging.test_results import judged_round


def test_results_finalise_keeps_the_rounds_setting_unless_told(contest):
    judged = judged_round(contest)
    Round.objects.filter(pk=judged["round"].pk).update(participant_view=ParticipantView.SCORES)
    judged["round"].refresh_from_db()

    results = results_finalise(actor=judged["organiser"], round=judged["round"])

    assert results.participant_view == ParticipantView.SCORES


def test_results_finalise_stores_the_choice_and_an_award_change_keeps_it(contest):
    judged = judged_round(contest)
    results = results_finalise(
        actor=judged["organiser"], round=judged["round"], participant_view=ParticipantView.FEEDBACK
    )
    award = Award.objects.filter(results=results, place=2).first()
    assert award is not None

    award_change(actor=judged["organiser"], award=award, place=3, reason="A counting mistake")

    assert Results.objects.get(pk=results.pk).participant_view == ParticipantView.FEEDBACK
    with pytest.raises(BaigeError):
        results_finalise(actor=judged["organiser"], round=judged["round"], participant_view=ParticipantView.NOTHING)
    assert Results.objects.get(pk=results.pk).participant_view == ParticipantView.FEEDBACK


def test_results_finalise_refuses_an_unknown_choice(contest):
    judged = judged_round(contest)

    with pytest.raises(BaigeError) as refused:
        results_finalise(actor=judged["organiser"], round=judged["round"], participant_view="everything")

    assert refused.value.code == "unknown_view"
    assert Results.objects.count() == 0


def test_results_finalise_command_takes_share(contest):
    judged = judged_round(contest)
    out = StringIO()

    call_command("results_finalise", "--contest", contest.slug, "--round", "1", "--share", "nothing", stdout=out)

    assert Results.objects.get(round=judged["round"]).participant_view == ParticipantView.NOTHING
    assert out.getvalue().splitlines()[-1] == "Entrants will see, once published: Nothing"


def test_round_participant_view_set_is_refused_once_the_contest_has_final_results(contest):
    judged = judged_round(contest)
    screening = round_of(contest, [], [], number=2)

    round_participant_view_set(actor=judged["organiser"], round=screening, view=ParticipantView.FEEDBACK)
    results_finalise(actor=judged["organiser"], round=judged["round"])

    with pytest.raises(BaigeError) as refused:
        round_participant_view_set(actor=judged["organiser"], round=screening, view=ParticipantView.NOTHING)
    assert refused.value.code == "participant_view_fixed"
    assert Round.objects.get(pk=screening.pk).participant_view == ParticipantView.FEEDBACK
