from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.exceptions import BaigeError, NotAllowed
from contest.enums import EntryStatus, Role
from contest.models import ContestRole
from judging.enums import AssignmentOrigin, ReviewChangeKind, ReviewStatus, RoundStatus
from judging.models import (
    Assignment,
    AssignmentRemoval,
    Conflict,
    Criterion,
    CriterionLevel,
    Juror,
    Review,
    ReviewChange,
    Round,
    RoundEntry,
    Rubric,
    Score,
)
from judging.selectors.reviews import review_total
from judging.selectors.rounds import round_loads
from judging.selectors.worklist import juror_progress
from judging.services.assignments import assignment_add, assignment_remove
from judging.services.jury import juror_add, juror_seat, juror_update
from judging.services.reviews import review_save_draft, review_submit
from judging.services.rounds import (
    RoundNotOpen,
    round_close,
    round_create,
    round_entries_set,
    round_open,
    round_shortlist,
)
from judging.services.rubric import rubric_criterion_delete, rubric_criterion_save
from tests.factories import EntryFactory, ProfileFactory, UniversityFactory, UserFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

LEVELS = {0: {"en": "Nothing"}, 2: {"en": "Some", "ru": "Немного"}, 4: {"en": "All", "kk": "Барлығы"}}


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory(), UniversityFactory(), UniversityFactory()]


@pytest.fixture
def setting(contest, unis):  # type: ignore[no-untyped-def]
    """Two criteria (0..4, 0..2), two entries from university 0, two jurors from 1 and 2, all assigned."""
    criteria = criteria_for(contest, 4, 2)
    entries = [entry_from(contest, unis[0]), entry_from(contest, unis[0])]
    jurors = [juror_in(contest, unis[1], name="Dana"), juror_in(contest, unis[2], name="Arman")]
    round = round_of(contest, entries, jurors, k=2)
    for entry in entries:
        for juror in jurors:
            Assignment.objects.create(round=round, juror=juror, entry=entry)
    return {"criteria": criteria, "entries": entries, "jurors": jurors, "round": round}


# --- Rubric ------------------------------------------------------------------------------------


def test_rubric_criterion_save_by_organiser_stores_texts_weight_scale_and_levels(contest, organiser):
    criterion = rubric_criterion_save(
        actor=organiser,
        contest=contest,
        name_en="  Pedagogical relevance ",
        name_ru="Педагогическая значимость",
        description_en="Clear objectives.",
        weight="1.5",
        max_score=4,
        order=2,
        levels=LEVELS,
    )

    stored = Criterion.objects.get(pk=criterion.pk)
    assert (stored.name_en, stored.name_ru, stored.name_kk) == (
        "Pedagogical relevance",
        "Педагогическая значимость",
        "",
    )
    assert (stored.slug, stored.weight, stored.max_score, stored.order) == (
        "pedagogical-relevance",
        Decimal("1.50"),
        4,
        2,
    )
    assert stored.rubric.contest == contest
    assert list(stored.levels.values_list("score", "descriptor_en", "descriptor_ru", "descriptor_kk")) == [
        (0, "Nothing", "", ""),
        (2, "Some", "Немного", ""),
        (4, "All", "", "Барлығы"),
    ]


def test_rubric_criterion_save_when_scale_is_lowered_drops_descriptors_above_it(contest, organiser):
    criterion = rubric_criterion_save(
        actor=organiser, contest=contest, name_en="Creativity", max_score=4, levels=LEVELS
    )

    rubric_criterion_save(actor=organiser, contest=contest, criterion=criterion, name_en="Creativity", max_score=3)

    assert list(CriterionLevel.objects.filter(criterion=criterion).values_list("score", flat=True)) == [0, 2]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": 0}, "The weight must be greater than zero."),
        ({"weight": "-1"}, "The weight must be greater than zero."),
        ({"weight": "heavy"}, "The weight must be a number."),
        ({"max_score": 0}, "The highest score must be a whole number from 1 to 100."),
        ({"max_score": 101}, "The highest score must be a whole number from 1 to 100."),
        ({"name_en": " "}, "Give the criterion's name in at least one language."),
        ({"levels": {5: {"en": "Too high"}}}, "Descriptors can only be given for scores from 0 to 4."),
    ],
)
def test_rubric_criterion_save_when_input_is_wrong_refuses_and_saves_nothing(contest, organiser, changes, message):
    arguments = {"name_en": "Creativity", "max_score": 4, **changes}

    with pytest.raises(BaigeError) as refused:
        rubric_criterion_save(actor=organiser, contest=contest, **arguments)

    assert str(refused.value) == message
    assert Criterion.objects.count() == 0


