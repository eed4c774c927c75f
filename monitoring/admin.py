from django.contrib import admin
from django.http import HttpRequest

from monitoring.models import TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Failed tasks, read-only: they are a record of what happened."""

    list_display = ["failed_at", "task_name", "queue", "contest", "entry_code", "exception", "request_id"]
    list_filter = ["task_name", "queue", "contest"]
    search_fields = ["task_name", "task_id", "entry_code", "message", "request_id"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TaskFailure | None = None) -> bool:
        return False
