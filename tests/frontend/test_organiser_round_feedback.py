"""The round form's feedback settings and what entrants will see of the round's results."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from config.exceptions import BaigeError
from contest.enums import Role
from judging.enums import ParticipantView
from judging.models import Round
from judging.services.rounds import round_create, round_update
from tests.factories import ContestFactory, ContestRoleFactory
from tests.frontend.test_organiser_rounds import organiser_client, round_data, setting, unis, url
from tests.judging import round_of

__all__ = ["organiser_client", "setting", "unis"]


def feedback_settings(round_pk):  # type: ignore[no-untyped-def]
    return tuple(
        Round.objects.filter(pk=round_pk).values_list("feedback_required", "feedback_min_length", "participant_view")[0]
    )


def test_round_form_explains_each_choice_of_what_entrants_see(organiser_client, contest, setting):
    body = organiser_client.get(url("organiser_round_edit", contest, number=setting["round"].number)).content.decode()

    assert "Feedback for the entrant is required" in body
    assert "Shortest feedback, in characters" in body
    assert "What entrants see of this round&#x27;s results" in body
    for value in ParticipantView.values:
        assert f'value="{value}"' in body
    assert "Entrants see nothing of this round on their pages." in body
    assert "signed “Juror A”, “Juror B”… never with a name. The notes for the organisers are never shown." in body
    assert re.findall(r'<input type="radio" name="participant_view" value="(\w+)"[^>]*checked', body) == ["outcome"]


def test_round_edit_sets_feedback_and_what_entrants_see(organiser_client, contest, setting):
    round = setting["round"]

    response = organiser_client.post(
        url("organiser_round_edit", contest, number=round.number),
        round_data(setting["jurors"], feedback_required="on", feedback_min_length="80", participant_view="feedback"),
    )

    assert response.status_code == 302
    assert feedback_settings(round.pk) == (True, 80, "feedback")
    page = organiser_client.get(url("organiser_round_edit", contest, number=round.number)).content.decode()
    assert re.search(r'<input type="checkbox" name="feedback_required"[^>]*checked', page)
    assert 'value="80"' in page


def test_round_edit_without_participant_view_keeps_it(organiser_client, contest, setting):
    round = setting["round"]
    Round.objects.filter(pk=round.pk).update(participant_view=ParticipantView.SCORES)

    response = organiser_client.post(
        url("organiser_round_edit", contest, number=round.number), round_data(setting["jurors"])
    )

    assert response.status_code == 302
    assert feedback_settings(round.pk) == (False, 0, "scores")


def test_round_create_with_feedback_settings(organiser_client, contest, setting):
    response = organiser_client.post(
        url("organiser_round_new", contest),
        round_data(setting["jurors"], feedback_required="on", feedback_min_length="", participant_view="nothing"),
    )

    assert response.status_code == 302
    created = Round.objects.get(contest=contest, number=2)
    assert feedback_settings(created.pk) == (True, 0, "nothing")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"feedback_min_length": "50"},
            "feedback_min_length",
            "Tick “Feedback for the entrant is required” to ask for a shortest length.",
        ),
        (
            {"feedback_required": "on", "feedback_min_length": "2001"},
            "feedback_min_length",
            "Ensure this value is less than or equal to 2000.",
        ),
        ({"participant_view": "everything"}, "participant_view", "Select a valid choice."),
    ],
)
def test_round_edit_wrong_feedback_settings_refused(organiser_client, contest, setting, changes, field, message):
    round = setting["round"]

    response = organiser_client.post(
        url("organiser_round_edit", contest, number=round.number), round_data(setting["jurors"], **changes)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert feedback_settings(round.pk) == (False, 0, "outcome")


def test_round_form_in_kazakh_explains_the_choices(organiser_client, contest, setting):
    with translation.override("kk"):
        expected = translation.gettext("Entrants see nothing of this round on their pages.")

    body = organiser_client.get(
        url("organiser_round_edit", contest, language="kk", number=setting["round"].number)
    ).content.decode()

    assert expected in body
    assert expected != "Entrants see nothing of this round on their pages."


def test_round_services_refuse_a_shortest_length_without_required_feedback(contest, organiser):  # type: ignore[no-untyped-def]
    with pytest.raises(BaigeError) as refused:
        round_create(actor=organiser, contest=contest, name_en="Final", feedback_min_length=10)

    assert str(refused.value) == "A shortest length of the feedback needs the feedback to be required."
    assert not Round.objects.filter(contest=contest).exists()


def test_round_services_refuse_an_unknown_participant_view(contest, organiser):  # type: ignore[no-untyped-def]
    round = round_of(contest, [], [], status="draft")
    with pytest.raises(BaigeError) as refused:
        round_update(actor=organiser, round=round, participant_view="all")

    assert (
        str(refused.value)
        == "Unknown choice of what entrants see: all. Choose from: nothing, outcome, scores, feedback."
    )


@pytest.mark.parametrize("who", ["anonymous", "participant", "juror", "organiser_of_another_contest"])
def test_round_feedback_settings_refused_to_others(client, contest, setting, who, participant):  # type: ignore[no-untyped-def]
    round = setting["round"]
    users = {
        "anonymous": None,
        "participant": participant,
        "juror": setting["jurors"][0].user,
        "organiser_of_another_contest": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }
    if users[who] is not None:
        client.force_login(users[who])

    response = client.post(
        url("organiser_round_edit", contest, number=round.number),
        round_data(setting["jurors"], feedback_required="on", feedback_min_length="80", participant_view="feedback"),
    )

    assert response.status_code == (302 if who == "anonymous" else 403)
    assert feedback_settings(round.pk) == (False, 0, "outcome")