def test_rubric_criterion_save_by_a_juror_or_participant_is_refused(contest, juror, participant):
    for actor in (juror, participant):
        with pytest.raises(NotAllowed) as refused:
            rubric_criterion_save(actor=actor, contest=contest, name_en="Creativity")
        assert str(refused.value) == "Only the contest's organisers can change it."
    assert Criterion.objects.count() == 0


def test_rubric_criterion_save_when_a_score_was_saved_refuses_because_the_rubric_is_frozen(contest, organiser, setting):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 3})

    with pytest.raises(BaigeError) as refused:
        rubric_criterion_save(actor=organiser, contest=contest, criterion=criterion, name_en="New", max_score=10)
    with pytest.raises(BaigeError):
        rubric_criterion_save(actor=organiser, contest=contest, name_en="Another")
    with pytest.raises(BaigeError):
        rubric_criterion_delete(actor=organiser, criterion=criterion)

    assert refused.value.code == "rubric_frozen"
    assert str(refused.value).startswith("The rubric can no longer be changed: jurors have been scoring with it since ")
    assert Criterion.objects.get(pk=criterion.pk).max_score == 4
    assert Criterion.objects.count() == 2


def test_rubric_criterion_delete_before_any_score_removes_it(contest, organiser):
    criterion = rubric_criterion_save(actor=organiser, contest=contest, name_en="Creativity", levels=LEVELS)

    rubric_criterion_delete(actor=organiser, criterion=criterion)

    assert Criterion.objects.count() == 0
    assert CriterionLevel.objects.count() == 0


# --- The jury ----------------------------------------------------------------------------------


def test_juror_add_takes_the_university_from_the_profile_and_gives_the_juror_role(contest, organiser):
    profile = ProfileFactory()

    juror = juror_add(actor=organiser, contest=contest, user=profile.user, languages=["kk", "ru", "kk"], max_load=30)

    stored = Juror.objects.get(pk=juror.pk)
    assert (stored.university, stored.languages, stored.max_load) == (profile.university, ["kk", "ru"], 30)
    assert ContestRole.objects.filter(contest=contest, user=profile.user, role=Role.JUROR).count() == 1


def test_juror_add_when_already_on_the_jury_or_language_unknown_is_refused(contest, organiser):
    user = UserFactory(email="dana@example.org")
    juror_add(actor=organiser, contest=contest, user=user)

    with pytest.raises(BaigeError) as twice:
        juror_add(actor=organiser, contest=contest, user=user)
    with pytest.raises(BaigeError) as language:
        juror_add(actor=organiser, contest=contest, user=UserFactory(), languages=["de"])

    assert str(twice.value) == "dana@example.org is already on this contest's jury."
    assert str(language.value) == "Unknown language: de"
    assert Juror.objects.count() == 1


def test_juror_seat_creates_then_updates_then_leaves_the_seat_unchanged(contest, unis):
    user = UserFactory()

    seats = [
        juror_seat(contest=contest, user=user, university=unis[0], languages=["kk"], max_load=None),
        juror_seat(contest=contest, user=user, university=unis[1], languages=["kk", "ru"], max_load=5),
        juror_seat(contest=contest, user=user, university=unis[1], languages=["kk", "ru"], max_load=5),
    ]

    assert [action for _juror, action in seats] == ["create", "update", "unchanged"]
    stored = Juror.objects.get(contest=contest, user=user)
    assert (stored.pk, stored.university, stored.languages, stored.max_load) == (
        seats[0][0].pk,
        unis[1],
        ["kk", "ru"],
        5,
    )
    assert ContestRole.objects.filter(contest=contest, user=user, role=Role.JUROR).count() == 1


def test_juror_update_changes_the_limit_and_refuses_other_fields(contest, organiser):
    juror = juror_in(contest)

    juror_update(actor=organiser, juror=juror, max_load=12)
    with pytest.raises(BaigeError) as refused:
        juror_update(actor=organiser, juror=juror, contest=None)

    assert Juror.objects.get(pk=juror.pk).max_load == 12
    assert str(refused.value) == "These fields cannot be changed: contest"


