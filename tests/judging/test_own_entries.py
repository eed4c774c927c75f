"""Nobody judges their own entry: a juror who wrote or co-wrote an entry (by account or e-mail) never gets it."""

import csv
import importlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from config.exceptions import BaigeError, NotAllowed
from contest.enums import EntryStatus
from contest.models import CoAuthor, Entry, ParticipantProfile
from exchange.reviews_import import reviews_import
from judging.assignment import assignment_run
from judging.enums import AssignmentOrigin, RoundStatus
from judging.models import Assignment, Review
from judging.selectors.jury import entrant_pairs, juror_conflict_reason, juror_is_entrant, jurors_who_entered
from judging.services.assignments import assignment_add
from judging.services.reminders import assignment_reassign
from judging.services.reviews import review_save_draft, review_submit
from tests.factories import ContestRoleFactory, EntryFactory, ProfileFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

NOW = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def pairs(round):  # type: ignore[no-untyped-def]
    return set(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))


def own_entry_of(juror, contest, university):  # type: ignore[no-untyped-def]
    """A submitted entry written by the juror's own account, from ``university`` at submission."""
    return EntryFactory(
        contest=contest,
        author=juror.user,
        status=EntryStatus.SUBMITTED,
        submitted_at=NOW,
        author_university=university,
    )


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory(name=f"U{n}", name_en=f"U{n}") for n in range(3)]


@pytest.mark.parametrize("seat", ["other", "none"])
def test_assignment_never_gives_a_juror_their_own_entry_whatever_their_seat(contest, unis, seat):
    """The juror studied at U0 when they submitted; their seat says U1, or nothing: still never their own entry."""
    writer = juror_in(contest, unis[1] if seat == "other" else None, name="Writer")
    ParticipantProfile.objects.filter(user=writer.user).update(university=unis[0])
    others = [juror_in(contest, unis[2], name=f"Juror {n}") for n in range(2)]
    own = own_entry_of(writer, contest, unis[0])
    stranger = entry_from(contest, unis[1])
    round = round_of(contest, [own, stranger], [writer, *others], k=None, status=RoundStatus.DRAFT)

    assignment_run(actor=None, round=round, seed=1)

    # The stranger's entry is from U1: the juror seated at U1 does not get it, the juror without a seat does.
    assert pairs(round) == {
        (own.pk, others[0].pk),
        (own.pk, others[1].pk),
        (stranger.pk, others[0].pk),
        (stranger.pk, others[1].pk),
        *([(stranger.pk, writer.pk)] if seat == "none" else []),
    }


def test_assignment_never_gives_a_coauthor_by_email_in_another_case(contest, unis):
    juror = juror_in(contest, unis[0], name="Aru")
    juror.user.email = "aru.sadyk@example.org"
    juror.user.save(update_fields=["email"])
    other = juror_in(contest, unis[0], name="Other")
    entry = entry_from(contest, unis[1])
    CoAuthor.objects.create(entry=entry, full_name="Aru Sadyk", email="Aru.Sadyk@Example.ORG", order=0)
    round = round_of(contest, [entry], [juror, other], k=None, status=RoundStatus.DRAFT)

    assignment_run(actor=None, round=round, seed=3)

    assert pairs(round) == {(entry.pk, other.pk)}


def test_assignment_matches_the_jurors_other_addresses(contest, unis):
    """The author wrote from an address the juror's account also holds (allauth keeps it, verified or not)."""
    juror = juror_in(contest, unis[0], name="Aru")
    EmailAddress.objects.create(user=juror.user, email="Old.Address@example.org", verified=False, primary=False)
    other = juror_in(contest, unis[0], name="Other")
    author = ProfileFactory(university=unis[1]).user
    author.email = "old.address@EXAMPLE.org"
    author.save(update_fields=["email"])
    entry = EntryFactory(contest=contest, author=author, status=EntryStatus.SUBMITTED, submitted_at=NOW)
    round = round_of(contest, [entry], [juror, other], k=None, status=RoundStatus.DRAFT)

    assignment_run(actor=None, round=round, seed=3)

    assert pairs(round) == {(entry.pk, other.pk)}


