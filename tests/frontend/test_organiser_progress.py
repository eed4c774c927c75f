from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from frontend.templatetags.organiser_links import entry_link
from judging.enums import AssignmentOrigin, ReviewStatus, RoundStatus
from judging.models import Assignment, JurorReminder, Review, Round
from tests.factories import ContestFactory, ContestRoleFactory, UniversityFactory
from tests.judging import entry_from, juror_in, round_of

NOW = timezone.now()


def url(name, round, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": round.contest.slug, "number": round.number, **kwargs})


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def give(round, juror, entry, review=None, *, days_ago=5):  # type: ignore[no-untyped-def]
    assignment = Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    Assignment.objects.filter(pk=assignment.pk).update(created_at=NOW - timedelta(days=days_ago))
    if review is not None:
        Review.objects.create(
            round=round,
            juror=juror,
            entry=entry,
            status=review,
            submitted_at=NOW if review == ReviewStatus.SUBMITTED else None,
        )


@pytest.fixture
def judged(contest):  # type: ignore[no-untyped-def]
    """An open round, half its time gone: Anna has done 1 of 2 (on time), Boris 0 of 2 (behind), Vera 1 of 1."""
    far = UniversityFactory()
    anna = juror_in(contest, name="Anna")
    boris = juror_in(contest, name="Boris")
    vera = juror_in(contest, far, name="Vera")
    e1, e2, e3 = entry_from(contest, far), entry_from(contest, None), entry_from(contest, None)
    round = round_of(contest, [e1, e2, e3], [anna, boris, vera], k=2)
    Round.objects.filter(pk=round.pk).update(opens_at=NOW - timedelta(days=5), closes_at=NOW + timedelta(days=5))
    round.refresh_from_db()
    give(round, anna, e1, ReviewStatus.SUBMITTED)
    give(round, anna, e2, ReviewStatus.DRAFT)
    give(round, boris, e1)
    give(round, boris, e3)
    give(round, vera, e2, ReviewStatus.SUBMITTED)
    return {"round": round, "anna": anna, "boris": boris, "vera": vera, "entries": (e1, e2, e3)}


def every_request(judged):  # type: ignore[no-untyped-def]
    round, boris = judged["round"], judged["boris"]
    return [
        ("get", url("organiser_progress", round), None),
        ("post", url("organiser_progress_remind", round), {}),
        ("post", url("organiser_progress_remind", round), {"juror": boris.pk}),
        ("get", url("organiser_progress_juror", round, juror_id=boris.pk), None),
        ("post", url("organiser_progress_reassign", round, juror_id=boris.pk), {}),
    ]


def state(round):  # type: ignore[no-untyped-def]
    return (
        sorted(Assignment.objects.filter(round=round).values_list("juror_id", "entry_id")),
        sorted(Review.objects.filter(round=round).values_list("juror_id", "entry_id", "status")),
        list(JurorReminder.objects.filter(round=round).values_list("juror_id", "sent_at")),
    )


# Permissions


def test_progress_pages_for_anonymous_redirect_to_login(client, judged, mailoutbox):
    before = state(judged["round"])

    for method, address, data in every_request(judged):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert (state(judged["round"]), mailoutbox) == (before, [])


@pytest.fixture(params=["participant", "assigned_juror", "unassigned_juror", "organiser_of_another_contest"])
def refused_user(request, contest, judged):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        return judged["boris"].user
    if request.param == "unassigned_juror":
        return request.getfixturevalue("juror")
    return request.getfixturevalue("participant")


def test_progress_pages_for_others_forbidden(client, judged, refused_user, mailoutbox):
    client.force_login(refused_user)
    before = state(judged["round"])

    for method, address, data in every_request(judged):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert (state(judged["round"]), mailoutbox) == (before, [])


def test_progress_pages_of_a_missing_round_or_a_juror_of_another_round_not_found(client, contest, organiser, judged):
    client.force_login(organiser)
    stranger = juror_in(contest, name="Stranger")
    missing = Round(contest=contest, number=9)

    responses = [
        client.get(url("organiser_progress", missing)),
        client.post(url("organiser_progress_remind", missing)),
        client.get(url("organiser_progress_juror", judged["round"], juror_id=stranger.pk)),
        client.post(url("organiser_progress_reassign", judged["round"], juror_id=stranger.pk)),
        client.post(url("organiser_progress_remind", judged["round"]), {"juror": stranger.pk}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404, 404]


# The progress page


def test_progress_page_shows_each_juror_and_entry_and_the_totals(client, organiser, judged):
    client.force_login(organiser)
    e1, e2, e3 = judged["entries"]

    response = client.get(url("organiser_progress", judged["round"]))

    assert response.status_code == 200
    progress = response.context["progress"]
    assert [
        (str(row.juror), row.assigned, row.submitted, row.drafts, row.not_started, row.percent, row.behind)
        for row in progress.jurors
    ] == [("Anna", 2, 1, 1, 0, 50, False), ("Boris", 2, 0, 0, 2, 0, True), ("Vera", 1, 1, 0, 0, 100, False)]
    assert {row.entry.code: (row.needed, row.submitted, [str(j) for j in row.missing]) for row in progress.entries} == {
        e1.code: (2, 1, ["Boris"]),
        e2.code: (2, 1, ["Anna"]),
        e3.code: (2, 0, ["Boris"]),
    }
    assert (progress.assigned, progress.submitted, progress.percent) == (5, 2, 40)
    page = response.content.decode()
    assert 'id="remind-behind"' in page
    assert url("organiser_progress_juror", judged["round"], juror_id=judged["boris"].pk) in page


@pytest.mark.parametrize("size", [1, 8])
def test_progress_page_queries_do_not_grow_with_the_round(client, contest, organiser, django_assert_num_queries, size):
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(size)]
    entries = [entry_from(contest, None) for _ in range(size)]
    round = round_of(contest, entries, jurors, k=1)
    for index, entry in enumerate(entries):
        give(round, jurors[index], entry, ReviewStatus.SUBMITTED if index % 2 else ReviewStatus.DRAFT)
    client.force_login(organiser)
    address = url("organiser_progress", round)

    # User (the session is in the cache), contest, permission, round; the three of the progress; the contest's
    # entries in no round; the declarations of conflicts waiting for the organisers (none); the menu's links.
    with django_assert_num_queries(10):
        response = client.get(address)

    assert response.status_code == 200
    assert len(response.context["progress"].jurors) == size


@pytest.mark.parametrize("size", [1, 8])
def test_progress_juror_page_queries_do_not_grow_with_the_entries(
    client, contest, organiser, django_assert_num_queries, size
):
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(3)]
    entries = [entry_from(contest, None) for _ in range(size)]
    round = round_of(contest, entries, jurors, k=1)
    for entry in entries:
        give(round, jurors[0], entry)
    client.force_login(organiser)
    address = url("organiser_progress_juror", round, juror_id=jurors[0].pk)

    # User (the session is in the cache), contest, permission, round, juror; assignments, submitted reviews,
    # progress, jurors to choose; the menu's links.
    with django_assert_num_queries(10):
        response = client.get(address)

    assert response.status_code == 200
    assert len(response.context["assignments"]) == size
    assert [str(choice) for choice in response.context["choices"]] == ["Juror 1", "Juror 2"]


