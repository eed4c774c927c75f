"""Field validators for contest data."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

#: Only web links: a live activity is opened by jurors in their browser.
validate_http_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a link that starts with http:// or https://.")
)


def validate_timezone(value: str) -> None:
    """Refuse a time zone name that the IANA database does not know."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(name)s"), params={"name": value}, code="timezone")