# --- Rounds ------------------------------------------------------------------------------------


def test_round_create_takes_every_submitted_entry_and_the_whole_jury(contest, organiser, unis):
    submitted = [entry_from(contest, unis[0]), entry_from(contest, unis[1])]
    EntryFactory(contest=contest, status=EntryStatus.DRAFT)
    jurors = [juror_in(contest), juror_in(contest)]
    opens = timezone.now() + timedelta(days=1)

    round = round_create(
        actor=organiser,
        contest=contest,
        name_en="Screening",
        name_ru="Отбор",
        reviews_per_entry=3,
        blind=True,
        opens_at=opens,
        closes_at=opens + timedelta(days=7),
    )

    stored = Round.objects.get(pk=round.pk)
    assert (stored.number, stored.name_en, stored.name_ru, stored.status) == (1, "Screening", "Отбор", "draft")
    assert (stored.reviews_per_entry, stored.blind, stored.opens_at) == (3, True, opens)
    assert sorted(stored.entries.values_list("pk", flat=True)) == sorted(e.pk for e in submitted)
    assert sorted(stored.jurors.values_list("pk", flat=True)) == sorted(j.pk for j in jurors)


def test_round_create_after_a_round_takes_its_shortlist(contest, organiser, unis):
    entries = [entry_from(contest, unis[0]) for _ in range(3)]
    first = round_of(contest, entries, [juror_in(contest)], status=RoundStatus.CLOSED)
    round_shortlist(actor=organiser, round=first, entries=entries[1:])

    final = round_create(actor=organiser, contest=contest, name_en="Final", reviews_per_entry=None, source_round=first)

    assert final.number == 2
    assert final.every_juror_scores_every_entry is True
    assert sorted(final.entries.values_list("pk", flat=True)) == sorted(e.pk for e in entries[1:])


def test_round_create_from_a_round_without_a_shortlist_is_refused(contest, organiser, unis):
    first = round_of(contest, [entry_from(contest, unis[0])], [], status=RoundStatus.CLOSED)

    with pytest.raises(BaigeError) as refused:
        round_create(actor=organiser, contest=contest, name_en="Final", source_round=first)

    assert str(refused.value) == "Round “Round 1” has no shortlisted entries to judge yet."
    assert Round.objects.count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"name_en": ""}, "Give the round's name in at least one language."),
        ({"reviews_per_entry": 0}, "Each entry needs at least one review."),
        (
            {"opens_at": timezone.now(), "closes_at": timezone.now() - timedelta(days=1)},
            "A round must close after it opens.",
        ),
    ],
)
def test_round_create_when_settings_are_wrong_is_refused(contest, organiser, arguments, message):
    with pytest.raises(BaigeError) as refused:
        round_create(actor=organiser, contest=contest, **{"name_en": "Screening", **arguments})

    assert str(refused.value) == message
    assert Round.objects.count() == 0


def test_round_open_needs_criteria_entries_and_jurors(contest, organiser, unis):
    round = round_of(contest, [entry_from(contest, unis[0])], [juror_in(contest)], status=RoundStatus.DRAFT)

    with pytest.raises(BaigeError) as refused:
        round_open(actor=organiser, round=round)
    criteria_for(contest, 4)
    round_open(actor=organiser, round=round)

    assert str(refused.value) == "Add the rubric's criteria before opening a round."
    assert Round.objects.get(pk=round.pk).status == RoundStatus.OPEN


def test_round_close_locks_its_reviews(setting, organiser):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 2})
    now = timezone.now()

    round_close(actor=organiser, round=setting["round"], now=now)
    with pytest.raises(RoundNotOpen) as refused:
        review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 4})
    with pytest.raises(RoundNotOpen):
        review_submit(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 4})

    assert str(refused.value) == "Round “Round 1” is closed: its reviews can no longer change."
    assert list(Score.objects.values_list("value", flat=True)) == [2]
    stored = Round.objects.get(pk=setting["round"].pk)
    assert (stored.status, stored.closed_at) == (RoundStatus.CLOSED, now)


