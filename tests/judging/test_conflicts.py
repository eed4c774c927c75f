"""Conflicts of interest: declarations are always recorded, wait in a blind round, and are resolved in one step."""

import pytest

from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from judging.assignment import assignment_run
from judging.conflicts import conflict_declare, conflict_resolve, conflicts_declare, conflicts_pending
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, AssignmentRemoval, Conflict, Review
from judging.ranking import round_ranking
from judging.selectors.jury import juror_conflict_reason
from judging.services.reviews import review_save_draft, review_submit
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory(name=f"University {n}", name_en=f"University {n}") for n in range(4)]


@pytest.fixture
def setting(contest, unis):  # type: ignore[no-untyped-def]
    """A blind open round, k=2: entries A, B from university 0; jurors Dana and Arman both on both; Bolat free."""
    criteria = criteria_for(contest, 4, 2)
    entries = [entry_from(contest, unis[0]), entry_from(contest, unis[0])]
    dana, arman, bolat = (
        juror_in(contest, unis[1], name="Dana"),
        juror_in(contest, unis[2], name="Arman"),
        juror_in(contest, unis[3], name="Bolat"),
    )
    round = round_of(contest, entries, [dana, arman, bolat], k=2)
    for entry in entries:
        for juror in (dana, arman):
            Assignment.objects.create(round=round, juror=juror, entry=entry)
    return {"criteria": criteria, "entries": entries, "jurors": [dana, arman, bolat], "round": round}


def pairs(round):  # type: ignore[no-untyped-def]
    return sorted(
        (str(a.juror), a.entry.code) for a in Assignment.objects.filter(round=round).select_related("entry", "juror")
    )


def submit(setting, juror, entry, values=(4, 2)):  # type: ignore[no-untyped-def]
    scores = {c.pk: v for c, v in zip(setting["criteria"], values, strict=True)}
    return review_submit(actor=juror.user, round=setting["round"], entry=entry, scores=scores)


# --- Declaring ---------------------------------------------------------------------------------


def test_conflict_declare_in_a_blind_round_is_recorded_and_changes_nothing(setting, unis):
    dana, entry = setting["jurors"][0], setting["entries"][0]
    before = pairs(setting["round"])
    review_save_draft(actor=dana.user, round=setting["round"], entry=entry, scores={setting["criteria"][0].pk: 1})
    submit(setting, dana, setting["entries"][1])

    by_code = conflict_declare(actor=dana.user, juror=dana, code=f" {entry.code.lower()} ", reason="My former pupil")
    by_university = conflict_declare(actor=dana.user, juror=dana, university=unis[0])

    assert [
        (c.entry_id, c.code, c.university_id, c.reason, c.declared_by, c.state, c.resolved_at)
        for c in (by_code, by_university)
    ] == [
        (entry.pk, entry.code, None, "My former pupil", dana.user, "pending", None),
        (None, "", unis[0].pk, "", dana.user, "pending", None),
    ]
    assert pairs(setting["round"]) == before
    assert sorted(Review.objects.filter(juror=dana).values_list("status", flat=True)) == ["draft", "submitted"]


def test_conflict_declare_never_refused_when_reviews_are_submitted(setting, unis):
    dana = setting["jurors"][0]
    for entry in setting["entries"]:
        submit(setting, dana, entry)

    declared = conflicts_declare(actor=dana.user, juror=dana, universities=[unis[0]], codes=["NOPE42"])

    assert declared.summary() == (
        "Your declaration is recorded. The organisers will look at it and adjust your list of entries; "
        "until then your list stays as it is."
    )
    assert list(Conflict.objects.order_by("id").values_list("university", "code", "entry", "state")) == [
        (unis[0].pk, "", None, "pending"),
        (None, "NOPE42", None, "pending"),
    ]


