from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api_tokens"
    verbose_name = _("API tokens")

    def ready(self) -> None:
        # Registers the token's description in the API schema.
        from api_tokens import schema  # noqa: F401
