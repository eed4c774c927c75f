from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Background processing")

    def ready(self) -> None:
        # Connects the Celery signal that records a task's final failure.
        from monitoring import signals  # noqa: F401