def test_conflict_declare_twice_keeps_the_first_declaration(setting, unis):
    dana, entry = setting["jurors"][0], setting["entries"][0]

    first = conflict_declare(actor=dana.user, juror=dana, code=entry.code, reason="first")
    again = conflict_declare(actor=dana.user, juror=dana, entry=entry, reason="second")
    university = conflict_declare(actor=dana.user, juror=dana, university=unis[0])
    university_again = conflict_declare(actor=dana.user, juror=dana, university=unis[0])

    assert (again.pk, university_again.pk) == (first.pk, university.pk)
    assert Conflict.objects.count() == 2


def test_conflict_declare_code_of_another_contest_is_kept_as_typed_without_an_entry(setting, unis):
    dana = setting["jurors"][0]
    foreign = entry_from(ContestFactory(), unis[0])

    conflict = conflict_declare(actor=dana.user, juror=dana, code=foreign.code)

    assert (conflict.entry, conflict.code, conflict.state) == (None, foreign.code, "pending")


def test_conflict_declare_pending_already_counts_for_new_assignments(setting):
    dana, arman, bolat = setting["jurors"]
    entry = setting["entries"][0]
    conflict_declare(actor=bolat.user, juror=bolat, code=entry.code)

    reason = juror_conflict_reason(bolat, entry)
    Assignment.objects.filter(juror__in=[dana, arman], entry=entry).delete()
    assignment_run(actor=None, round=setting["round"], seed=1, k=2)

    assert reason == "Bolat has declared a conflict of interest with this entry."
    assert sorted(str(a.juror) for a in Assignment.objects.filter(entry=entry)) == ["Arman", "Dana"]


def test_conflict_declare_outside_blind_judging_withdraws_unfinished_assignments_at_once(setting, unis):
    setting["round"].blind = False
    setting["round"].save(update_fields=["blind"])
    dana = setting["jurors"][0]
    first, second = setting["entries"]
    submit(setting, dana, first)

    declared = conflicts_declare(actor=dana.user, juror=dana, universities=[unis[0]])

    # The entry with a submitted review stays with Dana until the organisers decide about the review.
    assert [(str(j), code) for j, code in pairs(setting["round"]) if j == "Dana"] == [("Dana", first.code)]
    assert (declared.conflicts[0].state, declared.withdrawn) == ("pending", 1)
    assert declared.summary() == (
        "1 conflict of interest is recorded. The organisers will decide about the reviews already submitted. "
        "1 assignment was withdrawn; the organisers will give that entry to another juror."
    )
    assert second.code not in [code for juror, code in pairs(setting["round"]) if juror == "Dana"]


def test_conflict_declare_by_an_organiser_withdraws_and_replaces_at_once(setting, organiser):
    dana, entry = setting["jurors"][0], setting["entries"][0]

    conflict = conflict_declare(actor=organiser, juror=dana, entry=entry, reason="Her nephew")

    assert (conflict.state, conflict.resolved_by, conflict.withdrawn, conflict.replaced) == (
        "resolved",
        organiser,
        1,
        1,
    )
    assert pairs(setting["round"]) == sorted(
        [
            ("Arman", entry.code),
            ("Bolat", entry.code),
            ("Arman", setting["entries"][1].code),
            ("Dana", setting["entries"][1].code),
        ]
    )
    assert AssignmentRemoval.objects.filter(juror=dana, entry=entry).count() == 1


def test_conflict_declare_by_an_organiser_touching_a_submitted_review_waits_for_their_decision(setting, organiser):
    dana, entry = setting["jurors"][0], setting["entries"][0]
    submit(setting, dana, entry)

    conflict = conflict_declare(actor=organiser, juror=dana, entry=entry)

    assert conflict.state == "pending"
    assert ("Dana", entry.code) in pairs(setting["round"])


def test_conflict_declare_for_another_juror_by_a_juror_is_refused(setting):
    dana, arman, _bolat = setting["jurors"]

    with pytest.raises(NotAllowed):
        conflict_declare(actor=dana.user, juror=arman, entry=setting["entries"][0])
    with pytest.raises(BaigeError) as neither:
        conflict_declare(actor=dana.user, juror=dana)

    assert str(neither.value) == "Name either the entry or the university of the conflict."
    assert Conflict.objects.count() == 0


