"""The organiser's page and API of background processing: queues, the contest's files, failed tasks."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import EntryStatus, Role
from frontend.templatetags.organiser_links import entry_link
from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset
from monitoring.models import TaskFailure
from tests.factories import ContestFactory, ContestRoleFactory, EntryFactory, UserFactory


def page(contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:organiser_processing", kwargs={"slug": contest.slug})


def api(slug):  # type: ignore[no-untyped-def]
    return reverse("monitoring_api:processing", kwargs={"slug": slug})


def body_of(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


def failure(
    contest=None, *, task="contest.send_entry_submitted_email", entry_code="", age=timedelta(hours=1), **fields
):  # type: ignore[no-untyped-def]
    return TaskFailure.objects.create(
        task_name=task,
        task_id=fields.pop("task_id", "4a1f"),
        queue="default",
        contest=contest,
        entry_code=entry_code,
        exception=fields.pop("exception", "ConnectionRefusedError"),
        message=fields.pop("message", "[Errno 111] Connection refused"),
        traceback="Traceback (most recent call last):\nConnectionRefusedError: [Errno 111] Connection refused",
        request_id=fields.pop("request_id", ""),
        failed_at=timezone.now() - age,
    )


def entry_with_file(contest, status, **asset_fields):  # type: ignore[no-untyped-def]
    entry = EntryFactory(contest=contest, status=EntryStatus.SUBMITTED, submitted_at=timezone.now(), with_media=True)
    MediaAsset.objects.filter(pk=entry.media_id).update(status=status, **asset_fields)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


# The page


def test_processing_page_shows_files_by_state_and_why_failed_ones_failed(organiser_client, contest):
    entry_with_file(contest, AssetStatus.QUEUED, queued_at=timezone.now() - timedelta(minutes=7))
    entry_with_file(contest, AssetStatus.QUEUED, queued_at=timezone.now() - timedelta(minutes=2))
    entry_with_file(contest, AssetStatus.PROCESSING)
    entry_with_file(contest, AssetStatus.READY)
    broken = entry_with_file(contest, AssetStatus.FAILED, reason_code="unreadable_video", original_name="урок.mp4")
    withdrawn = entry_with_file(contest, AssetStatus.FAILED, reason_code="empty")
    withdrawn.status = EntryStatus.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    entry_with_file(ContestFactory(), AssetStatus.FAILED, reason_code="empty")

    response = organiser_client.get(page(contest, "ru"))

    assert response.status_code == 200
    html = body_of(response)
    files = html.split('id="files"')[1].split("</dl>")[0]
    figures = [part.split("</dd>")[0].split("<small>")[0].strip() for part in files.split("<dd>")[1:]]
    assert figures == ["2", "1", "1", "1"]
    assert "первый ждёт 7 минут" in files
    rows = html.split('id="failed-files"')[1].split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 1
    with translation.override("ru"):
        from media_pipeline.reasons import reason_text

        reason = reason_text("unreadable_video")
    assert [entry_link(contest, broken.code), broken.title, "урок.mp4", reason] == [
        cell.split("</td>")[0] for cell in rows[0].split("<td>")[1:]
    ]


def site_and_other_failures(contest):  # type: ignore[no-untyped-def]
    """A failure of ``contest``, two of the site (no contest), one of another contest, one too old."""
    own = failure(contest, entry_code="K7Q2MX", request_id="9f2c", message="SMTP <refused>")
    site = failure(None, task="media_pipeline.reap_stuck_assets", exception="OperationalError", age=timedelta(days=2))
    failure(ContestFactory(), task="judging.publish_results", exception="RuntimeError", message="other contest")
    failure(contest, task="judging.publish_results", exception="TooOld", age=timedelta(days=8))
    mystery = failure(None, task="mystery.task", exception="KeyError", message="'x'", age=timedelta(days=3))
    return own, site, mystery


@pytest.fixture
def staff_organiser(contest):  # type: ignore[no-untyped-def]
    user = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_processing_page_lists_failed_tasks_of_the_contest_only(organiser_client, contest):
    site_and_other_failures(contest)

    html = body_of(organiser_client.get(page(contest)))

    table = html.split('id="failed-tasks"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == 1
    assert "E-mail to a participant: entry received" in rows[0] and "K7Q2MX" in rows[0]
    assert "<code>ConnectionRefusedError</code>: SMTP &lt;refused&gt;" in rows[0]
    assert "<code>9f2c</code>" in rows[0] and "work of the whole site" not in rows[0]
    assert "Tasks of this contest that failed after their retries in the last 7 days." in html
    for hidden in ("other contest", "TooOld", "OperationalError", "mystery.task", "whole site"):
        assert hidden not in html


@pytest.mark.parametrize("operator", ["staff_organiser", "superuser"])
def test_processing_page_for_staff_lists_failed_tasks_of_the_contest_and_the_site(client, contest, request, operator):
    operator = request.getfixturevalue(operator) if operator == "staff_organiser" else UserFactory(is_superuser=True)
    site_and_other_failures(contest)
    client.force_login(operator)

    html = body_of(client.get(page(contest)))

    table = html.split('id="failed-tasks"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == 3
    assert "E-mail to a participant: entry received" in rows[0] and "work of the whole site" not in rows[0]
    assert "Taking back files of stopped workers" in rows[1] and "work of the whole site" in rows[1]
    assert "<code>mystery.task</code>" in rows[2] and "mystery.task<br>" in rows[2]
    assert "Tasks of this contest or of the whole site that failed after their retries" in html
    assert "other contest" not in html and "TooOld" not in html


def test_processing_page_when_many_failed_tasks_shows_the_latest_fifty(organiser_client, contest):
    for number in range(52):
        failure(contest, task_id=f"t{number}", age=timedelta(minutes=number + 1))

    html = body_of(organiser_client.get(page(contest)))

    assert "52 failed tasks; the latest 50 are shown." in html
    assert "<code>t0</code>" in html and "<code>t49</code>" in html and "<code>t50</code>" not in html


def test_processing_page_when_nothing_failed_says_so(organiser_client, contest):
    html = body_of(organiser_client.get(page(contest)))

    assert '<p id="no-failed-tasks">No task has failed.</p>' in html
    assert 'id="failed-files"' not in html


def test_processing_page_when_tasks_run_inline_says_there_are_no_queues(organiser_client, contest):
    html = body_of(organiser_client.get(page(contest, "kk")))

    with translation.override("kk"):
        assert (
            translation.gettext(
                "Background tasks run inside the web server here (CELERY_TASK_ALWAYS_EAGER is on): "
                "there are no queues to watch."
            )
            in html
        )
    assert 'id="queue-media"' not in html


def test_processing_page_queries_do_not_grow_with_failures(organiser_client, contest, django_assert_num_queries):
    entry_with_file(contest, AssetStatus.FAILED, reason_code="empty")
    failure(contest)
    with CaptureQueriesContext(connection) as one:
        assert organiser_client.get(page(contest)).status_code == 200
    for number in range(20):
        entry_with_file(contest, AssetStatus.FAILED, reason_code="empty")
        failure(contest if number % 2 else None, task_id=f"t{number}")

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(page(contest))

    assert response.status_code == 200


def test_processing_page_is_in_the_organisers_menu(organiser_client, contest):
    html = body_of(organiser_client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    assert f'<a href="{page(contest)}">Background processing</a>' in html


# The dashboard's warning


def test_dashboard_when_tasks_failed_today_warns_and_links_to_them(organiser_client, contest):
    failure(contest)
    failure(None, age=timedelta(hours=3))
    failure(contest, age=timedelta(hours=30))
    failure(ContestFactory())

    html = body_of(organiser_client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    warning = html.split('id="recent-task-failures"')[1].split("</p>")[0]
    assert "1 background task failed in the last 24 hours." in warning
    assert f'href="{page(contest)}#failures"' in warning


def test_dashboard_for_staff_counts_the_sites_failures_too(client, contest, staff_organiser):
    failure(contest)
    failure(None, age=timedelta(hours=3))
    failure(contest, age=timedelta(hours=30))
    failure(ContestFactory())
    client.force_login(staff_organiser)

    html = body_of(client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    warning = html.split('id="recent-task-failures"')[1].split("</p>")[0]
    assert "2 background tasks failed in the last 24 hours." in warning


def test_dashboard_when_only_the_site_failed_says_nothing_to_organisers(organiser_client, contest):
    failure(None, age=timedelta(hours=1))
    failure(ContestFactory())

    html = body_of(organiser_client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    assert 'id="recent-task-failures"' not in html


def test_dashboard_when_nothing_failed_today_says_nothing(organiser_client, contest):
    failure(contest, age=timedelta(hours=25))

    html = body_of(organiser_client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    assert 'id="recent-task-failures"' not in html


# The API


def test_processing_api_for_organiser(api_client, contest, organiser):
    entry_with_file(contest, AssetStatus.READY)
    broken = entry_with_file(contest, AssetStatus.FAILED, reason_code="empty")
    recorded = failure(contest, entry_code=broken.code, request_id="9f2c")
    failure(None, task="judging.remind_jurors_daily", message="site secret")
    failure(ContestFactory(), message="other contest")
    api_client.force_login(organiser)

    response = api_client.get(api(contest.slug), HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    data = response.json()
    since = data.pop("failures_since")
    assert abs(datetime.fromisoformat(since) - (timezone.now() - timedelta(days=7))) < timedelta(minutes=1)
    assert data == {
        "queues": {
            "inline": True,
            "broker_error": "",
            "states": [
                {
                    "name": "default",
                    "description": "Электронные письма, напоминания и публикация результатов",
                    "waiting": None,
                    "workers": None,
                },
                {"name": "media", "description": "Видео", "waiting": None, "workers": None},
                {"name": "office", "description": "Презентации и PDF-файлы", "waiting": None, "workers": None},
            ],
        },
        "files": {"queued": 0, "processing": 0, "ready": 1, "failed": 1, "oldest_queued_at": None},
        "failure_count": 1,
        "site_failures": False,
        "failures": [
            {
                "task_name": "contest.send_entry_submitted_email",
                "task_label": "Письмо участнику: работа получена",
                "task_id": "4a1f",
                "queue": "default",
                "entry_code": broken.code,
                "exception": "ConnectionRefusedError",
                "message": "[Errno 111] Connection refused",
                "request_id": "9f2c",
                "failed_at": recorded.failed_at.astimezone(timezone.get_current_timezone()).isoformat(),
            }
        ],
    }


def test_processing_api_for_staff_includes_the_sites_failures(api_client, contest, staff_organiser):
    own = failure(contest, age=timedelta(hours=2))
    site = failure(None, task="judging.remind_jurors_daily", message="site secret", age=timedelta(hours=1))
    failure(ContestFactory(), message="other contest")
    api_client.force_login(staff_organiser)

    data = api_client.get(api(contest.slug)).json()

    assert (data["failure_count"], data["site_failures"]) == (2, True)
    assert [(row["task_name"], row["message"]) for row in data["failures"]] == [
        (site.task_name, "site secret"),
        (own.task_name, own.message),
    ]


def test_processing_api_for_anonymous(api_client, contest):
    response = api_client.get(api(contest.slug), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


def test_processing_api_unknown_contest(api_client, organiser):
    api_client.force_login(organiser)

    assert api_client.get(api("nowhere")).status_code == 404


# Who may


def test_processing_page_for_anonymous_redirects_to_login(client, contest):
    with translation.override("en"):
        login = reverse("account_login")

    response = client.get(page(contest))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, login)


@pytest.fixture(params=["participant", "juror", "organiser_of_another_contest"])
def refused_user(request, contest):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    return request.getfixturevalue(request.param)


def test_processing_for_others_forbidden(client, api_client, contest, refused_user):
    failure(contest, message="secret detail")
    client.force_login(refused_user)
    api_client.force_login(refused_user)

    response = client.get(page(contest))
    answer = api_client.get(api(contest.slug))

    assert (response.status_code, "secret detail" in body_of(response)) == (403, False)
    assert (answer.status_code, answer.json()) == (
        403,
        # No Accept-Language: the site's language, Russian.
        {"detail": "Фоновую обработку конкурса могут видеть только его организаторы.", "code": "not_allowed"},
    )


def test_processing_page_only_by_get(organiser_client, contest):
    assert organiser_client.post(page(contest)).status_code == 405


# The broker's error names its host: staff read it, organisers only learn that it failed


@pytest.fixture
def broker_down(monkeypatch):  # type: ignore[no-untyped-def]
    from monitoring import selectors

    down = selectors.Queues(
        inline=False,
        broker_error="OperationalError: Error 111 connecting to redis.internal:6379. Connection refused.",
        states=tuple(selectors.QueueState(name, None, None) for name in selectors.queue_names()),
    )
    monkeypatch.setattr(selectors, "queues_state", lambda: down)


def test_processing_when_broker_down_organiser_sees_no_host(
    organiser_client, api_client, contest, organiser, broker_down
):  # type: ignore[no-untyped-def]
    api_client.force_login(organiser)

    html = body_of(organiser_client.get(page(contest)))
    data = api_client.get(api(contest.slug)).json()

    assert "The message broker could not be reached" in html and "<small>OperationalError</small>" in html
    assert "redis.internal" not in html
    assert data["queues"]["broker_error"] == "OperationalError"


def test_processing_when_broker_down_staff_sees_the_error(client, contest, staff_organiser, broker_down):  # type: ignore[no-untyped-def]
    client.force_login(staff_organiser)

    html = body_of(client.get(page(contest)))

    assert "OperationalError: Error 111 connecting to redis.internal:6379. Connection refused." in html