def test_assignment_with_k_counts_the_own_entry_as_a_conflict(contest, unis):
    writer = juror_in(contest, None, name="Writer")
    own = own_entry_of(writer, contest, unis[0])
    round = round_of(contest, [own], [writer], k=1, status=RoundStatus.DRAFT)

    with pytest.raises(BaigeError) as refused:
        assignment_run(actor=None, round=round, seed=1)

    assert (
        str(refused.value)
        .splitlines()[1]
        .endswith("only 0 more jurors can be assigned, 1 needed (of the round's 1 jurors, 1 wrote or co-wrote it)")
    )
    assert pairs(round) == set()


def test_assignment_run_drops_an_own_entry_assigned_before(contest, unis):
    """An assignment made by hand before the rule held is not kept: the entry goes to someone else."""
    writer = juror_in(contest, unis[1], name="Writer")
    other = juror_in(contest, unis[1], name="Other")
    own = own_entry_of(writer, contest, unis[0])
    round = round_of(contest, [own], [writer, other], k=1, status=RoundStatus.DRAFT)
    Assignment.objects.create(round=round, juror=writer, entry=own, origin=AssignmentOrigin.MANUAL)

    run = assignment_run(actor=None, round=round, seed=5)

    assert pairs(round) == {(own.pk, other.pk)}
    assert (run.created, run.kept, run.dropped) == (1, 0, 1)


def test_manual_assignment_of_an_own_entry_is_refused(contest, unis):
    organiser = ContestRoleFactory(contest=contest).user
    writer = juror_in(contest, unis[1], name="Writer")
    own = own_entry_of(writer, contest, unis[0])
    round = round_of(contest, [own], [writer], k=1)

    with pytest.raises(BaigeError) as refused:
        assignment_add(actor=organiser, round=round, juror=writer, entry=own)

    assert (refused.value.code, str(refused.value)) == ("conflict", "Writer is an author or co-author of this entry.")
    assert pairs(round) == set()


def test_manual_assignment_of_a_coauthored_entry_is_refused(contest, unis):
    organiser = ContestRoleFactory(contest=contest).user
    juror = juror_in(contest, unis[1], name="Aru")
    entry = entry_from(contest, unis[0])
    CoAuthor.objects.create(entry=entry, full_name="Aru", email=juror.user.email.upper(), order=0)
    round = round_of(contest, [entry], [juror], k=1)

    with pytest.raises(BaigeError) as refused:
        assignment_add(actor=organiser, round=round, juror=juror, entry=entry)

    assert (refused.value.code, str(refused.value)) == ("conflict", "Aru is an author or co-author of this entry.")


def test_conflict_reason_names_the_authorship_first(contest, unis):
    writer = juror_in(contest, unis[0], name="Writer")
    own = own_entry_of(writer, contest, unis[0])
    stranger = entry_from(contest, unis[1])

    assert juror_conflict_reason(writer, own) == "Writer is an author or co-author of this entry."
    assert juror_conflict_reason(writer, stranger) is None


@pytest.mark.parametrize("write", [review_submit, review_save_draft])
def test_review_of_an_own_entry_is_refused_even_when_assigned(contest, unis, write):
    (criterion,) = criteria_for(contest, 5)
    writer = juror_in(contest, unis[1], name="Writer")
    own = own_entry_of(writer, contest, unis[0])
    round = round_of(contest, [own], [writer], k=1)
    Assignment.objects.create(round=round, juror=writer, entry=own, origin=AssignmentOrigin.MANUAL)

    with pytest.raises(NotAllowed) as refused:
        write(actor=writer.user, round=round, entry=own, scores={criterion.pk: 5})

    refusal = (refused.value.code, str(refused.value))
    assert refusal == ("own_entry", "You cannot review an entry you wrote or co-wrote.")
    assert Review.objects.count() == 0


