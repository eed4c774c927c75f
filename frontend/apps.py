from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from frontend.site import site_sync_on_migrate

        # After the sites app's own handler, which creates example.com on a fresh database.
        post_migrate.connect(
            site_sync_on_migrate, sender=apps.get_app_config("sites"), dispatch_uid="frontend.site_sync"
        )
