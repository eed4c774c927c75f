from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Contest data in and out: spreadsheets, imports, exports, contest definition files and the demo."""

    name = "exchange"
    verbose_name = _("Data exchange")
