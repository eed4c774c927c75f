"""The jury panel's flow: on to the next entry to score, a long list searched, sorted and paged, conflicts declared
from an entry's own page."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.enums import ConflictState, ReviewStatus
from judging.models import Assignment, Conflict, Review, Round
from judging.services.reviews import review_save_draft, review_submit
from tests.factories import ContestFactory, ContestRoleFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


def url(view, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{view}", kwargs=kwargs)


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def coded(entry, code, title=None):  # type: ignore[no-untyped-def]
    """Fix the entry's (normally random) code and, if given, its title."""
    changes = {"code": code} | ({"title": title} if title else {})
    type(entry).objects.filter(pk=entry.pk).update(**changes)
    entry.refresh_from_db()
    return entry


def codes_in(response):  # type: ignore[no-untyped-def]
    return re.findall(r'data-entry="(\w+)"', response.content.decode())


def messages_of(response):  # type: ignore[no-untyped-def]
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def flow(contest):  # type: ignore[no-untyped-def]
    """An open round: a juror assigned four entries F0001..F0004, a colleague assigned a fifth."""
    criteria = criteria_for(contest, 4, 2)
    titles = ["Fractions quiz", "Planets in Canva", "Fraction wall", "Poems aloud"]
    entries = [coded(entry_from(contest, None), f"F000{n}", title) for n, title in enumerate(titles, start=1)]
    other = coded(entry_from(contest, None), "F0009", "Not yours")
    juror = juror_in(contest, name="Juror One")
    colleague = juror_in(contest, name="Juror Two")
    round = round_of(contest, [*entries, other], [juror, colleague], k=1)
    for entry in entries:
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    Assignment.objects.create(round=round, juror=colleague, entry=other)
    return {
        "round": round,
        "juror": juror,
        "colleague": colleague,
        "entries": entries,
        "other": other,
        "criteria": criteria,
    }


@pytest.fixture
def juror_client(client, flow):  # type: ignore[no-untyped-def]
    client.force_login(flow["juror"].user)
    return client


def entry_url(flow, code, query=""):  # type: ignore[no-untyped-def]
    return url("jury_entry", round_id=flow["round"].pk, code=code) + query


def submit(flow, code):  # type: ignore[no-untyped-def]
    c1, c2 = flow["criteria"]
    entry = next(entry for entry in flow["entries"] if entry.code == code)
    review_submit(actor=flow["juror"].user, round=flow["round"], entry=entry, scores={c1.pk: 3, c2.pk: 1})


SCORES = {"score-c1": "4", "score-c2": "2", "action": "submit"}


# --- On to the next entry to score ----------------------------------------------------------------


def test_submitting_goes_on_to_the_next_unscored_entry_skipping_scored_ones(juror_client, flow):
    submit(flow, "F0002")
    response = juror_client.post(entry_url(flow, "F0001"), SCORES)
    assert (response.status_code, response["Location"]) == (302, entry_url(flow, "F0003"))
    assert Review.objects.get(entry=flow["entries"][0]).status == ReviewStatus.SUBMITTED
    assert messages_of(response) == ["Your review is submitted."]


def test_submitting_the_last_in_the_list_goes_back_to_an_earlier_unscored_one(juror_client, flow):
    submit(flow, "F0001")
    response = juror_client.post(entry_url(flow, "F0004"), SCORES)
    assert (response.status_code, response["Location"]) == (302, entry_url(flow, "F0002"))


def test_submitting_the_last_unscored_entry_goes_to_the_list_all_done(juror_client, flow):
    for code in ("F0001", "F0002", "F0004"):
        submit(flow, code)
    response = juror_client.post(entry_url(flow, "F0003"), SCORES)
    assert (response.status_code, response["Location"]) == (302, url("jury_round", round_id=flow["round"].pk))
    assert messages_of(response) == [
        "Your review is submitted.",
        "All done: every entry assigned to you in this round is scored.",
    ]


def test_a_draft_stays_on_its_page(juror_client, flow):
    page = entry_url(flow, "F0001")
    response = juror_client.post(page, {"score-c1": "1", "action": "draft"})
    assert (response.status_code, response["Location"]) == (302, page)


def test_next_keeps_the_list_search_and_order(juror_client, flow):
    response = juror_client.post(entry_url(flow, "F0001", "?q=fraction&sort=status"), SCORES)
    assert response["Location"] == entry_url(flow, "F0003", "?q=fraction&sort=status")
    # Every entry the search finds is scored now: back to the list, which says others are left.
    response = juror_client.post(entry_url(flow, "F0003", "?q=fraction&sort=status&page=1"), SCORES)
    assert response["Location"] == url("jury_round", round_id=flow["round"].pk) + "?q=fraction&sort=status"
    assert messages_of(response)[-1] == "Every entry of this list is scored; others are left in your full list."