def test_review_of_a_coauthored_entry_is_refused(contest, unis):
    (criterion,) = criteria_for(contest, 5)
    juror = juror_in(contest, unis[1], name="Aru")
    entry = entry_from(contest, unis[0])
    CoAuthor.objects.create(entry=entry, full_name="Aru", email=juror.user.email.title(), order=0)
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)

    with pytest.raises(NotAllowed) as refused:
        review_submit(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 5})

    assert refused.value.code == "own_entry"


def test_review_of_another_entry_is_still_taken(contest, unis):
    (criterion,) = criteria_for(contest, 5)
    juror = juror_in(contest, unis[1], name="Aru")
    entry = entry_from(contest, unis[0])
    CoAuthor.objects.create(entry=entry, full_name="Someone", email="someone@example.org", order=0)
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)

    review = review_submit(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 5})

    assert review.is_submitted is True


def test_reviews_import_refuses_an_own_entry(contest, unis, tmp_path: Path):
    criteria_for(contest, 5)
    writer = juror_in(contest, unis[1], name="Writer")
    writer.user.email = "writer@example.org"
    writer.user.save(update_fields=["email"])
    own = own_entry_of(writer, contest, unis[0])
    Entry.objects.filter(pk=own.pk).update(code="OWN1")
    round = round_of(contest, [own], [writer], k=1)
    Assignment.objects.create(round=round, juror=writer, entry=own, origin=AssignmentOrigin.MANUAL)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["juror_email", "entry_code", "c1"], ["Writer@example.org", "OWN1", "4"]])
    path = tmp_path / "reviews.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    with path.open("rb") as stream:
        result = reviews_import(actor=None, round=round, stream=stream, now=NOW)

    assert [(error.line, error.column, error.message) for error in result.errors] == [
        (2, "entry_code", "writer@example.org is an author or co-author of entry OWN1 and cannot review it.")
    ]
    assert (result.created, Review.objects.count()) == (0, 0)


def test_reassignment_never_moves_an_entry_to_its_author(contest, unis):
    organiser = ContestRoleFactory(contest=contest).user
    leaving = juror_in(contest, unis[2], name="Leaving")
    writer = juror_in(contest, unis[2], name="Writer")
    own = own_entry_of(writer, contest, unis[0])
    round = round_of(contest, [own], [leaving, writer], k=1)
    Assignment.objects.create(round=round, juror=leaving, entry=own, origin=AssignmentOrigin.AUTOMATIC)

    with pytest.raises(BaigeError) as refused:
        assignment_reassign(actor=organiser, round=round, juror=leaving, to=writer)

    assert str(refused.value) == f"Nothing was moved: {own.code}: Writer has a conflict of interest with it"
    assert pairs(round) == {(own.pk, leaving.pk)}


def test_entrant_pairs_and_the_one_query_check_agree(contest, unis, django_assert_num_queries):
    """Every way of being an entrant, and a near miss of each: the bulk rule and the single check say the same."""
    by_account, by_email, by_coauthor, by_other_address, stranger = (
        juror_in(contest, unis[0], name=name) for name in ("Account", "Email", "Coauthor", "Other", "Stranger")
    )
    EmailAddress.objects.create(user=by_other_address.user, email="Second@Example.org", verified=True)
    entries = [entry_from(contest, unis[1]) for _n in range(5)]
    Entry.objects.filter(pk=entries[0].pk).update(author=by_account.user)
    entries[1].author.email = by_email.user.email.upper()
    entries[1].author.save(update_fields=["email"])
    CoAuthor.objects.create(entry=entries[2], full_name="Co", email=f" {by_coauthor.user.email}".strip(), order=0)
    CoAuthor.objects.create(entry=entries[3], full_name="Co", email="second@example.ORG", order=0)
    CoAuthor.objects.create(entry=entries[4], full_name="Nobody", email="", order=0)
    jurors = [by_account, by_email, by_coauthor, by_other_address, stranger]
    expected = {
        (by_account.pk, entries[0].pk),
        (by_email.pk, entries[1].pk),
        (by_coauthor.pk, entries[2].pk),
        (by_other_address.pk, entries[3].pk),
    }

    with django_assert_num_queries(3):
        found = entrant_pairs(jurors, [entry.pk for entry in entries])

    assert found == expected
    assert {(juror.pk, entry.pk) for juror in jurors for entry in entries if juror_is_entrant(juror, entry)} == expected


