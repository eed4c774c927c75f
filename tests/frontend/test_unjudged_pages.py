"""The organiser sees the submitted entries in no round before closing a round, finalising and publishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from frontend.templatetags.organiser_links import entry_link
from judging.enums import RoundStatus
from judging.models import Results, Round, RoundEntry
from tests.factories import ContestFactory, ContestRoleFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.judging.test_publication import finalised_round
from tests.judging.test_results import judged_round


def url(name, contest, number, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, "number": number})


def forgotten(contest):  # type: ignore[no-untyped-def]
    entry = entry_from(contest, UniversityFactory(), title="Forgotten lesson")
    assert not RoundEntry.objects.filter(entry=entry).exists()
    return entry


FINALISE = {
    "special-TOTAL_FORMS": "0",
    "special-INITIAL_FORMS": "0",
    "special-MIN_NUM_FORMS": "0",
    "special-MAX_NUM_FORMS": "50",
    "confirm": "on",
}


@pytest.fixture
def open_round(contest):  # type: ignore[no-untyped-def]
    criteria_for(contest, 4)
    unis = [UniversityFactory(), UniversityFactory()]
    return round_of(contest, [entry_from(contest, unis[0])], [juror_in(contest, unis[1])], k=1)


# --- Closing a round ---------------------------------------------------------------------------


def test_round_close_page_lists_the_entries_in_no_round_and_closes_only_once_confirmed(client, organiser, open_round):
    contest = open_round.contest
    entry = forgotten(contest)
    client.force_login(organiser)
    address = url("organiser_round_close", contest, 1)

    confirm = client.get(address).content.decode()
    refused = client.post(address)
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.OPEN
    done = client.post(address, {"confirm_unjudged": "1"})

    assert "1 submitted entry is in no round: it would never be judged." in confirm
    assert f"<li>{entry_link(entry.contest, entry.code)} Forgotten lesson</li>" in confirm
    assert 'name="confirm_unjudged" value="1" required' in confirm
    assert refused.status_code == 409
    assert f"<li>{entry_link(entry.contest, entry.code)} Forgotten lesson</li>" in refused.content.decode()
    assert (done.status_code, done["Location"]) == (302, reverse("frontend:organiser_rounds", args=[contest.slug]))
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.CLOSED


def test_round_close_page_without_entries_in_no_round_asks_nothing_more(client, organiser, open_round):
    client.force_login(organiser)
    address = url("organiser_round_close", open_round.contest, 1)

    assert "confirm_unjudged" not in client.get(address).content.decode()
    assert client.post(address).status_code == 302
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.CLOSED


@pytest.fixture(params=["participant", "juror", "organiser_of_another_contest", "anonymous"])
def refused_client(request, client):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        client.force_login(ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user)
    elif request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return client, request.param


def test_confirmed_close_finalise_and_publish_are_refused_to_anyone_but_the_organisers(contest, refused_client):
    client, who = refused_client
    judged = judged_round(contest)
    finalised = finalised_round(contest, number=2)
    forgotten(contest)
    before = (
        sorted(Round.objects.filter(contest=contest).values_list("pk", "status")),
        sorted(Results.objects.filter(round__contest=contest).values_list("pk", "published_at")),
    )
    Round.objects.filter(pk=judged["round"].pk).update(status=RoundStatus.OPEN)
    opened = sorted(Round.objects.filter(contest=contest).values_list("pk", "status"))

    responses = [
        client.post(url("organiser_round_close", contest, 1), {"confirm_unjudged": "1"}),
        client.post(url("organiser_results_finalise", contest, 1), {**FINALISE, "confirm_unjudged": "1"}),
        client.post(url("organiser_results_publish", contest, 2), {"confirm_unjudged": "1"}),
    ]

    expected = 302 if who == "anonymous" else 403
    assert [response.status_code for response in responses] == [expected] * 3
    assert sorted(Round.objects.filter(contest=contest).values_list("pk", "status")) == opened
    assert sorted(Results.objects.filter(round__contest=contest).values_list("pk", "published_at")) == before[1]
    assert finalised.results.published_at is None


# --- Finalising and publishing -----------------------------------------------------------------


def test_results_finalise_form_with_entries_in_no_round_shows_them_and_finalises_only_once_confirmed(client, contest):
    judged = judged_round(contest)
    entry = forgotten(contest)
    client.force_login(judged["organiser"])
    page = client.get(url("organiser_results", contest, 1)).content.decode()

    refused = client.post(url("organiser_results_finalise", contest, 1), FINALISE)
    assert not Results.objects.filter(round=judged["round"]).exists()
    done = client.post(url("organiser_results_finalise", contest, 1), {**FINALISE, "confirm_unjudged": "1"})

    assert f"<li>{entry_link(entry.contest, entry.code)} Forgotten lesson</li>" in page
    assert refused.status_code == 409
    assert (
        f"1 submitted entry is in no round and would never be judged: {entry.code} “Forgotten lesson”. "
        "Confirm to go on anyway."
    ) in refused.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert done.status_code == 302
    assert Results.objects.filter(round=judged["round"]).exists()


def test_results_publish_with_entries_in_no_round_is_refused_until_confirmed(client, contest, organiser):
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])
    finalised = finalised_round(contest)
    Results.objects.filter(pk=finalised.results.pk).update(finalised_by=organiser)
    entry = forgotten(contest)
    client.force_login(organiser)
    address = url("organiser_results_publish", contest, 1)

    confirmed = {"confirm": "on", "early": "on"}
    page = client.get(address).content.decode()
    refused = client.post(address, confirmed)
    finalised.results.refresh_from_db()
    assert finalised.results.published_at is None
    done = client.post(address, {**confirmed, "confirm_unjudged": "1"})

    assert 'name="confirm_unjudged" value="1" required' in page
    assert f"{entry_link(entry.contest, entry.code)} Forgotten lesson" in page
    assert refused.status_code == 409
    assert refused.context["refusal"] == (
        f"1 submitted entry is in no round and would never be judged: {entry.code} “Forgotten lesson”. "
        "Confirm to go on anyway."
    )
    assert done.status_code == 302
    finalised.results.refresh_from_db()
    assert finalised.results.published_at is not None


# --- Progress and the list of rounds ------------------------------------------------------------


def test_progress_page_shows_entries_in_no_round_and_entries_short_of_jurors(client, organiser, open_round):
    contest = open_round.contest
    entry = forgotten(contest)
    client.force_login(organiser)

    page = client.get(url("organiser_progress", contest, 1)).content.decode()

    assert f"<li>{entry_link(entry.contest, entry.code)} Forgotten lesson</li>" in page
    assert "confirm_unjudged" not in page
    assert "<dd data-entries-short>1</dd>" in page


def test_rounds_page_shows_a_round_never_opened_as_not_open_yet_without_its_past_date(client, organiser, contest):
    past = timezone.now().replace(microsecond=0) - timedelta(days=300)
    future = timezone.now().replace(microsecond=0) + timedelta(days=3)
    late = round_of(contest, [], [], status=RoundStatus.DRAFT)
    planned = round_of(contest, [], [], status=RoundStatus.DRAFT, number=2)
    Round.objects.filter(pk=late.pk).update(opens_at=past)
    Round.objects.filter(pk=planned.pk).update(opens_at=future)
    client.force_login(organiser)

    page = client.get(reverse("frontend:organiser_rounds", args=[contest.slug])).content.decode()

    assert '<span class="status status-draft" data-not-open>not open yet</span>' in page
    assert page.count("data-not-open") == 1
    assert timezone.localtime(past, contest.tzinfo).isoformat() not in page
    assert f'<time datetime="{timezone.localtime(future, contest.tzinfo).isoformat()}">' in page
