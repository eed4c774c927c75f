"""The names typed under "Other": grouped whatever their case and spacing, counted, shown on the page, its chart
and every download, and in the scores and winners per platform."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import EntryStatus
from contest.models import Entry, Platform
from contest.statistics import other_name_key, participant_columns, platform_table
from tests.contest.test_statistics import entry_by
from tests.factories import NominationFactory, PlatformFactory, ProfileFactory, UniversityFactory


def named(author, contest, nomination, platforms, name, status=EntryStatus.SUBMITTED):  # type: ignore[no-untyped-def]
    entry = entry_by(author, contest, nomination, platforms, status=status)
    Entry.objects.filter(pk=entry.pk).update(other_platform=name)
    return entry


@pytest.fixture
def typed(contest):  # type: ignore[no-untyped-def]
    """Alpha: three people typed Kahoot! three ways, one Quizizz; Beta: one Kahoot!, one Mentimeter, one unnamed.

    Wordwall has 2 participants; a draft's "Padlet" never counts.
    """
    alpha = UniversityFactory(slug="alpha", name="Alpha University", name_en="Alpha University")
    beta = UniversityFactory(slug="beta", name="Beta University", name_en="Beta University")
    wordwall = PlatformFactory(contest=contest, slug="wordwall", name="Wordwall", name_en="Wordwall", order=1)
    other = PlatformFactory(contest=contest, slug="other", name="Other", name_en="Other", order=9, is_other=True)
    nomination = NominationFactory(contest=contest)

    def person(university):  # type: ignore[no-untyped-def]
        return ProfileFactory(university=university).user

    a1, a2, a3, a4 = (person(alpha) for _ in range(4))
    b1, b2, b3 = (person(beta) for _ in range(3))
    named(a1, contest, nomination, [wordwall, other], " kahoot! ")
    named(a2, contest, nomination, [other], "Kahoot!")
    named(a3, contest, nomination, [other], "Kahoot!")
    named(a3, contest, nomination, [other], "KAHOOT!")  # the same person again: counted once
    named(a4, contest, nomination, [other], "Quizizz")
    named(b1, contest, nomination, [other], "Kahoot!  ")
    named(b2, contest, nomination, [wordwall, other], "Mentimeter")
    named(b3, contest, nomination, [other], "")
    named(person(beta), contest, nomination, [other], "Padlet", status=EntryStatus.DRAFT)
    return contest


def test_other_name_key_ignores_case_and_spacing():
    assert other_name_key(" kahoot!  ") == other_name_key("Kahoot!") == other_name_key("KAHOOT!") == "kahoot!"
    assert other_name_key("Book   Creator") == "book creator"
    assert other_name_key("   ") == ""


def test_other_names_are_counted_per_university_largest_first(typed):
    table = platform_table(contest=typed, columns=participant_columns(contest=typed))

    other = next(row for row in table.rows if row.platform.is_other)
    assert [column.key for column in table.columns] == ["alpha", "beta", "total"]
    assert [(name.name, [(s.count, str(s.percent)) for s in name.shares]) for name in other.others] == [
        ("Kahoot!", [(3, "75.0"), (1, "33.3"), (4, "57.1")]),
        ("Mentimeter", [(0, "0.0"), (1, "33.3"), (1, "14.3")]),
        ("Quizizz", [(1, "25.0"), (0, "0.0"), (1, "14.3")]),
    ]
    # Every "Other" participant counts in its row, the one who named nothing included.
    assert [share.count for share in other.shares] == [4, 3, 7]
    assert next(row for row in table.rows if not row.platform.is_other).others == ()


def test_no_other_names_without_other_entries(contest):
    PlatformFactory(contest=contest, name="Other", name_en="Other", is_other=True)

    table = platform_table(contest=contest)

    assert [row.others for row in table.rows] == [()]


def statistics_url(contest, name="organiser_statistics", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def test_page_shows_the_names_under_other_and_the_chart_largest_first(client, organiser, typed):
    client.force_login(organiser)

    body = client.get(statistics_url(typed)).content.decode()

    rows = re.findall(r'<tr( class="other-name")?>\s*<th scope="row">(?:<span[^>]*>[^<]*</span>)?([^<]+)</th>', body)
    platform_rows = rows[: rows.index(("", "Other")) + 4]
    assert platform_rows == [
        ("", "Wordwall"),
        ("", "Other"),
        (' class="other-name"', "Kahoot!"),
        (' class="other-name"', "Mentimeter"),
        (' class="other-name"', "Quizizz"),
    ]
    chart = body[body.index('<svg id="platform-chart"') : body.index("</svg>")]
    assert re.findall(r"<title>([^<]+)</title>", chart) == [
        "Other: 7 (100.0%)",
        "Kahoot!: 4 (57.1%)",
        "Mentimeter: 1 (14.3%)",
        "Quizizz: 1 (14.3%)",
        "Wordwall: 2 (28.6%)",
    ]
    # Names are on their own line above their bars: no two texts share a line.
    name_lines = re.findall(r'<text x="\d+" y="(\d+)" font-size="14" class="bar-name">', chart)
    assert len(set(name_lines)) == 5


def test_downloads_list_the_names_under_other(client, organiser, typed):
    client.force_login(organiser)

    csv_text = b"".join(
        client.get(statistics_url(typed, "organiser_statistics_download", file_format="csv")).streaming_content
    ).decode()
    xlsx = client.get(statistics_url(typed, "organiser_statistics_download", file_format="xlsx"))
    document = json.loads(
        b"".join(
            client.get(statistics_url(typed, "organiser_statistics_download", file_format="json")).streaming_content
        )
    )

    assert csv_text.splitlines()[2:] == [
        "Other,4,100.0,3,100.0,7,100.0",
        "Other: Kahoot!,3,75.0,1,33.3,4,57.1",
        "Other: Mentimeter,0,0.0,1,33.3,1,14.3",
        "Other: Quizizz,1,25.0,0,0.0,1,14.3",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["Platforms"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "Platform",
        "Wordwall",
        "Other",
        "Other: Kahoot!",
        "Other: Mentimeter",
        "Other: Quizizz",
    ]
    other = document["platforms"][1]
    assert [(name["name"], name["cells"]["total"]["count"]) for name in other["names"]] == [
        ("Kahoot!", 4),
        ("Mentimeter", 1),
        ("Quizizz", 1),
    ]


def test_statistics_page_shows_every_name_typed_in_the_demo(client, db):
    from exchange.demo import demo_seed
    from exchange.demo.plan import ORGANISER_EMAIL

    demo_seed()
    contest = Platform.objects.get(is_other=True).contest
    typed = {
        " ".join(name.split())
        for name in Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED, platforms__is_other=True)
        .exclude(other_platform="")
        .values_list("other_platform", flat=True)
    }
    client.force_login(contest.roles.get(user__email=ORGANISER_EMAIL).user)

    body = client.get(statistics_url(contest)).content.decode()

    assert typed >= {"Kahoot!", "Quizizz", "Mentimeter"}
    for name in typed:
        assert f"{name}</th>" in body
        assert f"<title>{name}: " in body


def test_exports_api_lists_the_names_under_other(api_client, organiser, typed):
    api_client.force_login(organiser)
    address = reverse("judging_api:export", kwargs={"slug": typed.slug, "what": "platform-stats"}) + "?format=csv"

    response = api_client.get(address, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [
        "Wordwall",
        "Other",
        "Other: Kahoot!",
        "Other: Mentimeter",
        "Other: Quizizz",
    ]


def test_statistics_page_queries_do_not_grow_with_other_names(client, organiser, typed, django_assert_num_queries):
    client.force_login(organiser)
    client.get(statistics_url(typed))
    with django_assert_num_queries(14) as one:
        client.get(statistics_url(typed))
    other = Platform.objects.get(contest=typed, is_other=True)
    nomination = NominationFactory(contest=typed)
    for index in range(12):
        named(ProfileFactory().user, typed, nomination, [other], f"Tool {index}")

    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(statistics_url(typed)).content.decode()

    assert "Tool 11</th>" in body
