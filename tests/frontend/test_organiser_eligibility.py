"""The organiser's eligibility page of an entry, the dashboard's link to it, and what the entry's authors see."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from contest.models import CoAuthor, EntryEligibilityEvent
from contest.services import entry_disqualify, entry_reinstate
from judging.models import Assignment, Award, Results, RoundEntry
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory
from tests.judging import entry_from, juror_in, round_of

REASON = "The video is someone else's lesson."


def url(entry: Any, name: str = "organiser_entry_eligibility", language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": entry.contest.slug, "code": entry.code})


@pytest.fixture
def judged(contest: Any) -> dict[str, Any]:
    """An open round of two entries, each with two jurors; the first has one submitted review's worth of history."""
    jurors = [juror_in(contest, name="Anna"), juror_in(contest, name="Boris")]
    first, second = entry_from(contest, None, title="Fractions"), entry_from(contest, None, title="Maps")
    round = round_of(contest, [first, second], jurors)
    for juror in jurors:
        for entry in (first, second):
            Assignment.objects.create(round=round, juror=juror, entry=entry)
    return {"round": round, "entry": first, "other": second, "jurors": jurors}


def test_page_says_what_disqualifying_withdraws_before_it_is_done(client, organiser, judged):
    client.force_login(organiser)
    response = client.get(url(judged["entry"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eligible: the entry is judged, counted and published like any other." in page
    assert "round “Round 1”: 2 assignments are withdrawn" in page
    assert "In all: 2 assignments are withdrawn." in page
    assert 'name="reason"' in page
    assert 'name="confirm"' in page


def test_organiser_disqualifies_then_reinstates_through_the_page(
    client, organiser, judged, django_capture_on_commit_callbacks
):
    entry = judged["entry"]
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(entry), {"reason": REASON, "confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, url(entry))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"The entry {entry.code} is disqualified; its authors are told by e-mail."
    ]
    entry.refresh_from_db()
    assert (entry.disqualification_reason, entry.disqualified_by) == (REASON, organiser)
    assert not RoundEntry.objects.filter(entry=entry).exists()
    assert Assignment.objects.filter(entry=entry).count() == 0
    assert len(mail.outbox) == 1

    page = client.get(url(entry)).content.decode()
    assert REASON.replace("'", "&#x27;") in page
    assert "Reinstate the entry" in page
    assert 'id="eligibility-history"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(entry), {"confirm": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.disqualified_at is None
    assert RoundEntry.objects.filter(entry=entry).exists()
    assert len(mail.outbox) == 2
    assert list(EntryEligibilityEvent.objects.filter(entry=entry).values_list("act", flat=True)) == [
        "disqualified",
        "reinstated",
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reason": "", "confirm": "on"}, "This field is required."),
        ({"reason": "   ", "confirm": "on"}, "This field is required."),
        ({"reason": REASON}, "This field is required."),
        ({"reason": "x" * 2001, "confirm": "on"}, "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_bad_input_is_refused_with_the_reason_kept_and_nothing_saved(client, organiser, judged, data, error):
    client.force_login(organiser)
    response = client.post(url(judged["entry"]), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    judged["entry"].refresh_from_db()
    assert judged["entry"].disqualified_at is None
    assert Assignment.objects.filter(entry=judged["entry"]).count() == 2
    if data.get("reason", "").strip() and len(data["reason"]) <= 2000:
        assert REASON.replace("'", "&#x27;") in response.content.decode()


def test_an_award_holder_is_refused_with_a_clear_message(client, contest, organiser, judged):
    round = judged["round"]
    round.status, round.closed_at = "closed", timezone.now()
    round.save(update_fields=["status", "closed_at"])
    results = Results.objects.create(round=round, content_hash="0" * 64, finalised_at=timezone.now())
    Award.objects.create(
        results=results,
        key="nomination-x/place-1/1",
        nomination=judged["entry"].nomination,
        place=1,
        entry=judged["entry"],
    )
    client.force_login(organiser)
    page = client.get(url(judged["entry"])).content.decode()
    assert 'id="eligibility-awards"' in page
    response = client.post(url(judged["entry"]), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 400
    assert (
        "This entry holds an award in round “Round 1”: give the award to another entry on the round&#x27;s results "
        "page first, then disqualify it."
    ) in response.content.decode()
    judged["entry"].refresh_from_db()
    assert judged["entry"].disqualified_at is None


@pytest.mark.parametrize("who", ["participant", "author", "juror", "other_organiser"])
def test_others_get_not_found_and_change_nothing(client, judged, participant, who):
    entry = judged["entry"]
    users = {
        "participant": participant,
        "author": entry.author,
        "juror": judged["jurors"][0].user,
        "other_organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }
    client.force_login(users[who])
    assert client.get(url(entry)).status_code == 404
    assert client.post(url(entry), {"reason": REASON, "confirm": "on"}).status_code == 404
    entry.refresh_from_db()
    assert entry.disqualified_at is None


def test_anonymous_is_sent_to_log_in(client, judged):
    response = client.get(url(judged["entry"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(url(judged["entry"]), {"reason": REASON, "confirm": "on"}).status_code == 302
    judged["entry"].refresh_from_db()
    assert judged["entry"].disqualified_at is None


def test_a_missing_entry_is_not_found(client, organiser, judged):
    client.force_login(organiser)
    with translation.override("en"):
        missing = reverse(
            "frontend:organiser_entry_eligibility", kwargs={"slug": judged["entry"].contest.slug, "code": "NOPE99"}
        )
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("decisions", [1, 6])
def test_page_queries_do_not_grow_with_the_history(client, organiser, judged, decisions, django_assert_num_queries):
    entry = judged["entry"]
    for number in range(decisions):
        entry_disqualify(actor=organiser, entry=entry, reason=f"{REASON} {number}")
        if number < decisions - 1:
            entry_reinstate(actor=organiser, entry=entry)
    client.force_login(organiser)
    client.get(url(entry))
    with django_assert_num_queries(10):
        response = client.get(url(entry))
    assert response.content.decode().count("<li><strong>") == 2 * decisions - 1


def test_dashboard_links_each_submitted_entry_to_its_eligibility_and_marks_the_disqualified(client, organiser, judged):
    entry_disqualify(actor=organiser, entry=judged["entry"], reason=REASON)
    client.force_login(organiser)
    with translation.override("en"):
        page = client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": judged["entry"].contest.slug}))
    html = page.content.decode()
    assert f'href="{url(judged["entry"])}"' in html
    assert f'href="{url(judged["other"])}"' in html
    assert html.count('class="status status-disqualified"') == 1
    assert page.context["counts"]["disqualified"] == 1
    assert '<td id="count-disqualified">1</td>' in html


def test_dashboard_filters_the_disqualified_entries(client, organiser, judged):
    entry_disqualify(actor=organiser, entry=judged["entry"], reason=REASON)
    client.force_login(organiser)
    with translation.override("kk"):
        dashboard = reverse("frontend:organiser_dashboard", kwargs={"slug": judged["entry"].contest.slug})
        disqualified = client.get(dashboard, {"status": "disqualified"})
        submitted = client.get(dashboard, {"status": "submitted"})

    assert [entry.code for entry in disqualified.context["page"].object_list] == [judged["entry"].code]
    assert '<option value="disqualified" selected>Шеттетілді</option>' in disqualified.content.decode()
    assert sorted(entry.code for entry in submitted.context["page"].object_list) == sorted(
        [judged["entry"].code, judged["other"].code]
    )


@pytest.mark.parametrize(
    ("language", "label", "heading"),
    [
        ("kk", "Шеттетілді", "Ұйымдастырушылар бұл жұмысты шеттетті"),
        ("ru", "Дисквалифицирована", "Организаторы дисквалифицировали эту работу"),
        ("en", "Disqualified", "The organisers have disqualified this entry"),
    ],
)
def test_the_author_sees_the_disqualification_and_its_reason_in_their_language(
    client, organiser, judged, language, label, heading
):
    entry = judged["entry"]
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    client.force_login(entry.author)
    page = client.get(url(entry, "entry_detail", language)).content.decode()
    assert heading in page
    assert label in page
    assert REASON.replace("'", "&#x27;") in page
    with translation.override(language):
        listing = client.get(reverse("frontend:my_entries")).content.decode()
    assert f'<strong class="status status-disqualified">{label}</strong>' in listing


def test_a_coauthor_with_an_account_sees_the_disqualification_too(client, organiser, judged):
    entry = judged["entry"]
    coauthor = ProfileFactory(preferred_language="en").user
    EmailAddress.objects.update_or_create(user=coauthor, email=coauthor.email, defaults={"verified": True})
    CoAuthor.objects.create(entry=entry, full_name="Co", email=coauthor.email)
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    client.force_login(coauthor)
    with translation.override("en"):
        listing = client.get(reverse("frontend:my_entries")).content.decode()
    assert 'class="status status-disqualified"' in listing


def test_the_partial_for_the_entry_page_shows_the_state_and_the_way_to_the_decision(organiser, judged):
    entry = judged["entry"]
    with translation.override("en"):
        eligible = render_to_string(
            "frontend/organiser/_entry_eligibility.html", {"entry": entry, "contest": entry.contest}
        )
        entry_disqualify(actor=organiser, entry=entry, reason=REASON)
        entry.refresh_from_db()
        disqualified = render_to_string(
            "frontend/organiser/_entry_eligibility.html", {"entry": entry, "contest": entry.contest}
        )
    assert "Eligible: the entry is judged, counted and published like any other." in eligible
    assert f'href="{url(entry)}">Disqualify…</a>' in eligible
    assert '<strong class="status status-disqualified">Disqualified</strong>' in disqualified
    assert REASON.replace("'", "&#x27;") in disqualified
    assert f'href="{url(entry)}">Reinstate…</a>' in disqualified
