from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import EntryStatus, Role
from contest.models import Contest, Nomination, Platform
from frontend.templatetags.organiser_links import entry_link
from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    EntryFactory,
    NominationFactory,
    PlatformFactory,
    ProfileFactory,
    UniversityFactory,
    UserFactory,
)


def url(name, contest=None, language="en", **kwargs):  # type: ignore[no-untyped-def]
    if contest is not None:
        kwargs["slug"] = contest.slug
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs=kwargs)


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def settings_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name_kk": "Ең тиімді цифрлық білім беру платформасы",
        "name_ru": "Самая эффективная цифровая образовательная платформа",
        "name_en": "The Most Effective Digital Educational Platform",
        "description_kk": "",
        "description_ru": "Для будущих учителей.",
        "description_en": "For future teachers.",
        "rules_kk": "",
        "rules_ru": "",
        "rules_en": "One entry per participant.",
        "timezone": "Asia/Almaty",
        "submissions_open": "2030-03-01T09:00",
        "submissions_close": "2030-04-30T23:59",
        "results_publish_at": "2030-05-15T12:00",
        "max_file_size_mb": "1024",
        "max_video_minutes": "15",
        "max_pages": "120",
    }
    data.update(overrides)
    return data


def contest_state(contest):  # type: ignore[no-untyped-def]
    """Everything the organiser's pages can change, to check that a refused request changed nothing."""
    saved = Contest.objects.get(pk=contest.pk)
    return (
        (saved.name_kk, saved.name_ru, saved.name_en, saved.description_en, saved.timezone),
        (saved.submissions_open, saved.submissions_close, saved.results_publish_at),
        (saved.max_file_size, saved.max_video_duration, saved.max_pages),
        sorted(Platform.objects.filter(contest=contest).values_list("pk", "name_en", "slug", "order", "is_other")),
        sorted(Nomination.objects.filter(contest=contest).values_list("pk", "name_en", "slug", "order")),
    )


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


@pytest.fixture
def platform(contest):  # type: ignore[no-untyped-def]
    return PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall", slug="wordwall")


def every_request(contest, platform, nomination):  # type: ignore[no-untyped-def]
    """(method, url, data) of every organiser page and form of this module."""
    return [
        ("get", url("organiser_dashboard", contest), None),
        ("get", url("organiser_settings", contest), None),
        ("post", url("organiser_settings", contest), settings_data()),
        ("get", url("organiser_platforms", contest), None),
        ("get", url("organiser_platform_new", contest), None),
        ("post", url("organiser_platform_new", contest), {"name_en": "Zoom"}),
        ("get", url("organiser_platform_edit", contest, pk=platform.pk), None),
        ("post", url("organiser_platform_edit", contest, pk=platform.pk), {"name_en": "Changed"}),
        ("post", url("organiser_platform_delete", contest, pk=platform.pk), {}),
        ("get", url("organiser_nominations", contest), None),
        ("get", url("organiser_nomination_new", contest), None),
        ("post", url("organiser_nomination_new", contest), {"name_en": "Best game"}),
        ("get", url("organiser_nomination_edit", contest, pk=nomination.pk), None),
        ("post", url("organiser_nomination_edit", contest, pk=nomination.pk), {"name_en": "Changed"}),
        ("post", url("organiser_nomination_delete", contest, pk=nomination.pk), {}),
    ]


# Permissions


def test_organiser_pages_for_anonymous_redirect_to_login(client, contest, platform, nomination):
    before = contest_state(contest)

    for method, address, data in every_request(contest, platform, nomination):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert contest_state(contest) == before


@pytest.fixture(params=["participant", "juror", "organiser_of_another_contest"])
def refused_user(request, contest):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    return request.getfixturevalue(request.param)


