"""What the queues and tasks are called where organisers read about them."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The work each queue carries, by queue name.
QUEUE_LABELS: dict[str, Promise] = {
    "media": _("Videos"),
    "office": _("Presentations and PDF files"),
    "default": _("E-mails, reminders and publication of results"),
}

#: Each task by its Celery name; a task not listed here is shown by that name.
TASK_LABELS: dict[str, Promise] = {
    "contest.send_entry_submitted_email": _("E-mail to a participant: entry received"),
    "judging.send_juror_invitation": _("Invitation to a juror"),
    "judging.send_juror_reminder": _("Reminder to a juror"),
    "judging.remind_jurors_daily": _("Daily reminders to jurors"),
    "judging.publish_results": _("Publication of results"),
    "judging.publish_due_results": _("Publication of results at their announced time"),
    "judging.send_result_notice": _("E-mail to an author or co-author: results"),
    "judging.send_result_email": _("E-mail to a participant: results"),
    "judging.send_coauthor_result_email": _("E-mail to a co-author: results"),
    "media_pipeline.process_asset": _("Checking an uploaded file"),
    "media_pipeline.media.process": _("Processing a video"),
    "media_pipeline.office.process": _("Processing a presentation"),
    "media_pipeline.reap_stuck_assets": _("Taking back files of stopped workers"),
    "media_pipeline.discard_stale_uploads": _("Discarding abandoned uploads"),
    "media_pipeline.send_asset_failed_email": _("E-mail to a participant: file could not be processed"),
    "monitoring.prune_task_failures": _("Forgetting old failed tasks"),
}


def task_label(name: str) -> str:
    """The task's description in the current language, or its Celery name for a task Baige does not know."""
    label = TASK_LABELS.get(name)
    return str(label) if label is not None else name


def queue_label(name: str) -> str:
    """What the queue carries, in the current language, or its name for a queue Baige does not know."""
    label = QUEUE_LABELS.get(name)
    return str(label) if label is not None else name