# --- Resolving ---------------------------------------------------------------------------------


def test_conflict_resolve_withdraws_replaces_and_keeps_a_submitted_review(setting, organiser, unis):
    dana = setting["jurors"][0]
    first, second = setting["entries"]
    submit(setting, dana, first)
    conflict = conflict_declare(actor=dana.user, juror=dana, university=unis[0])

    resolved = conflict_resolve(actor=organiser, conflict=conflict, reviews="kept", reason="Scored before she knew")

    assert (
        resolved.state,
        resolved.resolved_by,
        resolved.review_decision,
        resolved.resolution_reason,
        resolved.withdrawn,
        resolved.replaced,
    ) == ("resolved", organiser, "kept", "Scored before she knew", 1, 1)
    assert resolved.resolved_at is not None
    assert pairs(setting["round"]) == sorted(
        [("Dana", first.code), ("Arman", first.code), ("Arman", second.code), ("Bolat", second.code)]
    )
    assert Review.objects.get(juror=dana, entry=first).status == ReviewStatus.SUBMITTED


def test_conflict_resolve_sets_a_submitted_review_aside_and_the_ranking_ignores_it(setting, organiser):
    dana, arman, bolat = setting["jurors"]
    first, _second = setting["entries"]
    submit(setting, dana, first, (0, 0))  # 0
    submit(setting, arman, first, (4, 2))  # 100
    conflict = conflict_declare(actor=dana.user, juror=dana, code=first.code)
    before = {row.code: (row.reviews, row.mean) for row in round_ranking(setting["round"]).rows()}

    conflict_resolve(actor=organiser, conflict=conflict, reviews="set_aside", reason="Her own student's entry")

    review = Review.objects.get(juror=dana, entry=first)
    after = {row.code: (row.reviews, row.mean) for row in round_ranking(setting["round"]).rows()}
    assert (review.status, review.set_aside_by, review.set_aside_reason) == (
        "set_aside",
        organiser,
        "Her own student's entry",
    )
    assert review.set_aside_at is not None
    assert (before[first.code], after[first.code]) == ((2, 50.0), (1, 100.0))
    assert sorted(str(a.juror) for a in Assignment.objects.filter(entry=first)) == ["Arman", "Bolat"]
    assert bolat.pk in Assignment.objects.filter(entry=first).values_list("juror", flat=True)


def test_conflict_resolve_without_a_free_juror_still_withdraws(setting, organiser):
    dana, _arman, bolat = setting["jurors"]
    bolat.max_load = 0
    bolat.save(update_fields=["max_load"])
    entry = setting["entries"][0]
    conflict = conflict_declare(actor=dana.user, juror=dana, entry=entry)

    resolved = conflict_resolve(actor=organiser, conflict=conflict)

    assert (resolved.withdrawn, resolved.replaced) == (1, 0)
    assert [str(a.juror) for a in Assignment.objects.filter(entry=entry)] == ["Arman"]


def test_conflict_resolve_of_a_code_without_entry_touches_nothing(setting, organiser):
    dana = setting["jurors"][0]
    before = pairs(setting["round"])
    conflict = conflict_declare(actor=dana.user, juror=dana, code="NOPE42")

    resolved = conflict_resolve(actor=organiser, conflict=conflict)

    assert (resolved.state, resolved.withdrawn, resolved.review_decision) == ("resolved", 0, "")
    assert pairs(setting["round"]) == before


def test_conflict_resolve_touching_a_submitted_review_needs_a_decision_and_a_reason(setting, organiser):
    dana, entry = setting["jurors"][0], setting["entries"][0]
    submit(setting, dana, entry)
    conflict = conflict_declare(actor=dana.user, juror=dana, entry=entry)

    with pytest.raises(BaigeError) as undecided:
        conflict_resolve(actor=organiser, conflict=conflict)
    with pytest.raises(BaigeError) as unexplained:
        conflict_resolve(actor=organiser, conflict=conflict, reviews="set_aside", reason="  ")

    assert (undecided.value.code, str(undecided.value)) == (
        "decide_reviews",
        "The juror has submitted 1 review this declaration touches: keep it or set it aside.",
    )
    assert (unexplained.value.code, str(unexplained.value)) == (
        "reason_needed",
        "Give the reason of your decision about the submitted reviews.",
    )
    assert Conflict.objects.get(pk=conflict.pk).state == "pending"
    assert Review.objects.get(juror=dana, entry=entry).status == "submitted"