def test_organiser_pages_for_others_forbidden(client, contest, platform, nomination, refused_user):
    client.force_login(refused_user)
    before = contest_state(contest)

    for method, address, data in every_request(contest, platform, nomination):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert contest_state(contest) == before


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_organiser_pages_open_for_organiser_and_superuser(request, client, contest, platform, nomination, who):
    client.force_login(UserFactory(is_superuser=True) if who == "superuser" else request.getfixturevalue("organiser"))

    statuses = {
        address: getattr(client, method)(address).status_code
        for method, address, _data in every_request(contest, platform, nomination)
        if method == "get"
    }

    assert set(statuses.values()) == {200}


def test_superuser_writes_succeed(client, contest, platform, nomination):
    client.force_login(UserFactory(is_superuser=True))

    responses = [
        client.post(url("organiser_settings", contest), settings_data(name_en="By the superuser")),
        client.post(url("organiser_platform_edit", contest, pk=platform.pk), {"name_en": "Wordwall 2"}),
        client.post(url("organiser_nomination_new", contest), {"name_en": "Best quiz"}),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert Contest.objects.get(pk=contest.pk).name_en == "By the superuser"
    assert Platform.objects.get(pk=platform.pk).name_en == "Wordwall 2"
    assert Nomination.objects.get(contest=contest, slug="best-quiz").name_en == "Best quiz"


def test_organiser_page_of_another_contests_platform_not_found(organiser_client, contest):
    foreign = PlatformFactory(contest=ContestFactory())
    foreign_nomination = NominationFactory(contest=foreign.contest)

    responses = [
        organiser_client.get(url("organiser_platform_edit", contest, pk=foreign.pk)),
        organiser_client.post(url("organiser_platform_edit", contest, pk=foreign.pk), {"name_en": "Mine"}),
        organiser_client.post(url("organiser_platform_delete", contest, pk=foreign.pk)),
        organiser_client.post(url("organiser_nomination_delete", contest, pk=foreign_nomination.pk)),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Platform.objects.get(pk=foreign.pk).name_en == foreign.name_en
    assert Nomination.objects.filter(pk=foreign_nomination.pk).exists()


# The organiser's home and the "Organise" link


def test_organiser_home_with_one_contest_goes_to_its_dashboard(organiser_client, contest):
    response = organiser_client.get(url("organiser_home"))

    assert response.status_code == 302
    assert response["Location"] == url("organiser_dashboard", contest)


def test_organiser_home_with_two_contests_lists_them(client, contest, organiser):
    other = ContestFactory(name="Second contest", name_en="Second contest")
    ContestRoleFactory(contest=other, user=organiser, role=Role.ORGANISER)
    ContestFactory(name="Not mine", name_en="Not mine")
    client.force_login(organiser)

    response = client.get(url("organiser_home"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["contests"]] == sorted(
        [contest.pk, other.pk], key=lambda pk: Contest.objects.get(pk=pk).submissions_open, reverse=True
    )
    assert url("organiser_dashboard", other) in response.content.decode()


def test_organiser_home_for_participant_forbidden(participant_client):
    assert participant_client.get(url("organiser_home")).status_code == 403


def test_organiser_home_for_anonymous_redirects_to_login(client, db):
    response = client.get(url("organiser_home"))

    assert (response.status_code, response["Location"]) == (302, login_url(url("organiser_home")))


def test_organise_link_shown_to_organisers_only(client, contest, organiser, participant, juror):
    link = f'href="{url("organiser_home")}"'
    pages = {}
    for who, user in [("organiser", organiser), ("participant", participant), ("juror", juror)]:
        client.force_login(user)
        pages[who] = link in client.get(url("contest", contest)).content.decode()
    client.logout()
    pages["anonymous"] = link in client.get(url("contest", contest)).content.decode()

    assert pages == {"organiser": True, "participant": False, "juror": False, "anonymous": False}


def test_organise_link_costs_anonymous_visitors_no_query(client, contest):
    with CaptureQueriesContext(connection) as queries:
        client.get(url("contest", contest))

    assert [q["sql"] for q in queries if "contest_contestrole" in q["sql"]] == []


# Dashboard


@pytest.fixture
def dashboard_entries(contest, nomination, platforms):  # type: ignore[no-untyped-def]
    """Four entries by three participants of two universities."""
    zhetysu = UniversityFactory(name="Zhetysu University", name_en="Zhetysu University")
    taraz = UniversityFactory(name="Taraz University", name_en="Taraz University")
    aigerim = ProfileFactory(full_name="Aigerim Sadykova", university=zhetysu).user
    bakyt = ProfileFactory(full_name="Bakyt Osmonov", university=taraz).user
    dana = ProfileFactory(full_name="Dana Nurlanova", university=taraz).user
    quiz = NominationFactory(contest=contest, name="Best quiz", name_en="Best quiz")
    wordwall, canva = platforms
    submitted_at = datetime(2030, 3, 2, 5, 30, tzinfo=UTC)  # 10:30 in Asia/Almaty
    return {
        "fractions": EntryFactory(
            contest=contest,
            author=aigerim,
            title="Fractions with Wordwall",
            nomination=nomination,
            platforms=[wordwall, canva],
            status=EntryStatus.SUBMITTED,
            submitted_at=submitted_at,
            with_media=True,
        ),
        "geometry": EntryFactory(
            contest=contest,
            author=bakyt,
            title="Geometry in ROQED",
            nomination=quiz,
            platforms=[canva],
            status=EntryStatus.SUBMITTED,
            submitted_at=submitted_at,
        ),
        "draft": EntryFactory(contest=contest, author=bakyt, title="Unfinished", nomination=quiz, platforms=[canva]),
        "withdrawn": EntryFactory(
            contest=contest,
            author=dana,
            title="Withdrawn lesson",
            nomination=nomination,
            platforms=[wordwall],
            status=EntryStatus.WITHDRAWN,
        ),
        "quiz": quiz,
        "zhetysu": zhetysu,
        "taraz": taraz,
    }


def test_dashboard_counts(organiser_client, contest, dashboard_entries):
    EntryFactory(contest=ContestFactory(), status=EntryStatus.DRAFT)  # another contest's entry is not counted

    response = organiser_client.get(url("organiser_dashboard", contest))

    assert response.status_code == 200
    assert response.context["counts"] == {
        "total": 4,
        "submitted": 2,
        "draft": 1,
        "withdrawn": 1,
        "disqualified": 0,
        "participants": 3,
        "universities": 2,
    }


def test_dashboard_table_shows_each_entry(organiser_client, contest, nomination, dashboard_entries):
    entry = dashboard_entries["fractions"]

    response = organiser_client.get(url("organiser_dashboard", contest))

    body = response.content.decode()
    # Latest submission first, then entries never submitted, latest first.
    assert [e.title for e in response.context["page"].object_list] == [
        "Geometry in ROQED",
        "Fractions with Wordwall",
        "Withdrawn lesson",
        "Unfinished",
    ]
    row = body[body.index(f"<td>{entry_link(entry.contest, entry.code)}</td>") :].split("</tr>")[0]
    assert "Fractions with Wordwall" in row
    assert "Aigerim Sadykova" in row
    assert "Zhetysu University" in row
    assert nomination.name in row
    assert "Canva, Wordwall" in row
    assert "Submitted" in row
    assert "PDF" in row
    assert '<time datetime="2030-03-02T05:30:00+00:00">02.03.2030 10:30</time>' in row
    for link in ("organiser_import", "organiser_settings", "organiser_platforms", "organiser_nominations"):
        assert f'href="{url(link, contest)}"' in body


def test_dashboard_shows_failed_file(organiser_client, contest, dashboard_entries):
    MediaAsset.objects.filter(pk=dashboard_entries["fractions"].media_id).update(status=AssetStatus.FAILED)

    body = organiser_client.get(url("organiser_dashboard", contest)).content.decode()

    assert '<small class="notice-error">Failed</small>' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "submitted"}, ["fractions", "geometry"]),
        ({"status": "draft"}, ["draft"]),
        ({"nomination": "quiz"}, ["draft", "geometry"]),
        ({"platform": "wordwall"}, ["fractions", "withdrawn"]),
        ({"university": "taraz"}, ["draft", "geometry", "withdrawn"]),
        ({"university": "taraz", "status": "submitted"}, ["geometry"]),
        ({"q": "  geometry "}, ["geometry"]),
        ({"q": "code"}, ["fractions"]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_dashboard_filters(organiser_client, contest, platforms, dashboard_entries, query, expected):
    ids = {
        "quiz": dashboard_entries["quiz"].pk,
        "wordwall": platforms[0].pk,
        "taraz": dashboard_entries["taraz"].pk,
        "code": dashboard_entries["fractions"].code.lower(),
    }
    params = {key: ids.get(value, value) for key, value in query.items()}
    names = {dashboard_entries[name].pk: name for name in ("fractions", "geometry", "draft", "withdrawn")}

    response = organiser_client.get(url("organiser_dashboard", contest), params)

    assert response.status_code == 200
    assert sorted(names[e.pk] for e in response.context["page"].object_list) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_dashboard_filter_choices_come_from_the_contest(organiser_client, contest, platforms, dashboard_entries):
    PlatformFactory(contest=ContestFactory(), name="Foreign platform", name_en="Foreign platform")

    response = organiser_client.get(url("organiser_dashboard", contest))

    form = response.context["filter"]
    assert [p.name for p in form.fields["platform"].queryset] == ["Canva", "Wordwall"]
    assert sorted(u.name for u in form.fields["university"].queryset) == sorted(
        ["Taraz University", "Zhetysu University", *(u.name for u in contest.universities.all())]
    )


def test_dashboard_with_no_entries(organiser_client, contest):
    response = organiser_client.get(url("organiser_dashboard", contest))

    assert response.status_code == 200
    assert "There are no entries yet." in response.content.decode()


def test_dashboard_in_kazakh(organiser_client, contest, dashboard_entries):
    response = organiser_client.get(url("organiser_dashboard", contest, language="kk"))

    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "kk"


def _entry_with_everything(contest, nomination, platforms):  # type: ignore[no-untyped-def]
    return EntryFactory(
        contest=contest,
        author=ProfileFactory(university=UniversityFactory()).user,
        nomination=nomination,
        platforms=platforms,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        with_media=True,
    )


@pytest.mark.parametrize("query", [{}, {"status": "submitted", "q": "lesson"}])
def test_dashboard_query_count_does_not_grow(organiser_client, contest, nomination, platforms, query):
    _entry_with_everything(contest, nomination, platforms)
    with CaptureQueriesContext(connection) as one:
        first = organiser_client.get(url("organiser_dashboard", contest), query)
    for _ in range(14):
        _entry_with_everything(contest, nomination, platforms)
    with CaptureQueriesContext(connection) as many:
        second = organiser_client.get(url("organiser_dashboard", contest), query)

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(second.context["page"].object_list) == 15
    assert len(many) == len(one)


def test_dashboard_pages_of_fifty(organiser_client, contest, nomination, platforms):
    for _ in range(51):
        EntryFactory(contest=contest, nomination=nomination, platforms=platforms[:1])

    first = organiser_client.get(url("organiser_dashboard", contest), {"status": "draft"})
    second = organiser_client.get(url("organiser_dashboard", contest), {"status": "draft", "page": 2})

    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (50, 1)
    assert 'href="?status=draft&amp;page=2"' in first.content.decode()


# Contest settings


def test_settings_page_shows_local_times(organiser_client, contest):
    Contest.objects.filter(pk=contest.pk).update(
        submissions_open=datetime(2030, 3, 1, 4, 0, tzinfo=UTC),
        submissions_close=datetime(2030, 4, 30, 18, 59, tzinfo=UTC),
        results_publish_at=None,
        max_file_size=2 * 1024**3,
        max_video_duration=20 * 60,
    )

    response = organiser_client.get(url("organiser_settings", contest))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="datetime-local" name="submissions_open" value="2030-03-01T09:00"' in body
    assert 'type="datetime-local" name="submissions_close" value="2030-04-30T23:59"' in body
    assert '<input type="datetime-local" name="results_publish_at" aria-describedby' in body
    assert 'name="max_file_size_mb" value="2048"' in body
    assert 'name="max_video_minutes" value="20"' in body
    assert '<option value="Asia/Bishkek">' in body


def test_settings_save_stores_utc_for_local_times(organiser_client, contest):
    response = organiser_client.post(url("organiser_settings", contest), settings_data())

    assert response.status_code == 302
    assert response["Location"] == url("organiser_settings", contest)
    saved = Contest.objects.get(pk=contest.pk)
    assert saved.submissions_open == datetime(2030, 3, 1, 4, 0, tzinfo=UTC)
    assert saved.submissions_close == datetime(2030, 4, 30, 18, 59, tzinfo=UTC)
    assert saved.results_publish_at == datetime(2030, 5, 15, 7, 0, tzinfo=UTC)
    assert saved.name_kk == "Ең тиімді цифрлық білім беру платформасы"
    assert saved.name_ru == "Самая эффективная цифровая образовательная платформа"
    assert saved.name_en == "The Most Effective Digital Educational Platform"
    assert (saved.description_ru, saved.description_en, saved.rules_en) == (
        "Для будущих учителей.",
        "For future teachers.",
        "One entry per participant.",
    )
    assert (saved.max_file_size, saved.max_video_duration, saved.max_pages) == (1024 * 1024 * 1024, 900, 120)
    page = organiser_client.get(response["Location"]).content.decode()
    assert "The contest&#x27;s settings are saved." in page
    assert 'value="2030-03-01T09:00"' in page


def test_settings_save_in_another_zone_reads_times_on_its_clock(organiser_client, contest):
    organiser_client.post(
        url("organiser_settings", contest), settings_data(timezone="Asia/Bishkek", results_publish_at="")
    )

    saved = Contest.objects.get(pk=contest.pk)
    assert saved.timezone == "Asia/Bishkek"
    assert saved.submissions_open == datetime(2030, 3, 1, 3, 0, tzinfo=UTC)
    assert saved.submissions_close == datetime(2030, 4, 30, 17, 59, tzinfo=UTC)
    assert saved.results_publish_at is None


def test_settings_save_untouched_keeps_exact_values(organiser_client, contest):
    opens = datetime(2030, 3, 1, 4, 0, 30, 123456, tzinfo=UTC)
    Contest.objects.filter(pk=contest.pk).update(
        submissions_open=opens,
        submissions_close=datetime(2030, 4, 30, 18, 59, 59, tzinfo=UTC),
        results_publish_at=None,
        max_file_size=1_500_000,
        max_video_duration=95,
    )
    form = organiser_client.get(url("organiser_settings", contest)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {
        **data,
        "submissions_open": "2030-03-01T09:00",
        "submissions_close": "2030-04-30T23:59",
        "name_en": "Renamed",
    }

    response = organiser_client.post(url("organiser_settings", contest), data)

    assert response.status_code == 302
    saved = Contest.objects.get(pk=contest.pk)
    assert saved.name_en == "Renamed"
    assert saved.submissions_open == opens
    assert saved.submissions_close == datetime(2030, 4, 30, 18, 59, 59, tzinfo=UTC)
    assert (saved.max_file_size, saved.max_video_duration) == (1_500_000, 95)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"submissions_close": "2030-03-01T09:00"}, "submissions_close", "Submissions must close after they open."),
        ({"submissions_close": "2030-02-01T09:00"}, "submissions_close", "Submissions must close after they open."),
        (
            {"results_publish_at": "2030-04-30T23:00"},
            "results_publish_at",
            "Results must be published after submissions close.",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Unknown time zone: Mars/Olympus_Mons"),
        ({"timezone": ""}, "timezone", "This field is required."),
        (
            {"name_kk": "", "name_ru": "", "name_en": " "},
            "name_en",
            "Give the contest's name in at least one language.",
        ),
        ({"max_file_size_mb": "0"}, "max_file_size_mb", "Ensure this value is greater than or equal to 1."),
        ({"max_video_minutes": "-5"}, "max_video_minutes", "Ensure this value is greater than or equal to 1."),
        ({"max_pages": "0"}, "max_pages", "Ensure this value is greater than or equal to 1."),
        ({"submissions_open": "tomorrow"}, "submissions_open", "Enter a valid date/time."),
        ({"submissions_open": ""}, "submissions_open", "This field is required."),
        (
            {"timezone": "Europe/Berlin", "submissions_open": "2030-03-31T02:30"},
            "submissions_open",
            "This time is skipped or repeated when clocks change in Europe/Berlin; choose another one.",
        ),
    ],
)
def test_settings_save_with_bad_input_changes_nothing(organiser_client, contest, overrides, field, message):
    before = contest_state(contest)

    response = organiser_client.post(url("organiser_settings", contest), settings_data(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert contest_state(contest) == before


# Platforms


def test_platform_list_shows_usage(organiser_client, contest, platforms):
    EntryFactory(contest=contest, platforms=[platforms[0]])

    response = organiser_client.get(url("organiser_platforms", contest))

    assert response.status_code == 200
    assert [(p.name, p.entry_count) for p in response.context["platforms"]] == [("Canva", 0), ("Wordwall", 1)]
    assert url("organiser_platform_edit", contest, pk=platforms[1].pk) in response.content.decode()


def test_platform_add_makes_slug_from_russian_name(organiser_client, contest):
    response = organiser_client.post(
        url("organiser_platform_new", contest),
        {"name_kk": "Сынып тақтасы", "name_ru": "Классная доска", "name_en": "", "slug": "", "order": "4"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("organiser_platforms", contest)
    platform = Platform.objects.get(contest=contest)
    assert (platform.slug, platform.name_kk, platform.name_ru, platform.name_en) == (
        "klassnaya-doska",
        "Сынып тақтасы",
        "Классная доска",
        "",
    )
    assert (platform.order, platform.is_other) == (4, False)


def test_platform_add_other_with_english_name_and_unique_slug(organiser_client, contest):
    PlatformFactory(contest=contest, slug="others")

    organiser_client.post(
        url("organiser_platform_new", contest), {"name_ru": "Другие", "name_en": "Others", "is_other": "on"}
    )

    platform = Platform.objects.get(contest=contest, name_en="Others")
    assert (platform.slug, platform.is_other, platform.order) == ("others-2", True, 0)


def test_platform_add_without_name_refused(organiser_client, contest):
    response = organiser_client.post(url("organiser_platform_new", contest), {"name_en": "", "slug": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors["name_en"] == ["Give the name in at least one language."]
    assert Platform.objects.filter(contest=contest).count() == 0


def test_platform_add_with_taken_slug_refused(organiser_client, contest, platform):
    response = organiser_client.post(url("organiser_platform_new", contest), {"name_en": "Copy", "slug": "wordwall"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["The short name “wordwall” is already used in this contest."]
    assert list(Platform.objects.filter(contest=contest).values_list("name_en", flat=True)) == ["Wordwall"]


def test_platform_edit_page_shows_current_values(organiser_client, contest, platform):
    response = organiser_client.get(url("organiser_platform_edit", contest, pk=platform.pk))

    body = response.content.decode()
    assert 'name="name_en" value="Wordwall"' in body
    assert 'name="slug" value="wordwall"' in body
    assert url("organiser_platform_delete", contest, pk=platform.pk) in body


def test_platform_edit_saves(organiser_client, contest, platform):
    response = organiser_client.post(
        url("organiser_platform_edit", contest, pk=platform.pk),
        {"name_kk": "Вордуол", "name_ru": "Вордвол", "name_en": "Wordwall.net", "slug": "wordwall", "order": "2"},
    )

    assert response.status_code == 302
    saved = Platform.objects.get(pk=platform.pk)
    assert (saved.name_kk, saved.name_ru, saved.name_en, saved.slug, saved.order, saved.is_other) == (
        "Вордуол",
        "Вордвол",
        "Wordwall.net",
        "wordwall",
        2,
        False,
    )
    page = organiser_client.get(response["Location"]).content.decode()
    assert "The platform “Wordwall.net” is saved." in page


def test_platform_delete_unused(organiser_client, contest, platform):
    response = organiser_client.post(url("organiser_platform_delete", contest, pk=platform.pk))

    assert response.status_code == 302
    assert response["Location"] == url("organiser_platforms", contest)
    assert not Platform.objects.filter(pk=platform.pk).exists()
    assert "The platform “Wordwall” is deleted." in organiser_client.get(response["Location"]).content.decode()


def test_platform_delete_when_used_refused(organiser_client, contest, platform):
    entry = EntryFactory(contest=contest, platforms=[platform])

    response = organiser_client.post(url("organiser_platform_delete", contest, pk=platform.pk))

    assert response.status_code == 302
    assert Platform.objects.filter(pk=platform.pk).exists()
    assert list(entry.platforms.all()) == [platform]
    page = organiser_client.get(response["Location"]).content.decode()
    assert "“Wordwall” cannot be deleted: 1 entry uses it." in page
    edit = organiser_client.get(url("organiser_platform_edit", contest, pk=platform.pk)).content.decode()
    assert "1 entry uses this platform, so it cannot be deleted." in edit
    assert url("organiser_platform_delete", contest, pk=platform.pk) not in edit


def test_platform_delete_needs_post(organiser_client, contest, platform):
    response = organiser_client.get(url("organiser_platform_delete", contest, pk=platform.pk))

    assert response.status_code == 405
    assert Platform.objects.filter(pk=platform.pk).exists()


# Nominations


def test_nomination_list(organiser_client, contest, nomination):
    EntryFactory(contest=contest, nomination=nomination)
    NominationFactory(contest=contest, name="Best quiz", name_en="Best quiz", order=1)

    response = organiser_client.get(url("organiser_nominations", contest))

    assert [(n.name, n.entry_count) for n in response.context["nominations"]] == [
        (nomination.name, 1),
        ("Best quiz", 0),
    ]


def test_nomination_add(organiser_client, contest):
    response = organiser_client.post(
        url("organiser_nomination_new", contest),
        {
            "name_kk": "Үздік сабақ",
            "name_ru": "Лучший урок",
            "name_en": "Best lesson",
            "description_en": "A whole lesson.",
            "order": "1",
        },
    )

    assert response.status_code == 302
    nomination = Nomination.objects.get(contest=contest)
    assert (nomination.slug, nomination.name_kk, nomination.name_ru, nomination.name_en) == (
        "best-lesson",
        "Үздік сабақ",
        "Лучший урок",
        "Best lesson",
    )
    assert (nomination.description_en, nomination.description_ru, nomination.order) == ("A whole lesson.", "", 1)


def test_nomination_edit(organiser_client, contest, nomination):
    response = organiser_client.post(
        url("organiser_nomination_edit", contest, pk=nomination.pk),
        {"name_ru": "Лучшая игра", "slug": "", "order": ""},
    )

    assert response.status_code == 302
    saved = Nomination.objects.get(pk=nomination.pk)
    assert (saved.name_ru, saved.name_en, saved.slug, saved.order) == ("Лучшая игра", "", "luchshaya-igra", 0)


def test_nomination_delete_unused(organiser_client, contest, nomination):
    response = organiser_client.post(url("organiser_nomination_delete", contest, pk=nomination.pk))

    assert response.status_code == 302
    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_nomination_delete_when_used_refused(organiser_client, contest, nomination):
    EntryFactory(contest=contest, nomination=nomination)
    EntryFactory(contest=contest, nomination=nomination)

    response = organiser_client.post(url("organiser_nomination_delete", contest, pk=nomination.pk))

    assert Nomination.objects.filter(pk=nomination.pk).exists()
    page = organiser_client.get(response["Location"]).content.decode()
    assert f"“{nomination.name}” cannot be deleted: 2 entries use it." in page
    edit = organiser_client.get(url("organiser_nomination_edit", contest, pk=nomination.pk)).content.decode()
    assert "2 entries are in this nomination, so it cannot be deleted." in edit
