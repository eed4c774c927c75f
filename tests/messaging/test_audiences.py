"""Whom each group of a message names: exactly its people, each once, with their entries and language."""

from __future__ import annotations

import pytest

from judging.models import Round
from messaging.audiences import Audience, Names, audience_check, audience_people, audience_summary
from tests.factories import ContestFactory, NominationFactory
from tests.messaging import People, people_of


@pytest.fixture
def people(contest) -> People:  # type: ignore[no-untyped-def]
    return people_of(contest)


def addresses(people: People, **groups) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(person.address for person in audience_people(people.contest, Audience(**groups)))


def test_participants_with_drafts_are_the_authors_of_drafts(people):
    assert addresses(people, drafts=True) == ["dias@example.org"]


def test_participants_with_submitted_entries_leave_out_drafts_and_withdrawn_entries(people):
    assert addresses(people, submitted=True) == ["asel@example.org", "bolat@example.org"]


def test_shortlisted_and_not_shortlisted_in_a_round(people):
    assert addresses(people, shortlisted_round=people.screening.pk) == ["asel@example.org"]
    assert addresses(people, not_shortlisted_round=people.screening.pk) == ["asel@example.org", "bolat@example.org"]
    shortlisted = audience_people(people.contest, Audience(shortlisted_round=people.screening.pk))
    assert shortlisted[0].values()["entry_code"] == people.fractions.code


def test_finalists_and_award_winners(people):
    assert addresses(people, finalists=True) == ["asel@example.org"]
    assert addresses(people, winners=True) == ["asel@example.org"]


def test_universities_and_nominations_narrow_the_entries(people):
    assert addresses(people, submitted=True, universities=(people.zhetysu.pk,)) == ["bolat@example.org"]
    assert addresses(people, submitted=True, drafts=True, universities=(people.abai.pk,)) == [
        "asel@example.org",
        "dias@example.org",
    ]
    games = audience_people(people.contest, Audience(submitted=True, nominations=(people.games.pk,)))
    assert [(p.address, p.values()["entry_code"]) for p in games] == [
        ("asel@example.org", people.songs.code),
        ("bolat@example.org", people.maps.code),
    ]


def test_all_jurors_and_jurors_behind_in_a_round(people):
    jurors = sorted([people.behind.user.email, people.done.user.email])
    assert addresses(people, jurors=True) == jurors
    assert addresses(people, jurors_behind_round=people.judging.pk) == [people.behind.user.email]
    (behind,) = audience_people(people.contest, Audience(jurors_behind_round=people.judging.pk))
    assert behind.deadline == people.closes
    assert behind.values()["entry_code"] == ""


def test_coauthors_with_an_account_read_its_language_the_others_the_authors(people):
    found = audience_people(people.contest, Audience(submitted=True, authors=False, coauthors=True))
    assert [(p.address, p.name, p.language, p.user_id) for p in found] == [
        ("bolat@example.org", "Bolat Nurlanov", "en", people.bolat.pk),
        ("dana@example.org", "Dana Account", "kk", people.dana.pk),
        ("erlan@example.org", "Erlan Plain", "en", None),
    ]


def test_someone_in_several_groups_is_written_to_once_about_all_their_entries(people):
    found = audience_people(
        people.contest,
        Audience(submitted=True, winners=True, shortlisted_round=people.screening.pk, coauthors=True, jurors=True),
    )
    assert [p.address for p in found].count("asel@example.org") == 1
    assert [p.address for p in found].count("bolat@example.org") == 1
    asel = next(p for p in found if p.address == "asel@example.org")
    codes = sorted([people.fractions.code, people.songs.code])
    assert asel.values()["entry_code"] == ", ".join(codes)
    assert asel.values()["name"] == "Asel Seitkali"
    assert asel.language == "ru"
    assert asel.deadline == people.contest.submissions_close
    # Bolat is the author of maps and a co-author of fractions: both are his.
    bolat = next(p for p in found if p.address == "bolat@example.org")
    assert bolat.values()["entry_code"] == ", ".join(sorted([people.fractions.code, people.maps.code]))
    assert len(found) == 6


def test_the_audience_is_checked_against_the_contest(people):
    other_round = Round.objects.create(contest=ContestFactory(), number=1, name="Elsewhere")
    other_nomination = NominationFactory(contest=ContestFactory())
    assert audience_check(people.contest, Audience()) == ["Choose at least one group of people to write to."]
    assert audience_check(people.contest, Audience(shortlisted_round=other_round.pk)) == [
        "Choose a round of this contest."
    ]
    assert audience_check(people.contest, Audience(submitted=True, nominations=(other_nomination.pk,))) == [
        "Choose nominations of this contest."
    ]
    assert audience_check(people.contest, Audience(jurors=True, coauthors=True)) == [
        "Universities, nominations and co-authors narrow a group of entries: choose one too."
    ]
    assert audience_check(people.contest, Audience(submitted=True, authors=False)) == [
        "Choose whom of these entries to write to: their authors, their co-authors or both."
    ]
    assert audience_check(people.contest, Audience(submitted=True, universities=(people.abai.pk,))) == []


def test_the_stored_audience_reads_back_and_ignores_what_it_does_not_know(people):
    audience = Audience(submitted=True, universities=(people.abai.pk,), jurors_behind_round=people.judging.pk)
    assert Audience.from_json(audience.to_json()) == audience
    assert Audience.from_json({"submitted": "yes", "universities": ["1", True, 5], "shortlisted_round": "3"}) == (
        Audience(universities=(5,))
    )


def test_the_summary_names_the_groups(people):
    audience = Audience(
        submitted=True,
        shortlisted_round=people.screening.pk,
        nominations=(people.games.pk,),
        coauthors=True,
        jurors_behind_round=people.judging.pk,
    )
    assert audience_summary(audience, Names.of(people.contest)) == (
        "participants with submitted entries; shortlisted in Round 1 (nominations: Games; authors and co-authors); "
        "jurors with unfinished reviews in Round 3"
    )


def test_deactivated_accounts_are_left_out(people):
    for user in (people.asel, people.dana):
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert addresses(people, submitted=True, coauthors=True) == ["bolat@example.org", "erlan@example.org"]


def test_jurors_of_a_deleted_round_are_nobody(people):
    audience = Audience(jurors_behind_round=people.judging.pk)
    people.judging.delete()
    assert audience_people(people.contest, audience) == []