def test_conflict_resolve_twice_refused(setting, organiser):
    dana = setting["jurors"][0]
    conflict = conflict_declare(actor=dana.user, juror=dana, code=setting["entries"][0].code)
    conflict_resolve(actor=organiser, conflict=conflict)

    with pytest.raises(BaigeError) as again:
        conflict_resolve(actor=organiser, conflict=conflict)

    assert (again.value.code, str(again.value)) == ("conflict_resolved", "This declaration is already resolved.")


@pytest.mark.parametrize("who", ["juror", "participant", "other_organiser", "anonymous"])
def test_conflict_resolve_by_anyone_but_an_organiser_refused(setting, who):
    from django.contrib.auth.models import AnonymousUser

    dana, entry = setting["jurors"][0], setting["entries"][0]
    conflict = conflict_declare(actor=dana.user, juror=dana, entry=entry)
    actor = {
        "juror": lambda: dana.user,
        "participant": lambda: ProfileFactory().user,
        "other_organiser": lambda: ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
        "anonymous": AnonymousUser,
    }[who]()
    before = pairs(setting["round"])

    with pytest.raises(NotAllowed):
        conflict_resolve(actor=actor, conflict=conflict)

    assert Conflict.objects.get(pk=conflict.pk).state == "pending"
    assert pairs(setting["round"]) == before


def test_conflicts_pending_lists_what_each_touches(setting, organiser, unis):
    dana, arman, _bolat = setting["jurors"]
    first, second = setting["entries"]
    submit(setting, dana, first)
    by_university = conflict_declare(actor=dana.user, juror=dana, university=unis[0])
    by_code = conflict_declare(actor=arman.user, juror=arman, code="NOPE42")
    conflict_resolve(actor=organiser, conflict=conflict_declare(actor=arman.user, juror=arman, code=second.code))
    closed = round_of(setting["round"].contest, [first], [dana], number=2, status=RoundStatus.CLOSED)
    Assignment.objects.create(round=closed, juror=dana, entry=first)

    pending = conflicts_pending(setting["round"].contest)

    assert [c.pk for c in pending] == [by_university.pk, by_code.pk]
    assert [(t.entry.code, t.submitted) for t in pending[0].touched] == sorted(
        [(first.code, True), (second.code, False)]
    )
    assert (pending[0].touches_reviews, pending[1].touched, pending[1].touches_reviews) == (True, [], False)
    assert [c.pk for c in conflicts_pending(setting["round"].contest, round=closed)] == [by_university.pk]


def test_conflict_declare_beyond_the_most_a_juror_may_make_refused(setting, organiser, monkeypatch):
    from judging import conflicts

    monkeypatch.setattr(conflicts, "MAX_DECLARATIONS", 2)
    dana = setting["jurors"][0]
    conflict_declare(actor=dana.user, juror=dana, code="ONE")
    conflict_declare(actor=dana.user, juror=dana, code="TWO")

    again = conflict_declare(actor=dana.user, juror=dana, code="two")
    with pytest.raises(BaigeError) as refused:
        conflict_declare(actor=dana.user, juror=dana, code="THREE")
    by_organiser = conflict_declare(actor=organiser, juror=dana, code=setting["entries"][0].code)

    assert (refused.value.code, str(refused.value)) == (
        "too_many_conflicts",
        "You have declared 2 conflicts, the most there can be; write to the organisers.",
    )
    assert again.code == "TWO"
    assert by_organiser.state == "resolved"
    assert Conflict.objects.filter(juror=dana).count() == 3
