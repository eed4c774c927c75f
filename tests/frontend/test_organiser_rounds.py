import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import EntryStatus, Role
from contest.models import Contest, Entry
from judging.enums import AssignmentOrigin, ReviewStatus, RoundStatus
from judging.models import Assignment, Conflict, Criterion, Review, Round, RoundEntry, RoundJuror, Score
from judging.services.assignments import assignment_preview
from tests.factories import ContestFactory, ContestRoleFactory, EntryFactory, UniversityFactory, UserFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


def url(name, contest, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def round_data(jurors, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name_kk": "Іріктеу",
        "name_ru": "Отбор",
        "name_en": "Screening",
        "reviews_per_entry": "2",
        "blind": "on",
        "opens_at": "2030-05-01T09:00",
        "closes_at": "2030-05-20T18:00",
        "jurors": [str(juror.pk) for juror in jurors],
        "entries_from": "submitted",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def judging_state(contest):  # type: ignore[no-untyped-def]
    """Everything the round pages can change, to check that a refused request changed nothing."""
    return (
        sorted(
            Round.objects.filter(contest=contest).values_list(
                "pk", "number", "name_en", "status", "reviews_per_entry", "blind", "opens_at", "closes_at"
            )
        ),
        sorted(RoundEntry.objects.filter(round__contest=contest).values_list("round_id", "entry_id", "shortlisted")),
        sorted(RoundJuror.objects.filter(round__contest=contest).values_list("round_id", "juror_id")),
        sorted(Assignment.objects.filter(round__contest=contest).values_list("round_id", "juror_id", "entry_id")),
    )


def pairs(round):  # type: ignore[no-untyped-def]
    return sorted(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))


@pytest.fixture
def unis(db):  # type: ignore[no-untyped-def]
    return [UniversityFactory(), UniversityFactory(), UniversityFactory(), UniversityFactory()]


@pytest.fixture
def setting(contest, unis):  # type: ignore[no-untyped-def]
    """A rubric; four entries (two from university 0, two from 1); three jurors (from 1, 2, 3); a draft round."""
    criteria_for(contest, 4)
    entries = [entry_from(contest, unis[0]), entry_from(contest, unis[0])]
    entries += [entry_from(contest, unis[1]), entry_from(contest, unis[1])]
    jurors = [
        juror_in(contest, unis[1], name="Dana"),
        juror_in(contest, unis[2], name="Arman"),
        juror_in(contest, unis[3], name="Aigerim"),
    ]
    round = round_of(contest, entries, jurors, k=2, status=RoundStatus.DRAFT)
    return {"entries": entries, "jurors": jurors, "round": round}


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


def every_request(contest, setting):  # type: ignore[no-untyped-def]
    round, jurors, entries = setting["round"], setting["jurors"], setting["entries"]
    number = {"number": round.number}
    return [
        ("get", url("organiser_rounds", contest), None),
        ("get", url("organiser_round_new", contest), None),
        ("post", url("organiser_round_new", contest), round_data(jurors)),
        ("get", url("organiser_round_edit", contest, **number), None),
        ("post", url("organiser_round_edit", contest, **number), round_data(jurors, name_en="Changed")),
        ("get", url("organiser_round_open", contest, **number), None),
        ("post", url("organiser_round_open", contest, **number), {}),
        ("get", url("organiser_round_close", contest, **number), None),
        ("post", url("organiser_round_close", contest, **number), {}),
        ("get", url("organiser_round_shortlist", contest, **number), None),
        ("post", url("organiser_round_shortlist", contest, **number), {"action": "top", "per_nomination": "1"}),
        ("get", url("organiser_round_assign", contest, **number), None),
        ("post", url("organiser_round_assign", contest, **number), {"action": "preview", "k": "2", "seed": "1"}),
        ("post", url("organiser_round_assign", contest, **number), {"action": "save", "k": "2", "seed": "1"}),
        (
            "post",
            url("organiser_assignment_add", contest, **number),
            {"juror": jurors[1].pk, "code": entries[0].code},
        ),
        (
            "post",
            url("organiser_assignment_remove", contest, **number),
            {"juror": jurors[1].pk, "entry": entries[0].pk},
        ),
    ]


# Permissions


def test_round_pages_for_anonymous_redirect_to_login(client, contest, setting):
    before = judging_state(contest)

    for method, address, data in every_request(contest, setting):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert judging_state(contest) == before


@pytest.fixture(params=["participant", "juror", "assigned_juror", "unassigned_juror", "organiser_of_another_contest"])
def refused_user(request, contest, setting):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        juror = setting["jurors"][1]
        Assignment.objects.create(round=setting["round"], juror=juror, entry=setting["entries"][0])
        return juror.user
    if request.param == "unassigned_juror":
        return setting["jurors"][2].user
    return request.getfixturevalue(request.param)


def test_round_pages_for_others_forbidden(client, contest, setting, refused_user):
    client.force_login(refused_user)
    before = judging_state(contest)

    for method, address, data in every_request(contest, setting):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert judging_state(contest) == before


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_round_pages_open_for_organiser_and_superuser(request, client, contest, setting, who):
    client.force_login(UserFactory(is_superuser=True) if who == "superuser" else request.getfixturevalue("organiser"))

    statuses = [
        getattr(client, method)(address).status_code
        for method, address, _data in every_request(contest, setting)
        if method == "get"
    ]

    assert statuses == [200] * 7


def test_round_of_another_contest_not_found(organiser_client, contest, setting):
    foreign = round_of(ContestFactory(), [], [], number=7, status=RoundStatus.DRAFT)

    responses = [
        organiser_client.get(url("organiser_round_edit", contest, number=7)),
        organiser_client.post(url("organiser_round_open", contest, number=7)),
        organiser_client.get(url("organiser_round_assign", contest, number=7)),
        organiser_client.post(url("organiser_assignment_add", contest, number=7), {}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Round.objects.get(pk=foreign.pk).status == RoundStatus.DRAFT


# Creating and changing rounds


def test_round_create_reads_times_on_the_contest_clock_and_takes_every_submitted_entry(
    organiser_client, contest, setting
):
    Contest.objects.filter(pk=contest.pk).update(timezone="Asia/Bishkek")
    EntryFactory(contest=contest, status=EntryStatus.DRAFT)
    chosen = setting["jurors"][:2]

    response = organiser_client.post(url("organiser_round_new", contest), round_data(chosen, blind=None))

    assert response.status_code == 302
    assert response["Location"] == url("organiser_rounds", contest)
    made = Round.objects.get(contest=contest, number=2)
    assert (made.name_kk, made.name_ru, made.name_en, made.reviews_per_entry, made.blind, made.status) == (
        "Іріктеу",
        "Отбор",
        "Screening",
        2,
        False,
        RoundStatus.DRAFT,
    )
    assert (made.opens_at, made.closes_at) == (
        datetime(2030, 5, 1, 3, 0, tzinfo=UTC),
        datetime(2030, 5, 20, 12, 0, tzinfo=UTC),
    )
    assert sorted(made.entries.values_list("pk", flat=True)) == sorted(e.pk for e in setting["entries"])
    assert sorted(made.jurors.values_list("pk", flat=True)) == [j.pk for j in chosen]


def test_round_new_form_ticks_the_whole_jury(organiser_client, contest, setting):
    page = organiser_client.get(url("organiser_round_new", contest)).content.decode()

    assert page.count('name="jurors"') == 3
    assert len(re.findall(r'name="jurors" value="\d+"[^>]*checked', page)) == 3


def test_round_create_with_every_juror_has_no_reviews_per_entry(organiser_client, contest, setting):
    data = round_data(setting["jurors"], every_juror="on", reviews_per_entry="")

    organiser_client.post(url("organiser_round_new", contest), data)

    assert Round.objects.get(contest=contest, number=2).reviews_per_entry is None


def test_round_create_from_the_shortlist_of_a_closed_round(organiser_client, contest, setting):
    first = setting["round"]
    Round.objects.filter(pk=first.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    RoundEntry.objects.filter(round=first, entry=setting["entries"][2]).update(shortlisted=True)

    response = organiser_client.post(
        url("organiser_round_new", contest), round_data(setting["jurors"], entries_from="1", name_en="Final")
    )

    assert response.status_code == 302
    final = Round.objects.get(contest=contest, number=2)
    assert (final.source_round_id, list(final.entries.values_list("pk", flat=True))) == (
        first.pk,
        [setting["entries"][2].pk],
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_kk": "", "name_ru": "", "name_en": ""}, "Give the round&#x27;s name in at least one language."),
        ({"reviews_per_entry": ""}, "Give the number of reviews per entry, or let every juror score."),
        ({"closes_at": "2030-04-30T09:00"}, "A round must close after it opens."),
        ({"entries_from": "5"}, "Select a valid choice. 5 is not one of the available choices."),
    ],
)
def test_round_create_when_input_is_wrong_is_refused(organiser_client, contest, setting, changes, message):
    before = judging_state(contest)

    response = organiser_client.post(url("organiser_round_new", contest), round_data(setting["jurors"], **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert judging_state(contest) == before


def test_round_edit_changes_settings_and_jurors(organiser_client, contest, setting):
    round, jurors = setting["round"], setting["jurors"]

    response = organiser_client.post(
        url("organiser_round_edit", contest, number=round.number),
        round_data([jurors[0], jurors[2]], name_en="Screening 2", reviews_per_entry="1", opens_at="", closes_at=""),
    )

    assert response.status_code == 302
    saved = Round.objects.get(pk=round.pk)
    assert (saved.name_en, saved.reviews_per_entry, saved.opens_at, saved.closes_at) == ("Screening 2", 1, None, None)
    assert sorted(saved.jurors.values_list("pk", flat=True)) == [jurors[0].pk, jurors[2].pk]


def test_round_edit_when_closed_is_refused_with_the_reason(organiser_client, contest, setting):
    round = setting["round"]
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    before = judging_state(contest)

    response = organiser_client.post(
        url("organiser_round_edit", contest, number=round.number), round_data(setting["jurors"], name_en="Late")
    )

    assert response.status_code == 400
    assert "is closed: nothing in it can change any more." in response.content.decode()
    assert judging_state(contest) == before


# Opening and closing


def test_round_open_asks_for_confirmation_then_opens(organiser_client, contest, setting):
    address = url("organiser_round_open", contest, number=1)

    confirm = organiser_client.get(address)
    assert Round.objects.get(pk=setting["round"].pk).status == RoundStatus.DRAFT
    response = organiser_client.post(address)

    assert "Once the round is open, its jurors can score the entries assigned to them." in confirm.content.decode()
    assert response.status_code == 302
    assert Round.objects.get(pk=setting["round"].pk).status == RoundStatus.OPEN


def test_round_open_without_criteria_is_refused_with_the_reason(organiser_client, contest, setting):
    Criterion.objects.filter(rubric__contest=contest).delete()

    response = organiser_client.post(url("organiser_round_open", contest, number=1), follow=True)

    assert "Add the rubric&#x27;s criteria before opening a round." in response.content.decode()
    assert Round.objects.get(pk=setting["round"].pk).status == RoundStatus.DRAFT


def test_round_close_asks_for_confirmation_then_closes(organiser_client, contest, setting):
    Round.objects.filter(pk=setting["round"].pk).update(status=RoundStatus.OPEN)
    address = url("organiser_round_close", contest, number=1)

    confirm = organiser_client.get(address)
    response = organiser_client.post(address)

    assert "Once the round is closed, its reviews can no longer change" in confirm.content.decode()
    assert response.status_code == 302
    closed = Round.objects.get(pk=setting["round"].pk)
    assert (closed.status, closed.closed_at is not None) == (RoundStatus.CLOSED, True)


def test_round_close_of_a_draft_round_is_refused(organiser_client, contest, setting):
    response = organiser_client.post(url("organiser_round_close", contest, number=1), follow=True)

    assert "Only an open round can be closed." in response.content.decode()
    assert Round.objects.get(pk=setting["round"].pk).status == RoundStatus.DRAFT


# Shortlist


def _submitted(round, juror, entry, value):  # type: ignore[no-untyped-def]
    review = Review.objects.create(
        round=round, juror=juror, entry=entry, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    criterion = Criterion.objects.get(rubric__contest=round.contest)
    Score.objects.create(review=review, criterion=criterion, value=value, max_score=criterion.max_score)


@pytest.fixture
def scored(setting):  # type: ignore[no-untyped-def]
    """The round closed, every entry in one nomination, scored 1, 4, 3, 2 of 4 by one juror."""
    round, entries = setting["round"], setting["entries"]
    Entry.objects.filter(pk__in=[e.pk for e in entries]).update(nomination=entries[0].nomination)
    for entry, value in zip(entries, (1, 4, 3, 2), strict=True):
        _submitted(round, setting["jurors"][1], entry, value)
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    return setting


def shortlisted(round):  # type: ignore[no-untyped-def]
    return sorted(RoundEntry.objects.filter(round=round, shortlisted=True).values_list("entry_id", flat=True))


def test_shortlist_top_per_nomination_marks_the_best_entries(organiser_client, contest, scored):
    entries = scored["entries"]

    response = organiser_client.post(
        url("organiser_round_shortlist", contest, number=1), {"action": "top", "per_nomination": "2"}
    )

    assert response.status_code == 302
    assert shortlisted(scored["round"]) == sorted([entries[1].pk, entries[2].pk])


def test_shortlist_page_lists_means_and_ticks_the_shortlist(organiser_client, contest, scored):
    RoundEntry.objects.filter(round=scored["round"], entry=scored["entries"][3]).update(shortlisted=True)

    page = organiser_client.get(url("organiser_round_shortlist", contest, number=1)).content.decode()

    order = sorted(scored["entries"], key=lambda e: page.index(f'id="standing-{e.code}"'))
    assert order == [scored["entries"][i] for i in (1, 2, 3, 0)]
    for mean in ("100.00", "75.00", "50.00", "25.00"):
        assert mean in page
    assert page.count("checked") == 1


def test_shortlist_by_hand_marks_exactly_the_ticked_entries(organiser_client, contest, scored):
    entries = scored["entries"]
    RoundEntry.objects.filter(round=scored["round"], entry=entries[1]).update(shortlisted=True)

    organiser_client.post(
        url("organiser_round_shortlist", contest, number=1),
        {"action": "choose", "entries": [entries[0].pk, entries[3].pk]},
    )

    assert shortlisted(scored["round"]) == sorted([entries[0].pk, entries[3].pk])


def test_shortlist_of_a_round_not_closed_is_refused_with_the_reason(organiser_client, contest, setting):
    response = organiser_client.post(
        url("organiser_round_shortlist", contest, number=1), {"action": "top", "per_nomination": "2"}
    )

    assert response.status_code == 409
    assert response.content.decode().count("Close the round before shortlisting its entries.") == 2
    assert shortlisted(setting["round"]) == []


def test_shortlist_by_hand_with_an_entry_of_another_round_is_refused(organiser_client, contest, scored):
    outsider = entry_from(contest, None)

    response = organiser_client.post(
        url("organiser_round_shortlist", contest, number=1), {"action": "choose", "entries": [outsider.pk]}
    )

    assert response.status_code == 400
    assert "Only entries of this round can be shortlisted from it." in response.content.decode()
    assert shortlisted(scored["round"]) == []


# Automatic assignment


def test_assignment_preview_saves_nothing_and_shows_loads_and_jurors_per_entry(organiser_client, contest, setting):
    round = setting["round"]
    manual = Assignment.objects.create(
        round=round, juror=setting["jurors"][1], entry=setting["entries"][0], origin=AssignmentOrigin.MANUAL
    )
    before = judging_state(contest)

    response = organiser_client.post(
        url("organiser_round_assign", contest, number=1), {"action": "preview", "k": "2", "seed": "7"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert judging_state(contest) == before
    assert Assignment.objects.filter(round=round).count() == 1
    assert "Preview: nothing is saved yet." in page
    assert "7 new assignments, 1 kept, 0 automatic ones replaced." in page
    assert "2 reviews per entry, seed 7." in page
    assert "Entries per juror: from 2 to 3." in page
    for entry in setting["entries"]:
        assert f'id="preview-{entry.code}"' in page
    assert Round.objects.get(pk=round.pk).assignment_seed is None
    assert manual.pk in Assignment.objects.values_list("pk", flat=True)


def test_assignment_save_gives_exactly_the_previewed_assignment(organiser_client, organiser, contest, setting):
    round = setting["round"]
    preview = assignment_preview(actor=organiser, round=round, k=2, seed=11)
    assert pairs(round) == []

    response = organiser_client.post(
        url("organiser_round_assign", contest, number=1), {"action": "save", "k": "2", "seed": "11"}
    )

    assert response.status_code == 302
    assert pairs(round) == sorted(preview.pairs)
    assert len(preview.pairs) == 8
    saved = Round.objects.get(pk=round.pk)
    assert (saved.assignment_seed, saved.reviews_per_entry) == (11, 2)


def test_assignment_preview_of_an_every_juror_round_gives_each_entry_every_juror_without_a_conflict(
    organiser_client, contest, setting
):
    round, entries = setting["round"], setting["entries"]
    Round.objects.filter(pk=round.pk).update(reviews_per_entry=None)

    response = organiser_client.post(
        url("organiser_round_assign", contest, number=1), {"action": "preview", "k": "", "seed": "0"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Every juror scores every entry." in page
    assert "10 new assignments, 0 kept, 0 automatic ones replaced." in page
    row = page[page.index(f'id="preview-{entries[2].code}"') :]
    row = row[: row.index("</tr>")]
    assert ("Arman" in row, "Aigerim" in row, "Dana" in row) == (True, True, False)
    assert pairs(round) == []


def test_assignment_preview_when_infeasible_names_the_entries_and_why(organiser_client, contest, setting, unis):
    round = setting["round"]
    Round.objects.filter(pk=round.pk).update(reviews_per_entry=3)
    before = judging_state(contest)

    response = organiser_client.post(
        url("organiser_round_assign", contest, number=1), {"action": "preview", "k": "3", "seed": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "The jurors cannot be assigned:" in page
    for entry in setting["entries"][2:]:
        assert entry.code in page
    assert "only 2 more jurors can be assigned, 3 needed" in page
    assert "1 is from an author&#x27;s university" in page
    assert judging_state(contest) == before


# Assignments by hand


def test_assignment_add_by_hand_assigns_the_juror(organiser_client, contest, setting):
    round, juror, entry = setting["round"], setting["jurors"][1], setting["entries"][0]

    response = organiser_client.post(
        url("organiser_assignment_add", contest, number=1), {"juror": juror.pk, "code": entry.code.lower()}, follow=True
    )

    assert f"Arman is assigned to entry {entry.code}." in response.content.decode()
    assert list(Assignment.objects.filter(round=round).values_list("juror_id", "entry_id", "origin")) == [
        (juror.pk, entry.pk, AssignmentOrigin.MANUAL)
    ]


def test_assignment_add_with_a_conflict_is_refused_with_the_conflict_message(organiser_client, contest, setting):
    round, juror, entry = setting["round"], setting["jurors"][0], setting["entries"][2]

    response = organiser_client.post(
        url("organiser_assignment_add", contest, number=1), {"juror": juror.pk, "code": entry.code}, follow=True
    )

    assert "Dana is from the same university as an author of this entry." in response.content.decode()
    assert pairs(round) == []


def test_assignment_add_with_a_declared_conflict_is_refused_with_the_conflict_message(
    organiser_client, contest, setting
):
    round, juror, entry = setting["round"], setting["jurors"][2], setting["entries"][0]
    Conflict.objects.create(juror=juror, entry=entry, reason="My student")

    response = organiser_client.post(
        url("organiser_assignment_add", contest, number=1), {"juror": juror.pk, "code": entry.code}, follow=True
    )

    assert "Aigerim has declared a conflict of interest with this entry." in response.content.decode()
    assert pairs(round) == []


def test_assignment_add_with_an_unknown_code_is_refused(organiser_client, contest, setting):
    response = organiser_client.post(
        url("organiser_assignment_add", contest, number=1), {"juror": setting["jurors"][1].pk, "code": "NOPE99"}
    )

    assert response.status_code == 400
    assert "No entry of this round has the code NOPE99." in response.content.decode()
    assert pairs(setting["round"]) == []


def test_assignment_remove_by_hand_takes_the_entry_away(organiser_client, contest, setting):
    round, juror, entry = setting["round"], setting["jurors"][1], setting["entries"][0]
    Assignment.objects.create(round=round, juror=juror, entry=entry)

    response = organiser_client.post(
        url("organiser_assignment_remove", contest, number=1), {"juror": juror.pk, "entry": entry.pk}, follow=True
    )

    assert f"Arman is no longer assigned to entry {entry.code}." in response.content.decode()
    assert pairs(round) == []


def test_assignment_remove_with_a_submitted_review_is_refused_with_the_reason(organiser_client, contest, setting):
    round, juror, entry = setting["round"], setting["jurors"][1], setting["entries"][0]
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    _submitted(round, juror, entry, 3)

    response = organiser_client.post(
        url("organiser_assignment_remove", contest, number=1), {"juror": juror.pk, "entry": entry.pk}, follow=True
    )

    assert f"Arman has already submitted a review of entry {entry.code}." in response.content.decode()
    assert pairs(round) == [(entry.pk, juror.pk)]


def test_assign_page_lists_current_assignments_per_entry_and_per_juror(organiser_client, contest, setting):
    round, jurors, entries = setting["round"], setting["jurors"], setting["entries"]
    Assignment.objects.create(round=round, juror=jurors[1], entry=entries[0], origin=AssignmentOrigin.MANUAL)
    Assignment.objects.create(round=round, juror=jurors[2], entry=entries[0])

    page = organiser_client.get(url("organiser_round_assign", contest, number=1)).content.decode()

    row = page[page.index(f'id="current-{entries[0].code}"') :]
    row = row[: row.index("</tr>")]
    assert ("Arman" in row, "Aigerim" in row, "(by hand)" in row, "Dana" in row) == (True, True, True, False)
    assert "Entries per juror: from 0 to 1." in page


# Query counts


def test_rounds_page_query_count_does_not_grow_with_rounds(
    organiser_client, contest, setting, django_assert_max_num_queries, django_assert_num_queries
):
    address = url("organiser_rounds", contest)
    with django_assert_max_num_queries(12) as one:
        organiser_client.get(address)
    for number in range(2, 7):
        round_of(contest, setting["entries"], setting["jurors"], number=number, status=RoundStatus.CLOSED)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(address)

    assert response.content.decode().count('<tr id="round-') == 6


def test_assign_page_query_count_does_not_grow_with_entries_and_jurors(
    organiser_client, contest, setting, django_assert_max_num_queries, django_assert_num_queries
):
    round = round_of(contest, setting["entries"][:1], setting["jurors"][1:2], number=2, status=RoundStatus.DRAFT)
    Assignment.objects.create(round=round, juror=setting["jurors"][1], entry=setting["entries"][0])
    address = url("organiser_round_assign", contest, number=2)
    with django_assert_max_num_queries(15) as one:
        organiser_client.get(address)
    more_entries = [entry_from(contest, None) for _ in range(6)]
    more_jurors = [juror_in(contest, None, name=f"Juror {index}") for index in range(4)]
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in more_entries)
    RoundJuror.objects.bulk_create(RoundJuror(round=round, juror=juror) for juror in more_jurors)
    for entry in more_entries:
        for juror in more_jurors[:2]:
            Assignment.objects.create(round=round, juror=juror, entry=entry)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(address)

    assert response.content.decode().count('<tr id="current-') == 7


def test_assignment_preview_query_count_does_not_grow_with_entries(
    organiser_client, contest, setting, django_assert_max_num_queries, django_assert_num_queries
):
    address = url("organiser_round_assign", contest, number=1)
    data = {"action": "preview", "k": "1", "seed": "3"}
    with django_assert_max_num_queries(60) as one:
        organiser_client.post(address, data)
    more = [entry_from(contest, None) for _ in range(6)]
    RoundEntry.objects.bulk_create(RoundEntry(round=setting["round"], entry=entry) for entry in more)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.post(address, data)

    assert response.content.decode().count('id="preview-') == 10


def test_shortlist_page_query_count_does_not_grow_with_entries(
    organiser_client, contest, scored, django_assert_max_num_queries, django_assert_num_queries
):
    round = round_of(contest, scored["entries"][:1], scored["jurors"], number=2, status=RoundStatus.CLOSED)
    _submitted(round, scored["jurors"][1], scored["entries"][0], 2)
    address = url("organiser_round_shortlist", contest, number=2)
    with django_assert_max_num_queries(12) as one:
        organiser_client.get(address)
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in scored["entries"][1:])
    for entry in scored["entries"][1:]:
        _submitted(round, scored["jurors"][2], entry, 1)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(address)

    assert response.content.decode().count('id="standing-') == 4