# Reminders


def test_remind_behind_emails_only_the_jurors_who_are_behind(
    client, organiser, judged, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_progress_remind", judged["round"]))

    assert response.status_code == 302
    assert response["Location"] == url("organiser_progress", judged["round"])
    assert [message.to for message in mailoutbox] == [[judged["boris"].user.email]]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 juror is reminded: Boris."]


def test_remind_one_juror_twice_sends_one_email(
    client, organiser, judged, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    address = url("organiser_progress_remind", judged["round"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(address, {"juror": judged["anna"].pk})
        again = client.post(address, {"juror": judged["anna"].pk})
        done = client.post(address, {"juror": judged["vera"].pk})

    assert [message.to for message in mailoutbox] == [[judged["anna"].user.email]]
    assert "You have scored 1 of 2 entries." in mailoutbox[0].body
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "Already reminded in the last 12 hours, so not again: Anna."
    )
    assert [str(m) for m in get_messages(done.wsgi_request)][-1] == "Nothing left to score, so not reminded: Vera."


def test_remind_in_a_closed_round_is_refused_with_a_message(client, organiser, judged, mailoutbox):
    Round.objects.filter(pk=judged["round"].pk).update(status=RoundStatus.CLOSED, closed_at=NOW)
    client.force_login(organiser)

    response = client.post(url("organiser_progress_remind", judged["round"]), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Reminders are only sent while the round is open."]
    assert (mailoutbox, JurorReminder.objects.count()) == ([], 0)


# Reassignment


def test_reassign_all_unfinished_entries_of_a_juror(client, organiser, judged):
    client.force_login(organiser)
    round, boris, anna, vera = judged["round"], judged["boris"], judged["anna"], judged["vera"]
    e1, _e2, e3 = judged["entries"]

    response = client.post(url("organiser_progress_reassign", round, juror_id=boris.pk), {"to": ""}, follow=True)

    # e1: Anna has it and Vera a conflict, so nobody may take it: nothing moves.
    assert [str(m) for m in response.context["messages"]] == [
        f"Nothing was moved: {e1.code}: every other juror of the round is already assigned to it, "
        "has a conflict of interest with it or is at their limit"
    ]
    assert sorted(Assignment.objects.filter(round=round, juror=boris).values_list("entry_id", flat=True)) == sorted(
        [e1.pk, e3.pk]
    )

    response = client.post(
        url("organiser_progress_reassign", round, juror_id=boris.pk), {"entry": e3.code, "to": ""}, follow=True
    )

    # e3 alone: Vera has 1 entry, Anna 2, so Vera takes it.
    assert [str(m) for m in response.context["messages"]] == [f"1 entry is moved: {e3.code} → Vera."]
    assert Assignment.objects.filter(round=round, juror=vera, entry=e3).exists()
    assert not Assignment.objects.filter(round=round, juror=boris, entry=e3).exists()
    assert Assignment.objects.filter(round=round, juror=anna).count() == 2


def test_reassign_to_a_chosen_juror(client, organiser, judged):
    client.force_login(organiser)
    round, boris, anna = judged["round"], judged["boris"], judged["anna"]
    e3 = judged["entries"][2]

    response = client.post(
        url("organiser_progress_reassign", round, juror_id=boris.pk), {"entry": e3.code, "to": anna.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == url("organiser_progress_juror", round, juror_id=boris.pk)
    assert Assignment.objects.filter(round=round, juror=anna, entry=e3).exists()


def test_reassign_with_an_unknown_entry_or_juror_shows_the_form_error(client, organiser, judged, contest):
    client.force_login(organiser)
    round, boris = judged["round"], judged["boris"]
    stranger = juror_in(contest, name="Stranger")
    before = state(round)

    unknown_entry = client.post(url("organiser_progress_reassign", round, juror_id=boris.pk), {"entry": "NOPE"})
    unknown_juror = client.post(url("organiser_progress_reassign", round, juror_id=boris.pk), {"to": stranger.pk})

    assert (unknown_entry.status_code, unknown_juror.status_code) == (400, 400)
    assert unknown_entry.context["form"].errors == {"entry": ["Entry NOPE is not part of this round."]}
    assert list(unknown_juror.context["form"].errors) == ["to"]
    assert state(round) == before


@pytest.mark.parametrize("size", [1, 6])
def test_progress_page_lists_pending_declarations_in_a_fixed_number_of_queries(
    client, contest, organiser, django_assert_num_queries, size
):
    from judging.conflicts import conflict_declare

    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(size)]
    entries = [entry_from(contest, UniversityFactory()) for _ in range(size)]
    round = round_of(contest, entries, jurors, k=1)
    outsider = juror_in(contest, name="Not in the round")
    conflict_declare(actor=outsider.user, juror=outsider, code="NOPE42")
    for juror, entry in zip(jurors, entries, strict=True):
        give(round, juror, entry, ReviewStatus.SUBMITTED)
        conflict_declare(actor=juror.user, juror=juror, code=entry.code.lower(), reason="My student")
    client.force_login(organiser)

    # As without declarations, plus the assignments they touch, their universities (none to read) and the reviews.
    with django_assert_num_queries(12):
        response = client.get(url("organiser_progress", round))

    page = response.content.decode()
    pending = response.context["pending_conflicts"]
    assert [c.juror for c in pending] == jurors
    assert [[(t.entry, t.submitted) for t in c.touched] for c in pending] == [[(e, True)] for e in entries]
    assert f"Entry {entry_link(entries[0].contest, entries[0].code)} “{entries[0].title}”" in page
    assert "My student" in page
    assert f'name="next" value="{url("organiser_progress", round)}"' in page