def test_round_entries_set_when_an_entry_has_reviews_refuses_to_take_it_out(setting, organiser):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 2})

    with pytest.raises(BaigeError) as refused:
        round_entries_set(actor=organiser, round=setting["round"], entries=[setting["entries"][1]])
    round_entries_set(actor=organiser, round=setting["round"], entries=[entry])

    assert str(refused.value) == "Entries and jurors with reviews in this round cannot be taken out of it."
    assert list(RoundEntry.objects.values_list("entry", flat=True)) == [entry.pk]
    assert set(Assignment.objects.values_list("entry", flat=True)) == {entry.pk}


def test_round_shortlist_of_an_open_round_is_refused(setting, organiser):
    with pytest.raises(BaigeError) as refused:
        round_shortlist(actor=organiser, round=setting["round"], entries=setting["entries"][:1])

    assert str(refused.value) == "Close the round before shortlisting its entries."
    assert RoundEntry.objects.filter(shortlisted=True).count() == 0


# --- Assignments by hand -----------------------------------------------------------------------


def test_assignment_add_by_hand_checks_conflicts_with_co_authors(contest, organiser, unis):
    entry = entry_from(contest, unis[0], coauthors=[unis[1]])
    juror = juror_in(contest, unis[1], name="Dana")
    round = round_of(contest, [entry], [juror])

    with pytest.raises(BaigeError) as refused:
        assignment_add(actor=organiser, round=round, juror=juror, entry=entry)

    assert str(refused.value) == "Dana is from the same university as an author of this entry."
    assert refused.value.code == "conflict"
    assert Assignment.objects.count() == 0


def test_assignment_add_by_hand_checks_declared_conflicts_the_limit_and_duplicates(contest, organiser, unis):
    entries = [entry_from(contest, unis[0]) for _ in range(3)]
    juror = juror_in(contest, unis[1], max_load=1, name="Dana")
    round = round_of(contest, entries, [juror])
    Conflict.objects.create(juror=juror, entry=entries[2])

    made = assignment_add(actor=organiser, round=round, juror=juror, entry=entries[0])
    errors = []
    for entry in entries:
        with pytest.raises(BaigeError) as refused:
            assignment_add(actor=organiser, round=round, juror=juror, entry=entry)
        errors.append(str(refused.value))

    assert (made.origin, made.created_by) == (AssignmentOrigin.MANUAL, organiser)
    assert errors == [
        f"Dana is already assigned to entry {entries[0].code}.",
        "Dana already has 1 entry in this round, their limit.",
        "Dana has declared a conflict of interest with this entry.",
    ]
    assert Assignment.objects.count() == 1


def test_assignment_add_for_a_juror_outside_the_round_or_a_closed_round_is_refused(contest, organiser, unis):
    entry = entry_from(contest, unis[0])
    outsider = juror_in(contest, name="Arman")
    round = round_of(contest, [entry], [])
    closed = round_of(contest, [entry], [outsider], status=RoundStatus.CLOSED, number=2)

    with pytest.raises(BaigeError) as outside:
        assignment_add(actor=organiser, round=round, juror=outsider, entry=entry)
    with pytest.raises(RoundNotOpen) as shut:
        assignment_add(actor=organiser, round=closed, juror=outsider, entry=entry)

    assert str(outside.value) == "Arman is not a juror of this round."
    assert str(shut.value) == "Round “Round 2” is closed: nothing in it can change any more."


def test_assignment_add_by_a_juror_is_refused(setting):
    juror = setting["jurors"][0]
    Assignment.objects.all().delete()

    with pytest.raises(NotAllowed):
        assignment_add(actor=juror.user, round=setting["round"], juror=juror, entry=setting["entries"][0])

    assert Assignment.objects.count() == 0


def test_assignment_remove_drops_the_draft_and_remembers_the_removal(setting, organiser):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={criterion.pk: 2})

    assignment_remove(actor=organiser, round=setting["round"], juror=juror, entry=entry)

    assert not Assignment.objects.filter(juror=juror, entry=entry).exists()
    assert Review.objects.count() == 0
    assert list(AssignmentRemoval.objects.values_list("juror", "entry", "removed_by")) == [
        (juror.pk, entry.pk, organiser.pk)
    ]


def test_assignment_remove_when_the_review_is_submitted_is_refused(setting, organiser):
    juror, entry = setting["jurors"][0], setting["entries"][0]
    review_submit(actor=juror.user, round=setting["round"], entry=entry, scores={c.pk: 1 for c in setting["criteria"]})

    with pytest.raises(BaigeError) as refused:
        assignment_remove(actor=organiser, round=setting["round"], juror=juror, entry=entry)

    assert str(refused.value) == f"Dana has already submitted a review of entry {entry.code}."
    assert Assignment.objects.filter(juror=juror, entry=entry).exists()


