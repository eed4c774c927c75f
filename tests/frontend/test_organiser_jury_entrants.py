"""The organiser's jury page names every juror who is also an entrant of the contest, with their entries' codes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, Entry
from tests.factories import ContestFactory, ContestRoleFactory, EntryFactory, UniversityFactory
from tests.judging import entry_from, juror_in


def jury_url(contest):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse("frontend:organiser_jury", kwargs={"slug": contest.slug})


def listed(response):  # type: ignore[no-untyped-def]
    """The entrants section: (juror id, the text of their line)."""
    body = response.content.decode()
    return [
        (int(pk), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).split(" — ")[1].strip())
        for pk, text in re.findall(r'<li data-entrant="(\d+)">(.*?)</li>', body, re.S)
    ]


@pytest.fixture
def uni(db):  # type: ignore[no-untyped-def]
    return UniversityFactory()


def entry_coded(contest, code, **fields):  # type: ignore[no-untyped-def]
    entry = EntryFactory(contest=contest, status=EntryStatus.SUBMITTED, submitted_at=contest.submissions_open, **fields)
    Entry.objects.filter(pk=entry.pk).update(code=code)
    return entry


def test_jury_page_lists_jurors_who_are_entrants(client, organiser, contest, uni):
    writer = juror_in(contest, uni, name="Writer")
    coauthor = juror_in(contest, uni, name="Coauthor")
    coauthor.user.email = "co.author@example.org"
    coauthor.user.save(update_fields=["email"])
    juror_in(contest, uni, name="Stranger")
    entry_coded(contest, "WRT111", author=writer.user)
    entry_coded(contest, "WRT222", author=writer.user)
    shared = entry_coded(contest, "COA333")
    CoAuthor.objects.create(entry=shared, full_name="Co", email="Co.Author@EXAMPLE.org", order=0)
    entry_coded(ContestFactory(), "ELSE44", author=coauthor.user)  # another contest's entry does not count
    client.force_login(organiser)

    response = client.get(jury_url(contest))

    assert response.status_code == 200
    assert listed(response) == [(writer.pk, "entries WRT111, WRT222"), (coauthor.pk, "entry COA333")]
    assert "Jurors who are also entrants" in response.content.decode()


def test_jury_page_without_entrants_has_no_such_section(client, organiser, contest, uni):
    juror_in(contest, uni, name="Stranger")
    entry_from(contest, uni)
    client.force_login(organiser)

    response = client.get(jury_url(contest))

    assert (response.status_code, listed(response)) == (200, [])
    assert "data-entrants" not in response.content.decode()


@pytest.mark.parametrize("who", ["the_juror_entrant", "participant", "organiser_of_another_contest"])
def test_jury_page_with_entrants_refused_to_others(client, contest, uni, who, participant):
    writer = juror_in(contest, uni, name="Writer")
    entry_coded(contest, "WRT111", author=writer.user)
    user = {
        "the_juror_entrant": writer.user,
        "participant": participant,
        "organiser_of_another_contest": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[who]
    client.force_login(user)

    response = client.get(jury_url(contest))

    assert response.status_code == 403
    assert "WRT111" not in response.content.decode()


def test_jury_page_queries_do_not_grow_with_entrants(client, organiser, contest, uni):
    def add_entrant(number):  # type: ignore[no-untyped-def]
        juror = juror_in(contest, uni, name=f"Juror {number}")
        entry_coded(contest, f"E{number:05d}", author=juror.user)

    add_entrant(1)
    client.force_login(organiser)
    client.get(jury_url(contest))
    with CaptureQueriesContext(connection) as one:
        response = client.get(jury_url(contest))
    assert len(listed(response)) == 1
    for number in range(2, 8):
        add_entrant(number)
    with CaptureQueriesContext(connection) as many:
        response = client.get(jury_url(contest))

    assert len(listed(response)) == 7
    assert len(many.captured_queries) == len(one.captured_queries)
