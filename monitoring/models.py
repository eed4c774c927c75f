"""What the organisers' view of background processing keeps: the tasks that failed for good."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskFailure(models.Model):
    """A background task that ended in an error after its retries, as the worker saw it.

    A task that a worker's crash interrupted is not one: it goes back to its queue and runs again.
    """

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    #: The contest the task worked for, when its arguments name one of its rows; ``None`` for work of the site.
    contest = models.ForeignKey(
        "contest.Contest", on_delete=models.SET_NULL, null=True, blank=True, related_name="task_failures"
    )
    #: The code of the entry the task worked on, if any; kept as text so that it outlives the entry.
    entry_code = models.CharField(_("entry"), max_length=32, blank=True)
    exception = models.CharField(_("error type"), max_length=200)
    message = models.TextField(_("error"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    #: The task's keyword arguments (ids only, by Baige's convention), for finding the rows it worked on.
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    #: The id of the web request that queued the task, to find both in the logs.
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    failed_at = models.DateTimeField(_("failed at"), db_index=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-pk"]
        indexes = [models.Index(fields=["contest", "-failed_at"], name="taskfailure_contest_recent")]

    def __str__(self) -> str:
        return f"{self.task_name} · {self.failed_at:%Y-%m-%d %H:%M}"