# --- Reviews -----------------------------------------------------------------------------------


def test_review_save_draft_by_the_assigned_juror_saves_scores_and_freezes_the_rubric(setting):
    juror, entry = setting["jurors"][0], setting["entries"][0]
    first, second = setting["criteria"]
    now = timezone.now()

    review = review_save_draft(
        actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 3}, comment=" Good start ", now=now
    )
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 4, second.pk: 0})
    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={second.pk: None})

    stored = Review.objects.get(pk=review.pk)
    assert (stored.status, stored.comment, stored.submitted_at) == (ReviewStatus.DRAFT, "Good start", None)
    assert list(stored.scores.values_list("criterion", "value", "max_score")) == [(first.pk, 4, 4)]
    assert Rubric.objects.get().frozen_at == now
    assert ReviewChange.objects.count() == 0


def test_review_save_draft_by_an_unassigned_juror_or_a_participant_is_refused(setting, contest, participant):
    outsider = juror_in(contest)
    assigned = setting["jurors"][0]
    Assignment.objects.filter(juror=assigned, entry=setting["entries"][1]).delete()
    criterion = setting["criteria"][0]

    for actor, entry in ((outsider.user, setting["entries"][0]), (participant, setting["entries"][0])):
        with pytest.raises(NotAllowed) as refused:
            review_save_draft(actor=actor, round=setting["round"], entry=entry, scores={criterion.pk: 1})
        assert str(refused.value) == "This entry is not assigned to you in this round."
    with pytest.raises(NotAllowed) as unassigned:
        review_save_draft(actor=assigned.user, round=setting["round"], entry=setting["entries"][1], scores={})

    assert unassigned.value.code == "not_assigned"
    assert Review.objects.count() == 0
    assert Rubric.objects.get().frozen_at is None


@pytest.mark.parametrize("value", [5, -1, 2.5, True, "3"])
def test_review_save_draft_when_a_score_is_outside_the_scale_refuses_and_saves_nothing(setting, value):
    juror, entry = setting["jurors"][0], setting["entries"][0]
    first, second = setting["criteria"]

    with pytest.raises(BaigeError) as refused:
        review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={second.pk: 1, first.pk: value})

    assert str(refused.value) == "“Criterion 1” is scored with a whole number from 0 to 4."
    assert refused.value.code == "score_out_of_range"
    assert Review.objects.count() == 0
    assert Score.objects.count() == 0
    assert Rubric.objects.get().frozen_at is None


def test_review_save_draft_when_the_criterion_is_of_another_contest_is_refused(setting):
    other = criteria_for(EntryFactory().contest, 4)[0]
    juror, entry = setting["jurors"][0], setting["entries"][0]

    with pytest.raises(BaigeError) as refused:
        review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={other.pk: 1})

    assert str(refused.value) == "This criterion is not part of the contest's rubric."
    assert Score.objects.count() == 0


def test_review_save_draft_outside_the_round_s_hours_is_refused(setting):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    round = setting["round"]
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.opens_at = round.closes_at - timedelta(days=3)
    round.save()

    with pytest.raises(RoundNotOpen) as late:
        review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 1})
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.DRAFT, opens_at=None, closes_at=None)
    with pytest.raises(RoundNotOpen) as early:
        review_save_draft(actor=juror.user, round=round, entry=entry, scores={criterion.pk: 1})

    assert str(late.value).startswith("Round “Round 1” closed on ")
    assert str(late.value).endswith(": its reviews can no longer change.")
    assert str(early.value) == "Round “Round 1” is not open yet."
    assert Review.objects.count() == 0


def test_review_submit_when_a_criterion_is_unscored_is_refused(setting):
    juror, entry = setting["jurors"][0], setting["entries"][0]
    first = setting["criteria"][0]

    with pytest.raises(BaigeError) as refused:
        review_submit(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 2})

    assert str(refused.value) == "Score every criterion before submitting; missing: Criterion 2"
    assert Review.objects.count() == 0


