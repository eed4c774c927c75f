"""The contest's activity log page and its downloads: what organisers see, filters, files, and who is refused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from activity.models import ActivityEntry
from api_tokens.services import api_token_create
from contest.enums import Role
from contest.models import Contest, Platform
from contest.services import contest_update, platform_save
from judging.enums import RoundStatus
from judging.models import Assignment, Review
from tests.factories import ContestRoleFactory, PlatformFactory, ProfileFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.outsiders import outsider

PAGE = "/en/organise/c/{slug}/activity/"
DOWNLOAD = "/en/organise/c/{slug}/activity/download/{file_format}/"
MOMENT = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)  # 09:30 in Almaty (UTC+5)


def page(contest: Contest, query: str = "") -> str:
    return PAGE.format(slug=contest.slug) + (f"?{query}" if query else "")


def download(contest: Contest, file_format: str, query: str = "") -> str:
    return DOWNLOAD.format(slug=contest.slug, file_format=file_format) + (f"?{query}" if query else "")


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    ProfileFactory(user=organiser, full_name="Olga Organiser")
    client.force_login(organiser)
    return client


def _at(entry: ActivityEntry | None, moment: datetime = MOMENT) -> None:
    assert entry is not None
    ActivityEntry.objects.filter(pk=entry.pk).update(timestamp=moment)


def _renamed(contest: Contest, organiser: Any, client: Any) -> ActivityEntry:
    """The organiser renames a platform through the page: one logged change, by them."""
    platform = PlatformFactory(contest=contest, slug="platform-0", name="Wordwall", name_en="Wordwall")
    response = client.post(
        f"/en/organise/c/{contest.slug}/platforms/{platform.pk}/",
        {"name_kk": "Wordwall", "name_ru": "Wordwall", "name_en": "<b>Kahoot</b>", "order": 0},
    )
    assert response.status_code == 302, response.content
    entry = ActivityEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Platform), action=ActivityEntry.Action.UPDATE
    ).get()
    _at(entry)
    return entry


def test_activity_page_shows_who_changed_what_with_before_and_after(organiser_client, contest, organiser):
    contest.timezone = "Asia/Almaty"
    contest.save()
    entry = _renamed(contest, organiser, organiser_client)
    assert entry.actor == organiser
    assert entry.contest_id == contest.pk
    response = organiser_client.get(page(contest))
    assert response.status_code == 200
    html = response.content.decode()
    [row] = [row for row in response.context["rows"] if row.entry.pk == entry.pk]
    assert (row.who, row.action, row.kind, row.label) == ("Olga Organiser", "changed", "Platform", "<b>Kahoot</b>")
    assert row.when.strftime("%Y-%m-%d %H:%M") == "2026-03-02 09:30"
    assert [(c.field, c.before, c.after) for c in row.changes] == [
        ("slug", "platform-0", "bkahootb"),
        ("name [kk]", "", "Wordwall"),
        ("name [ru]", "", "Wordwall"),
        ("name [en]", "Wordwall", "<b>Kahoot</b>"),
    ]
    # Stored text is shown as text, never as markup; the object links to its organiser page.
    assert "<b>Kahoot</b>" not in html
    assert "&lt;b&gt;Kahoot&lt;/b&gt;" in html
    assert f'href="/en/organise/c/{contest.slug}/platforms/{entry.object_id}/"' in html
    assert 'aria-current="page">Activity</a>' in html


def test_activity_page_names_choices_by_label_and_automatic_writes(organiser_client, contest, organiser):
    contest_update(actor=organiser, contest=contest, max_pages=50)  # no request: Baige itself
    criteria_for(contest, 5)
    juror = juror_in(contest, name="Dana Juror")
    entries = [entry_from(contest, None)]
    round = round_of(contest, entries, [juror], status=RoundStatus.DRAFT)
    round.status = RoundStatus.OPEN
    round.save()
    rows = organiser_client.get(page(contest)).context["rows"]
    opened = next(row for row in rows if row.kind == "Round" and row.action == "changed")
    assert [(c.field, c.before, c.after) for c in opened.changes] == [("status", "Being prepared", "Open")]
    assert opened.who == "Baige (automatic)"


def test_activity_filters_by_person_kind_action_dates_and_text(organiser_client, contest, organiser):
    _renamed(contest, organiser, organiser_client)
    other = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=other, full_name="Bolat Co-organiser")
    other_client = organiser_client.__class__()
    other_client.force_login(other)
    made = other_client.post(
        f"/en/organise/c/{contest.slug}/platforms/new/",
        {"name_kk": "Canva", "name_ru": "Canva", "name_en": "Canva", "order": 1},
    )
    assert made.status_code == 302
    created = ActivityEntry.objects.get(action=ActivityEntry.Action.CREATE, object_repr="Canva")
    _at(created, datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    platform_type = ContentType.objects.get_for_model(Platform).pk

    def labels(query: str) -> list[str]:
        response = organiser_client.get(page(contest, query))
        assert response.status_code == 200
        return [row.label for row in response.context["rows"] if row.kind == "Platform"]

    assert labels(f"person={other.pk}") == ["Canva"]
    assert labels(f"person={organiser.pk}&kind={platform_type}") == ["<b>Kahoot</b>"]
    assert labels(f"kind={platform_type}&action={ActivityEntry.Action.CREATE}") == ["Wordwall", "Canva"]
    assert labels(f"action={ActivityEntry.Action.UPDATE}&kind={platform_type}") == ["<b>Kahoot</b>"]
    assert labels("since=2026-03-04&until=2026-03-05") == ["Canva"]
    assert labels("since=2026-03-01&until=2026-03-02") == ["<b>Kahoot</b>"]
    assert labels("q=kahoot") == ["<b>Kahoot</b>"]
    # A wrong range says why, and filters nothing by it.
    response = organiser_client.get(page(contest, "since=2026-03-05&until=2026-03-01&q=canva"))
    assert "The last day cannot be before the first." in response.content.decode()
    assert [row.label for row in response.context["rows"]] == ["Canva"]


def test_activity_page_is_paged_fifty_at_a_time(organiser_client, contest, organiser):
    for number in range(51):
        platform_save(
            actor=organiser, contest=contest, name_kk=f"P{number}", name_ru=f"P{number}", name_en=f"P{number}"
        )
    kind = ContentType.objects.get_for_model(Platform).pk
    first = organiser_client.get(page(contest, f"kind={kind}"))
    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0].label == "P50"
    second = organiser_client.get(page(contest, f"kind={kind}&page=2"))
    assert [row.label for row in second.context["rows"]] == ["P0"]


def _rows_of_many(contest: Contest, organiser: Any, count: int) -> None:
    for number in range(count):
        platform = platform_save(
            actor=organiser, contest=contest, name_kk=f"K{number}", name_ru=f"R{number}", name_en=f"E{number}"
        )
        platform_save(
            actor=organiser, contest=contest, platform=platform, name_kk=f"K{number}", name_ru="Ж", name_en="Z"
        )


def test_activity_page_queries_do_not_grow_with_rows(organiser_client, contest, organiser, django_assert_num_queries):
    _rows_of_many(contest, organiser, 1)
    organiser_client.get(page(contest))  # warms the content types' cache
    with django_assert_num_queries(11):
        assert organiser_client.get(page(contest)).status_code == 200
    _rows_of_many(contest, organiser, 20)
    with django_assert_num_queries(11):
        response = organiser_client.get(page(contest))
    assert len(response.context["rows"]) == 45  # and the contest, its role and universities


def test_activity_download_csv_and_xlsx_one_line_per_change(organiser_client, contest, organiser):
    entry = _renamed(contest, organiser, organiser_client)
    contest_update(actor=organiser, contest=contest, max_pages=7)
    changed = ActivityEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Contest),
        action=ActivityEntry.Action.UPDATE,
        changes__has_key="max_pages",
    )
    _at(changed, datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    response = organiser_client.get(download(contest, "csv", f"q={entry.object_repr}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{contest.slug}-activity.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert lines[0] == ["Time", "Who", "Action", "Object type", "Object", "Field", "Before", "After"]
    assert ["Olga Organiser", "changed", "Platform", "<b>Kahoot</b>", "name [en]", "Wordwall", "<b>Kahoot</b>"] in [
        line[1:] for line in lines[1:]
    ]
    workbook_response = organiser_client.get(download(contest, "xlsx"))
    assert workbook_response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(workbook_response.streaming_content)))
    values = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert values[0] == ["Time", "Who", "Action", "Object type", "Object", "Field", "Before", "After"]
    assert ["Baige (automatic)", "changed", "Contest", contest.name, "most slides or pages", "200", "7"] in [
        row[1:] for row in values[1:]
    ]


def test_activity_download_guards_against_formulas(organiser_client, contest, organiser):
    platform_save(actor=organiser, contest=contest, name_kk="=1+1", name_ru="=1+1", name_en="=HYPERLINK(1)")
    text = b"".join(organiser_client.get(download(contest, "csv")).streaming_content).decode("utf-8")
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


def test_activity_unknown_format_is_404(organiser_client, contest):
    assert organiser_client.get(download(contest, "pdf")).status_code == 404


@pytest.mark.parametrize("url", [page, lambda contest: download(contest, "csv")])
def test_activity_refuses_anonymous_with_the_login_page(client, contest, url):
    response = client.get(url(contest))
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={quote(url(contest))}"


@pytest.mark.parametrize("kind", ["participant", "juror", "organiser_of_other_contest"])
@pytest.mark.parametrize("url", [page, lambda contest: download(contest, "xlsx")])
def test_activity_refuses_everyone_but_the_contests_organisers_with_404(client, contest, kind, url):
    if kind == "participant":
        person = ProfileFactory().user
    elif kind == "juror":
        person = ContestRoleFactory(contest=contest, role=Role.JUROR).user
    else:
        person = outsider(kind)
    client.force_login(person)
    assert client.get(url(contest)).status_code == 404
    assert client.get(url(Contest(slug="no-such-contest"))).status_code == 404


def test_activity_page_open_to_superusers(client, contest):
    client.force_login(outsider("superuser"))
    assert client.get(page(contest)).status_code == 200


def test_activity_api_write_has_its_actor(contest, organiser):
    contest.save()
    [criterion] = criteria_for(contest, 5)
    juror = juror_in(contest, name="Dana Juror")
    entry = entry_from(contest, None)
    round = round_of(contest, [entry], [juror])
    Assignment.objects.get_or_create(round=round, juror=juror, entry=entry)
    _row, token = api_token_create(actor=juror.user, name="script")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/review/submit/",
        {"scores": {criterion.slug: 4}},
        format="json",
    )
    assert response.status_code == 200, response.content
    logged = ActivityEntry.objects.get(content_type=ContentType.objects.get_for_model(Review))
    assert logged.actor == juror.user
    assert logged.contest_id == contest.pk
    assert logged.changes[f"score:{criterion.pk}"] == ["None", "4"]


def test_activity_in_the_admin_for_superusers(client, contest, organiser):
    contest_update(actor=organiser, contest=contest, max_pages=9)
    client.force_login(outsider("superuser"))
    response = client.get("/admin/activity/activityentry/")
    assert response.status_code == 200
    assert contest.name in response.content.decode()


def test_activity_writes_after_a_request_are_automatic(organiser_client, contest, organiser):
    """Nothing of a request outlives it: a write made later (as by a worker) has no actor or address."""
    _renamed(contest, organiser, organiser_client)
    platform = Platform.objects.get(name_en="<b>Kahoot</b>")
    platform_save(
        actor=organiser, contest=contest, platform=platform, name_en="Later", name_kk="Later", name_ru="Later"
    )
    later = ActivityEntry.objects.filter(object_id=platform.pk, action=ActivityEntry.Action.UPDATE).latest("pk")
    assert (later.actor, later.remote_addr) == (None, None)


def test_activity_links_a_rounds_rows_to_the_round(organiser_client, contest):
    criteria_for(contest, 5)
    juror = juror_in(contest, name="Dana Juror")
    entry = entry_from(contest, None)
    round = round_of(contest, [entry], [juror], status=RoundStatus.DRAFT)
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    response = organiser_client.get(page(contest))
    [row] = [row for row in response.context["rows"] if row.kind == "Assignment"]
    assert row.link == f"/en/organise/c/{contest.slug}/rounds/{round.number}/"
    assert row.label == f"{round} · Dana Juror · {entry}"
