"""Failed tasks are recorded for organisers: by the Celery signal, with the contest and entry they worked for."""

from datetime import timedelta

from django.utils import timezone

from certificates.models import IssueRun
from config.logging import request_id_reset, request_id_set
from contest.tasks import send_entry_submitted_email
from judging.models import Results
from monitoring.models import TaskFailure
from monitoring.services import task_failure_record, task_failures_prune
from monitoring.tasks import prune_task_failures
from tests.factories import ContestFactory, EntryFactory, MediaAssetFactory
from tests.judging import juror_in, round_of

#: An SMTP server nobody listens on: sending fails at once with "connection refused".
CLOSED_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,
    "EMAIL_TIMEOUT": 5,
}


def _record(**arguments):  # type: ignore[no-untyped-def]
    return task_failure_record(
        task_name="judging.publish_results",
        task_id="id-1",
        queue="default",
        arguments=arguments,
        exception=RuntimeError("boom"),
        traceback_text="Traceback ...\nRuntimeError: boom",
        request_id="",
    )


def test_task_failure_when_task_fails_in_process_is_recorded_with_its_entry(db, settings):
    for name, value in CLOSED_SMTP.items():
        setattr(settings, name, value)
    entry = EntryFactory()
    token = request_id_set("req-42")
    try:
        result = send_entry_submitted_email.apply(kwargs={"entry_id": entry.pk})
    finally:
        request_id_reset(token)

    assert result.failed()
    failure = TaskFailure.objects.get()
    assert (
        failure.task_name,
        failure.task_id,
        failure.contest_id,
        failure.entry_code,
        failure.exception,
        failure.message,
        failure.arguments,
        failure.request_id,
    ) == (
        "contest.send_entry_submitted_email",
        result.id,
        entry.contest_id,
        entry.code,
        "ConnectionRefusedError",
        "[Errno 111] Connection refused",
        {"entry_id": entry.pk},
        "req-42",
    )
    assert failure.traceback.rstrip().endswith("ConnectionRefusedError: [Errno 111] Connection refused")


def test_task_failure_when_task_succeeds_is_not_recorded(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    entry = EntryFactory()

    assert send_entry_submitted_email.apply(kwargs={"entry_id": entry.pk}).successful()
    assert TaskFailure.objects.count() == 0


def test_task_failure_record_when_arguments_name_an_asset_finds_entry_and_contest(db):
    asset = MediaAssetFactory()

    failure = _record(asset_id=asset.pk)

    assert (failure.contest_id, failure.entry_code) == (asset.entry.contest_id, asset.entry.code)


def test_task_failure_record_when_arguments_name_results_round_or_juror_finds_contest(db, contest):
    round = round_of(contest, [], [])
    results = Results.objects.create(round=round, content_hash="0" * 64, finalised_at=timezone.now())
    juror = juror_in(contest)

    assert [
        _record(results_id=results.pk).contest_id,
        _record(round_id=round.pk).contest_id,
        _record(juror_id=juror.pk).contest_id,
    ] == [contest.pk, contest.pk, contest.pk]


def test_task_failure_record_when_arguments_name_a_certificate_run_finds_contest(db, contest):
    run = IssueRun.objects.create(contest=contest)

    assert _record(issue_run_id=run.pk).contest_id == contest.pk


def test_task_failure_record_when_rows_gone_or_no_ids_belongs_to_the_site(db):
    assert [(failure.contest_id, failure.entry_code) for failure in (_record(entry_id=999999), _record())] == [
        (None, ""),
        (None, ""),
    ]


def test_task_failure_record_keeps_odd_arguments_as_short_text(db):
    failure = _record(entry_id=True, data=b"\x00" * 1000)

    assert failure.contest_id is None
    assert failure.arguments["entry_id"] is True
    assert failure.arguments["data"].startswith("b'\\x00") and len(failure.arguments["data"]) == 200


def test_task_failures_prune_forgets_only_old_ones(db, settings):
    settings.TASK_FAILURE_RETENTION_DAYS = 90
    old, recent = _record(), _record()
    TaskFailure.objects.filter(pk=old.pk).update(failed_at=timezone.now() - timedelta(days=91))
    TaskFailure.objects.filter(pk=recent.pk).update(failed_at=timezone.now() - timedelta(days=89))

    assert prune_task_failures.apply().get() == 1
    assert list(TaskFailure.objects.values_list("pk", flat=True)) == [recent.pk]
    assert task_failures_prune(older_than=timedelta(days=1)) == 1


def test_task_failure_when_entry_deleted_keeps_its_code(db):
    entry = EntryFactory(contest=ContestFactory())
    failure = _record(entry_id=entry.pk)
    entry.delete()

    failure.refresh_from_db()
    assert (failure.contest_id, failure.entry_code) == (entry.contest_id, entry.code)


def test_prune_is_scheduled_by_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["prune-task-failures"]["task"] == "monitoring.prune_task_failures"
