from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = _("Activity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activity import receivers, registry

        registry.register_models()
        receivers.connect()