def test_review_submit_then_revise_keeps_every_change_in_the_history(setting):
    juror, entry = setting["jurors"][0], setting["entries"][0]
    first, second = setting["criteria"]
    submitted_at = timezone.now() - timedelta(hours=1)
    revised_at = timezone.now()

    review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 3}, comment="Draft")
    review = review_submit(
        actor=juror.user, round=setting["round"], entry=entry, scores={second.pk: 2}, comment="Fine", now=submitted_at
    )
    review_submit(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 3}, now=revised_at)
    review_submit(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 1}, now=revised_at)
    with pytest.raises(BaigeError) as draft:
        review_save_draft(actor=juror.user, round=setting["round"], entry=entry, scores={first.pk: 0})

    stored = Review.objects.get(pk=review.pk)
    assert (stored.status, stored.submitted_at, stored.comment) == (ReviewStatus.SUBMITTED, submitted_at, "Fine")
    assert list(stored.scores.values_list("criterion", "value")) == [(first.pk, 1), (second.pk, 2)]
    history = list(ReviewChange.objects.order_by("id").values_list("kind", "changed_by", "changed_at", "old", "new"))
    assert history == [
        (
            ReviewChangeKind.SUBMITTED,
            juror.user.pk,
            submitted_at,
            None,
            {"scores": {str(first.pk): 3, str(second.pk): 2}, "comment": "Fine", "comments": {}, "feedback": ""},
        ),
        (
            ReviewChangeKind.REVISED,
            juror.user.pk,
            revised_at,
            {"scores": {str(first.pk): 3, str(second.pk): 2}, "comment": "Fine", "comments": {}, "feedback": ""},
            {"scores": {str(first.pk): 1, str(second.pk): 2}, "comment": "Fine", "comments": {}, "feedback": ""},
        ),
    ]
    assert str(draft.value) == "This review is already submitted: submit your changes to it instead."
    assert juror_progress(juror.user, setting["round"]) == (1, 2)


def test_score_when_written_past_its_scale_is_refused_by_the_database(setting):
    juror, entry, criterion = setting["jurors"][0], setting["entries"][0], setting["criteria"][0]
    review = Review.objects.create(round=setting["round"], juror=juror, entry=entry)

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criterion, value=5, max_score=4)
    Score.objects.create(review=review, criterion=criterion, value=4, max_score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criterion, value=1, max_score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(round=setting["round"], juror=juror, entry=entry)

    assert list(Score.objects.values_list("value", flat=True)) == [4]


# --- Reads and permissions ---------------------------------------------------------------------


def test_review_total_weighs_each_criterion_by_its_scale(contest):
    first, second = criteria_for(contest, 4, 10)
    Criterion.objects.filter(pk=first.pk).update(weight=3)
    first.refresh_from_db()

    total = review_total({first.pk: 3, second.pk: 5}, [first, second])

    # 100 · (3·3/4 + 1·5/10) / (3 + 1) = 68.75
    assert total == Decimal("68.75")
    assert review_total({first.pk: 3}, [first, second]) is None


def test_round_loads_count_each_juror_s_assignments(setting):
    Assignment.objects.filter(juror=setting["jurors"][1], entry=setting["entries"][0]).delete()

    loads = round_loads(setting["round"])

    assert [(juror.pk, load) for juror, load in loads] == [(setting["jurors"][0].pk, 2), (setting["jurors"][1].pk, 1)]


def test_judging_permissions_follow_assignments_and_roles(setting, organiser, participant, contest):
    assigned, other = setting["jurors"]
    entry = setting["entries"][0]
    Assignment.objects.filter(juror=other, entry=entry).delete()
    assignment = Assignment.objects.get(juror=assigned, entry=entry)
    outsider = juror_in(contest)

    assert assigned.user.has_perm("judging.review_entry", assignment) is True
    assert assigned.user.has_perm("judging.view_assigned_entry", entry) is True
    assert other.user.has_perm("judging.view_assigned_entry", entry) is False
    assert outsider.user.has_perm("judging.view_round", setting["round"]) is False
    assert other.user.has_perm("judging.view_round", setting["round"]) is True
    assert organiser.has_perm("judging.manage_judging", contest) is True
    assert participant.has_perm("judging.manage_judging", contest) is False
    assert assigned.user.has_perm("judging.view_authors", assignment) is False  # blind round
    assert organiser.has_perm("judging.view_authors", assignment) is True
    Round.objects.filter(pk=setting["round"].pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert assigned.user.has_perm("judging.review_entry", assignment) is False
