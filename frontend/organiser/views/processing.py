"""The organiser's view of background processing: the queues, the contest's files and the tasks that failed.

It is where an organiser looks when uploads seem slow the evening before the deadline: how many files
wait, whether a worker takes each queue, which files could not be processed and why, and which tasks
(e-mails, publication, processing) failed after their retries, with the request id to give the
operators. The same figures are in the API (``/api/v1/contests/<slug>/processing/``) for monitoring.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contest.selectors import get_contest_for_organiser
from frontend.http import AuthenticatedHttpRequest
from media_pipeline.reasons import reason_text
from monitoring.enums import queue_label, task_label
from monitoring.selectors import FAILURES_PERIOD, FAILURES_SHOWN, contest_failed_files, contest_processing

#: How many files that failed processing the page lists.
FAILED_FILES_SHOWN = 100


@login_required
@require_GET
def processing(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Queues and workers of the site, the contest's files by state and its recent failed tasks."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    state = contest_processing(contest=contest, viewer=request.user)
    wait = state.files.oldest_wait
    context = {
        "contest": contest,
        "section": "processing",
        "state": state,
        "queues": [(queue, queue_label(queue.name)) for queue in state.queues.states],
        "oldest_wait_minutes": int(wait.total_seconds() // 60) if wait is not None else None,
        "failed_files": [
            (entry, reason_text(entry.media.reason_code, entry.media.reason_params) if entry.media.reason_code else "")
            for entry in contest_failed_files(contest=contest)[:FAILED_FILES_SHOWN]
            if entry.media is not None
        ],
        "failures": [(failure, task_label(failure.task_name)) for failure in state.failures],
        "failures_days": FAILURES_PERIOD.days,
        "failures_shown": FAILURES_SHOWN,
    }
    return render(request, "frontend/organiser/processing.html", context)