def test_after_submit_page_leads_the_script_on(juror_client, flow):
    submit(flow, "F0001")
    submit(flow, "F0002")
    page = url("jury_next", round_id=flow["round"].pk, code="F0001")
    response = juror_client.get(page + "?done=submitted&sort=code")
    assert (response.status_code, response["Location"]) == (302, entry_url(flow, "F0003", "?sort=code"))
    assert messages_of(response) == ["Your review is submitted."]
    response = juror_client.get(page + "?done=changed")
    assert messages_of(response)[-1] == "Your changes to the review are submitted."
    assert len(messages_of(juror_client.get(page + "?done=<b>x</b>"))) == 2  # the two above, nothing new


def test_after_submit_page_speaks_the_page_language(juror_client, flow):
    for code in ("F0001", "F0002", "F0003", "F0004"):
        submit(flow, code)
    response = juror_client.get(url("jury_next", "kk", round_id=flow["round"].pk, code="F0004"))
    with translation.override("kk"):
        expected = translation.gettext("All done: every entry assigned to you in this round is scored.")
    assert expected != "All done: every entry assigned to you in this round is scored."
    assert (response["Location"], messages_of(response)) == (
        url("jury_round", "kk", round_id=flow["round"].pk),
        [expected],
    )


def test_after_submit_page_refuses_who_does_not_judge_the_round(client, flow, contest, participant, organiser):
    other_organiser = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    not_in_round = juror_in(contest, name="Not in the round").user
    page = url("jury_next", round_id=flow["round"].pk, code="F0001")
    for user in (participant, organiser, other_organiser, not_in_round):
        client.force_login(user)
        assert client.get(page).status_code == 404
    client.logout()
    response = client.get(page)
    assert (response.status_code, response["Location"]) == (302, login_url(page))


# --- The list: search, order, pages ---------------------------------------------------------------


def test_round_list_searches_code_or_title(juror_client, flow):
    page = url("jury_round", round_id=flow["round"].pk)
    assert codes_in(juror_client.get(page + "?q=fraction")) == ["F0001", "F0003"]
    assert codes_in(juror_client.get(page + "?q=f0004")) == ["F0004"]
    assert codes_in(juror_client.get(page + "?q=not+yours")) == []
    assert "No entry matches these filters." in juror_client.get(page + "?q=zzz").content.decode()


def test_round_list_sorts_unscored_first_and_by_update(juror_client, flow):
    c1, _c2 = flow["criteria"]
    submit(flow, "F0001")
    review_save_draft(actor=flow["juror"].user, round=flow["round"], entry=flow["entries"][3], scores={c1.pk: 1})
    review_save_draft(actor=flow["juror"].user, round=flow["round"], entry=flow["entries"][1], scores={c1.pk: 2})
    page = url("jury_round", round_id=flow["round"].pk)
    assert codes_in(juror_client.get(page)) == ["F0001", "F0002", "F0003", "F0004"]
    assert codes_in(juror_client.get(page + "?sort=status")) == ["F0003", "F0002", "F0004", "F0001"]
    assert codes_in(juror_client.get(page + "?sort=updated")) == ["F0002", "F0004", "F0001", "F0003"]
    assert codes_in(juror_client.get(page + "?sort=nonsense")) == ["F0001", "F0002", "F0003", "F0004"]


def test_entry_page_previous_and_next_follow_the_list_order(juror_client, flow):
    submit(flow, "F0001")
    body = juror_client.get(entry_url(flow, "F0004", "?sort=status")).content.decode()
    assert f'href="{entry_url(flow, "F0003", "?sort=status")}" rel="prev"' in body
    assert f'href="{entry_url(flow, "F0001", "?sort=status")}" rel="next"' in body


def many_entries(contest, flow, count, start=0):  # type: ignore[no-untyped-def]
    for number in range(start, start + count):
        entry = coded(entry_from(contest, None), f"M{number:04d}", f"Many {number}")
        Assignment.objects.create(round=flow["round"], juror=flow["juror"], entry=entry)


