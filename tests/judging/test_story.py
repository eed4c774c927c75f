"""What an entry's authors see of its judging: nothing before publication, then each round as it shares it."""

from __future__ import annotations

import pytest
from django.utils import translation

from judging.enums import ParticipantView, RoundStatus
from judging.models import Results, Review, Round
from judging.selectors.story import (
    AwardShown,
    CriterionComment,
    CriterionMean,
    JurorNote,
    entries_story,
    entry_story,
    juror_letter,
)
from tests.judging import round_of
from tests.judging.stories import judged_contest


def outcomes(entry) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return [(item.round_number, item.outcome) for item in entry_story(entry)]


def test_entry_story_is_empty_before_the_results_are_published(contest):
    judged = judged_contest(contest)

    assert [entry_story(entry) for entry in (judged.winner, judged.finalist, judged.cut)] == [[], [], []]
    assert entries_story([judged.winner, judged.cut]) == {judged.winner.pk: [], judged.cut.pk: []}


def test_entry_story_shows_the_screening_and_the_final_after_publication(contest):
    judged = judged_contest(contest)
    judged.publish()

    assert outcomes(judged.winner) == [
        (1, "Shortlisted in round “Round 1”: it went on to the next round."),
        (2, "1st place in the nomination “Design”"),
    ]
    assert outcomes(judged.finalist) == [
        (1, "Shortlisted in round “Round 1”: it went on to the next round."),
        (2, "Reached the final round “Round 2”; no award this time."),
    ]
    assert outcomes(judged.cut) == [(1, "Not shortlisted in round “Round 1”.")]
    (screening, final) = entry_story(judged.winner)
    assert (screening.view, screening.final, screening.total, screening.criteria, screening.notes) == (
        ParticipantView.OUTCOME,
        False,
        None,
        [],
        [],
    )
    assert final.awards == [AwardShown(place=1, nomination="Design", name="")]


def test_entry_story_with_feedback_gives_totals_means_and_anonymised_words(contest):
    judged = judged_contest(contest)
    judged.publish()

    with translation.override("en"):
        final = entry_story(judged.winner)[1]

    assert (final.view, final.total) == (ParticipantView.FEEDBACK, 92.5)
    assert final.criteria == [
        CriterionMean(name="Content", mean=4.5, max_score=5),
        CriterionMean(name="Design work", mean=9.5, max_score=10),
    ]
    # Only the final shares words: Bravo's review there came first, Charlie's second.
    assert final.notes == [
        JurorNote(juror="Juror A", feedback="Lovely pacing.", comments=[CriterionComment("Content", "Rich content")]),
        JurorNote(juror="Juror B", feedback="", comments=[CriterionComment("Design work", "Clean slides")]),
    ]


def test_entry_story_letters_stay_with_the_juror_across_rounds(contest):
    judged = judged_contest(contest)
    Round.objects.filter(pk=judged.screening.pk).update(participant_view=ParticipantView.FEEDBACK)
    judged.publish()

    with translation.override("en"):
        screening, final = entry_story(judged.winner)

    assert [note.juror for note in screening.notes] == ["Juror A"]  # Alpha, the only one who wrote
    assert screening.notes[0].feedback == "Screening: a clear plan."
    assert [note.juror for note in final.notes] == ["Juror B", "Juror C"]


def test_entry_story_never_counts_a_review_set_aside(contest):
    judged = judged_contest(contest)
    judged.publish()

    final = entry_story(judged.winner)[1]
    texts = repr(entry_story(judged.winner))

    assert final.total == 92.5  # with the set-aside 0/0 it would be 61.67
    assert "SET ASIDE" not in texts
    assert Review.objects.get(pk=judged.set_aside.pk).feedback == "SET ASIDE WORDS"


@pytest.mark.parametrize("blind", [True, False])
def test_entry_story_never_names_a_juror_or_their_university(contest, blind):
    judged = judged_contest(contest, blind=blind)
    Round.objects.filter(pk=judged.screening.pk).update(participant_view=ParticipantView.FEEDBACK)
    judged.publish()

    told = repr([entry_story(entry) for entry in (judged.winner, judged.finalist, judged.cut)])

    for juror in judged.jurors:
        assert juror.user.profile.full_name not in told
        assert juror.user.email not in told
        assert f"juror={juror.pk}" not in told
    assert "Secret Juror University" not in told
    assert "Juror Person" not in told


def test_entry_story_with_scores_shows_no_words(contest):
    judged = judged_contest(contest, view=ParticipantView.SCORES)
    judged.publish()

    final = entry_story(judged.winner)[1]

    assert (final.total, len(final.criteria), final.notes) == (92.5, 2, [])


def test_entry_story_with_outcome_shows_no_scores(contest):
    judged = judged_contest(contest, view=ParticipantView.OUTCOME)
    judged.publish()

    final = entry_story(judged.winner)[1]

    assert (final.outcome, final.total, final.criteria, final.notes) == (
        "1st place in the nomination “Design”",
        None,
        [],
        [],
    )


def test_entry_story_leaves_out_a_round_that_shares_nothing(contest):
    judged = judged_contest(contest, view=ParticipantView.NOTHING)
    judged.publish()

    assert [item.round_number for item in entry_story(judged.winner)] == [1]
    Round.objects.filter(pk=judged.screening.pk).update(participant_view=ParticipantView.NOTHING)
    assert entry_story(judged.winner) == []


def test_entry_story_hides_a_round_whose_results_are_not_published_yet(contest):
    judged = judged_contest(contest)
    judged.publish()
    third = round_of(judged.contest, [judged.finalist], judged.jurors[1:], status=RoundStatus.CLOSED, number=3)
    Results.objects.create(round=third, content_hash="1" * 64, finalised_at=judged.results.finalised_at)

    assert [item.round_number for item in entry_story(judged.finalist)] == [1, 2]


def test_entries_story_of_a_list_takes_the_same_queries_for_one_entry_or_many(contest, django_assert_num_queries):
    judged = judged_contest(contest)
    judged.publish()

    with django_assert_num_queries(3):
        one = entries_story([judged.winner])
    with django_assert_num_queries(3):
        many = entries_story([judged.winner, judged.finalist, judged.cut])

    assert len(one[judged.winner.pk]) == 2
    assert [len(many[entry.pk]) for entry in (judged.winner, judged.finalist, judged.cut)] == [2, 2, 1]


def test_juror_letter_runs_past_z():
    assert [juror_letter(index) for index in (0, 1, 25, 26, 27, 51, 52)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_entry_story_leaves_out_a_closed_round_whose_results_are_not_final_yet(contest):
    judged = judged_contest(contest)
    judged.publish()
    # Another final, closed but not finalised: no results and no round after it.
    round_of(judged.contest, [judged.cut], judged.jurors[1:], status=RoundStatus.CLOSED, number=3)

    assert [item.round_number for item in entry_story(judged.cut)] == [1]
