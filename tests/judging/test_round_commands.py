"""``round_open`` and ``round_close`` from the command line, and ``assign_jury``'s refusals."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contest.enums import Role
from exchange.definitions import contest_definition_load, definition_parse
from exchange.definitions.files import definition_read
from judging.enums import RoundStatus
from judging.models import Assignment, Round, RoundEntry, RoundJuror
from judging.services.rounds import round_shortlist
from tests.factories import ContestRoleFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

DEFINITION = Path(__file__).resolve().parents[2] / "exchange" / "demo" / "demo_contest.yaml"


def run(name: str, *arguments: str) -> str:
    out = StringIO()
    call_command(name, *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory() for _n in range(3)]


@pytest.fixture
def draft(contest, unis):  # type: ignore[no-untyped-def]
    criteria_for(contest, 4)
    entries = [entry_from(contest, unis[0], title=f"Lesson {n}") for n in range(3)]
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[2])]
    return round_of(contest, entries, jurors, k=2, status=RoundStatus.DRAFT)


# --- round_open --------------------------------------------------------------------------------


def test_round_open_opens_the_round_and_gives_every_entry_its_jurors(contest, draft):
    output = run("round_open", "--contest", contest.slug, "--round", "1")

    draft.refresh_from_db()
    assert draft.status == RoundStatus.OPEN
    assert Assignment.objects.filter(round=draft).count() == 6
    assert output.splitlines() == ["Round 1 “Round 1” is open.", "3 entries, 2 jurors, 6 assignments."]


def test_round_open_lists_the_entries_that_cannot_get_every_juror(contest, draft, unis):
    late = entry_from(contest, unis[1], title="Late lesson")
    RoundEntry.objects.create(round=draft, entry=late)

    output = run("round_open", "--contest", contest.slug, "--round", "1")

    assert output.splitlines() == [
        "Round 1 “Round 1” is open.",
        "4 entries, 2 jurors, 7 assignments.",
        "These entries have fewer jurors than they need; assign them by hand:",
        f"  {late.code} “Late lesson”: 1 of 2",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--contest", "nope", "--round", "1"), "There is no contest “nope”."),
        (("--round", "7"), "There is no round 7 in contest “{slug}”."),
    ],
)
def test_round_open_and_close_with_a_wrong_slug_or_number_are_refused(contest, draft, arguments, message):
    if "--contest" not in arguments:
        arguments = ("--contest", contest.slug, *arguments)
    for name in ("round_open", "round_close"):
        with pytest.raises(CommandError) as refused:
            run(name, *arguments)
        assert str(refused.value) == message.format(slug=contest.slug)
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT


def test_round_open_refuses_what_the_page_refuses(contest, draft):
    run("round_open", "--contest", contest.slug, "--round", "1")

    with pytest.raises(CommandError) as again:
        run("round_open", "--contest", contest.slug, "--round", "1")
    assert str(again.value) == "Only a round being prepared can be opened."

    empty = round_of(contest, [], [], k=2, status=RoundStatus.DRAFT, number=2)
    with pytest.raises(CommandError) as nothing:
        run("round_open", "--contest", contest.slug, "--round", "2")
    # Round 2 takes the shortlist of round 1, which has none.
    assert str(nothing.value) == "The round has no entries."
    empty.refresh_from_db()
    assert empty.status == RoundStatus.DRAFT


def test_rounds_defined_in_a_definition_file_take_their_entries_and_jurors_when_they_open(db):
    data = definition_read(DEFINITION.read_text(encoding="utf-8"), source=DEFINITION.name, fmt="yaml")
    data["rounds"] = [
        {"number": 1, "name": "Screening", "opens": "2024-04-02T09:00", "reviews_per_entry": 2},
        {"number": 2, "name": "Final", "reviews_per_entry": "all"},
    ]
    contest = contest_definition_load(definition=definition_parse(data)).contest
    unis = [UniversityFactory() for _n in range(3)]
    criteria_for(contest, 4)
    first, final = Round.objects.filter(contest=contest).order_by("number")
    assert RoundEntry.objects.filter(round=first).count() == 0
    # Entries and jurors that come after the file was loaded.
    entries = [entry_from(contest, unis[0]) for _n in range(3)]
    jurors = [juror_in(contest, unis[1]), juror_in(contest, unis[2])]

    run("round_open", "--contest", contest.slug, "--round", "1")

    assert sorted(RoundEntry.objects.filter(round=first).values_list("entry_id", flat=True)) == [e.pk for e in entries]
    assert sorted(RoundJuror.objects.filter(round=first).values_list("juror_id", flat=True)) == [j.pk for j in jurors]
    assert Assignment.objects.filter(round=first).count() == 6

    run("round_close", "--contest", contest.slug, "--round", "1")
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    round_shortlist(actor=organiser, round=first, entries=entries[:1])
    run("round_open", "--contest", contest.slug, "--round", "2")

    final.refresh_from_db()
    assert final.source_round == first
    assert list(RoundEntry.objects.filter(round=final).values_list("entry_id", flat=True)) == [entries[0].pk]
    assert Assignment.objects.filter(round=final).count() == 2


# --- round_close -------------------------------------------------------------------------------


def test_round_close_closes_an_open_round(contest, draft):
    run("round_open", "--contest", contest.slug, "--round", "1")

    output = run("round_close", "--contest", contest.slug, "--round", "1")

    draft.refresh_from_db()
    assert draft.status == RoundStatus.CLOSED
    assert output == "Round 1 “Round 1” is closed.\n"


def test_round_close_with_entries_in_no_round_lists_them_and_refuses_without_confirm(contest, draft, unis):
    run("round_open", "--contest", contest.slug, "--round", "1")
    forgotten = entry_from(contest, unis[0], title="Forgotten lesson")
    RoundEntry.objects.filter(entry=forgotten).delete()
    out = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("round_close", "--contest", contest.slug, "--round", "1", "--no-input", stdout=out)

    assert str(refused.value) == "Round 1 is not closed. Add them to a round, or run again with --confirm."
    assert out.getvalue().splitlines() == [
        "These submitted entries are in no round and would never be judged:",
        f"  {forgotten.code} “Forgotten lesson”",
    ]
    draft.refresh_from_db()
    assert draft.status == RoundStatus.OPEN

    output = run("round_close", "--contest", contest.slug, "--round", "1", "--confirm")
    draft.refresh_from_db()
    assert draft.status == RoundStatus.CLOSED
    assert output == "Round 1 “Round 1” is closed.\n"


def test_round_close_of_a_round_not_open_is_refused(contest, draft):
    with pytest.raises(CommandError) as refused:
        run("round_close", "--contest", contest.slug, "--round", "1", "--confirm")
    assert str(refused.value) == "Only an open round can be closed."


# --- assign_jury -------------------------------------------------------------------------------


def test_assign_jury_on_a_round_without_entries_or_jurors_is_refused(contest, unis):
    round_of(contest, [], [juror_in(contest, unis[1])], k=1, status=RoundStatus.DRAFT)
    round_of(contest, [entry_from(contest, unis[0])], [], k=1, status=RoundStatus.DRAFT, number=2)

    with pytest.raises(CommandError) as no_entries:
        run("assign_jury", "--contest", contest.slug, "--round", "1")
    with pytest.raises(CommandError) as no_jurors:
        run("assign_jury", "--contest", contest.slug, "--round", "2")

    assert str(no_entries.value) == "Round “Round 1” has no entries: there is nothing to assign."
    assert str(no_jurors.value) == "Round “Round 2” has no jurors: nobody can be assigned."
    assert Assignment.objects.count() == 0
