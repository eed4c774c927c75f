"""How the API shows background processing."""

from __future__ import annotations

from rest_framework import serializers

from monitoring.enums import queue_label, task_label
from monitoring.models import TaskFailure


class QueueStateSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The queue's name: `media`, `office` or `default`.")
    description = serializers.SerializerMethodField(help_text="What the queue carries, in the requester's language.")
    waiting = serializers.IntegerField(
        allow_null=True, help_text="Tasks waiting for a worker; null when the broker could not be asked."
    )
    workers = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Workers that answered for this queue; empty: none takes its work; null: not known.",
    )

    def get_description(self, state: object) -> str:
        return queue_label(str(getattr(state, "name", "")))


class QueuesSerializer(serializers.Serializer):
    inline = serializers.BooleanField(help_text="Tasks run inside the web process: there are no queues.")
    broker_error = serializers.CharField(help_text="Why the broker could not be asked; empty when it answered.")
    states = QueueStateSerializer(many=True)


class ContestFilesSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Current files of the contest's entries waiting for a worker.")
    processing = serializers.IntegerField()
    ready = serializers.IntegerField()
    failed = serializers.IntegerField()
    oldest_queued_at = serializers.DateTimeField(allow_null=True, help_text="When the longest-waiting file was queued.")


class TaskFailureSerializer(serializers.ModelSerializer):
    task_label = serializers.SerializerMethodField(help_text="What the task does, in the requester's language.")

    class Meta:
        model = TaskFailure
        fields = [
            "task_name",
            "task_label",
            "task_id",
            "queue",
            "entry_code",
            "exception",
            "message",
            "request_id",
            "failed_at",
        ]

    def get_task_label(self, failure: TaskFailure) -> str:
        return task_label(failure.task_name)


class ProcessingSerializer(serializers.Serializer):
    queues = QueuesSerializer(help_text="The site's queues: every contest's work shares them.")
    files = ContestFilesSerializer(help_text="The contest's current files by processing state.")
    failures_since = serializers.DateTimeField(help_text="The start of the period the failures cover.")
    failure_count = serializers.IntegerField(
        help_text="Tasks of this contest (and, for staff, of the site) that failed since then."
    )
    site_failures = serializers.BooleanField(
        help_text="Whether the failures include the site's own, tied to no contest (staff and superusers only)."
    )
    failures = TaskFailureSerializer(many=True, help_text="The latest of them, newest first (at most 50).")