def test_jurors_who_entered_lists_codes_in_constant_queries(contest, unis, django_assert_num_queries):
    writer = juror_in(contest, unis[0], name="Writer")
    juror_in(contest, unis[0], name="Stranger")
    first = own_entry_of(writer, contest, unis[0])
    Entry.objects.filter(pk=first.pk).update(code="AAA111")

    with django_assert_num_queries(4):
        [one] = jurors_who_entered(contest)
    assert (one.juror, one.codes) == (writer, ["AAA111"])

    for code in ("BBB222", "CCC333"):
        entry = entry_from(contest, unis[1])
        Entry.objects.filter(pk=entry.pk).update(code=code)
        CoAuthor.objects.create(entry=entry, full_name="W", email=writer.user.email, order=0)
    for _n in range(3):
        coauthor = juror_in(contest, unis[2], name="Co")
        entry = entry_from(contest, unis[1])
        CoAuthor.objects.create(entry=entry, full_name="Co", email=coauthor.user.email, order=0)

    with django_assert_num_queries(4):
        listed = jurors_who_entered(contest)
    assert [(item.juror.pk, item.codes) for item in listed][0] == (writer.pk, ["AAA111", "BBB222", "CCC333"])
    assert len(listed) == 4


def test_jury_api_refuses_reviewing_a_coauthored_entry(contest, unis):
    (criterion,) = criteria_for(contest, 5)
    juror = juror_in(contest, unis[1], name="Aru")
    entry = entry_from(contest, unis[0])
    CoAuthor.objects.create(entry=entry, full_name="Aru", email=juror.user.email.upper(), order=0)
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(juror.user)

    response = client.post(
        f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/review/submit/",
        {"scores": {criterion.slug: 5}},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You cannot review an entry you wrote or co-wrote.", "code": "own_entry"},
    )
    assert Review.objects.count() == 0


def test_migration_withdraws_own_entry_assignments_without_a_review(contest, unis):
    """Assignments made before the rule held: the unreviewed ones go; a reviewed one stays for the organisers."""
    migration = importlib.import_module("judging.migrations.0007_drop_own_entry_assignments")
    (criterion,) = criteria_for(contest, 5)
    writer = juror_in(contest, unis[1], name="Writer")
    coauthor = juror_in(contest, unis[1], name="Coauthor")
    EmailAddress.objects.create(user=coauthor.user, email="Co.Author@Example.org", verified=False)
    stranger = juror_in(contest, unis[1], name="Stranger")
    own, reviewed_own = own_entry_of(writer, contest, unis[0]), own_entry_of(writer, contest, unis[0])
    shared = entry_from(contest, unis[0])
    CoAuthor.objects.create(entry=shared, full_name="Co", email="co.author@EXAMPLE.org", order=0)
    round = round_of(contest, [own, reviewed_own, shared], [writer, coauthor, stranger], k=1)
    made = [(writer, own), (writer, reviewed_own), (coauthor, shared), (stranger, own), (stranger, shared)]
    for juror, entry in made:
        Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    Review.objects.create(round=round, juror=writer, entry=reviewed_own)

    migration.drop_own_entry_assignments(django_apps, None)

    assert pairs(round) == {(reviewed_own.pk, writer.pk), (own.pk, stranger.pk), (shared.pk, stranger.pk)}