def test_round_list_is_paged_keeping_search_and_order(juror_client, flow, contest):
    many_entries(contest, flow, 40)
    page = url("jury_round", round_id=flow["round"].pk)
    first = juror_client.get(page + "?q=many&sort=code")
    assert codes_in(first) == [f"M{n:04d}" for n in range(20)]
    body = first.content.decode()
    assert "Page 1 of 2" in body
    assert 'href="?q=many&amp;sort=code&amp;page=2" rel="next"' in body
    second = juror_client.get(page + "?q=many&sort=code&page=2")
    assert codes_in(second) == [f"M{n:04d}" for n in range(20, 40)]
    assert 'href="?q=many&amp;sort=code&amp;page=1" rel="prev"' in second.content.decode()
    # The entries link back to this very page of the list.
    assert f'href="{entry_url(flow, "M0020", "?q=many&amp;sort=code&amp;page=2")}"' in second.content.decode()
    assert codes_in(juror_client.get(page + "?q=many&page=99")) == [f"M{n:04d}" for n in range(20, 40)]
    # A list that fits one page has no pages.
    assert "Page 1 of" not in juror_client.get(page + "?q=fraction").content.decode()


@pytest.mark.parametrize("query", ["", "?q=many&sort=status&page=2"])
def test_round_list_query_count_does_not_grow(juror_client, flow, contest, django_assert_num_queries, query):
    page = url("jury_round", round_id=flow["round"].pk) + query
    many_entries(contest, flow, 1)
    # The person, the round, the list, the shown entries' platforms, the menu, the nominations and platforms.
    with django_assert_num_queries(7):
        juror_client.get(page)
    many_entries(contest, flow, 60, start=1)
    with django_assert_num_queries(7):
        response = juror_client.get(page)
    assert len(codes_in(response)) == 20


# --- A conflict declared from the entry's page ------------------------------------------------------


def conflict_url(flow, code, query=""):  # type: ignore[no-untyped-def]
    return url("jury_entry_conflict", round_id=flow["round"].pk, code=code) + query


def test_conflict_from_the_entry_page_withdraws_it_and_goes_on(juror_client, flow):
    Round.objects.filter(pk=flow["round"].pk).update(blind=False)
    submit(flow, "F0003")
    body = juror_client.get(entry_url(flow, "F0002")).content.decode()
    assert f'action="{conflict_url(flow, "F0002")}"' in body
    response = juror_client.post(conflict_url(flow, "F0002", "?sort=code"), {"reason": "My student"})
    assert (response.status_code, response["Location"]) == (302, entry_url(flow, "F0004", "?sort=code"))
    conflict = Conflict.objects.get(juror=flow["juror"])
    assert (conflict.entry, conflict.code, conflict.reason, conflict.state) == (
        flow["entries"][1],
        "F0002",
        "My student",
        ConflictState.RESOLVED,
    )
    assert messages_of(response) == [
        "1 conflict of interest is recorded. 1 assignment was withdrawn; "
        "the organisers will give that entry to another juror."
    ]
    assert codes_in(juror_client.get(url("jury_round", round_id=flow["round"].pk))) == ["F0001", "F0003", "F0004"]


def test_conflict_in_a_blind_round_waits_for_the_organisers(juror_client, flow):
    response = juror_client.post(conflict_url(flow, "F0002"), {"reason": ""})
    assert response["Location"] == entry_url(flow, "F0003")
    assert Conflict.objects.get(juror=flow["juror"]).state == ConflictState.PENDING
    assert Assignment.objects.filter(juror=flow["juror"]).count() == 4


def test_conflict_reason_too_long_is_refused_and_nothing_recorded(juror_client, flow):
    response = juror_client.post(conflict_url(flow, "F0002"), {"reason": "x" * 2001})
    assert response["Location"] == entry_url(flow, "F0002")
    assert messages_of(response) == ["Ensure this value has at most 2000 characters (it has 2001)."]
    assert not Conflict.objects.exists()


def test_conflict_from_the_entry_page_refuses_others(client, flow, contest, participant, organiser):
    other_organiser = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    not_assigned = juror_in(contest, name="Not assigned").user
    colleague = flow["colleague"].user
    page = conflict_url(flow, "F0001")
    for user in (participant, organiser, other_organiser, not_assigned, colleague):
        client.force_login(user)
        assert client.post(page, {"reason": "x"}).status_code == 404
    client.force_login(flow["juror"].user)
    assert client.get(page).status_code == 405
    client.logout()
    response = client.post(page, {"reason": "x"})
    assert (response.status_code, response["Location"]) == (302, login_url(page))
    assert not Conflict.objects.exists()
