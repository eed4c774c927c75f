from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media")

    def ready(self) -> None:
        from media_pipeline.receivers import entry_files_remove_on_commit  # noqa: F401  (connects the receiver)
