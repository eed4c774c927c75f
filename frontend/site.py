"""The site's name and domain (``django.contrib.sites``), as allauth's e-mails and links give them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def site_sync(*, using: str = "default") -> Site:
    """Set the current site's domain from ``SITE_URL`` and its name from ``SITE_NAME``; changes nothing else."""
    domain = urlsplit(settings.SITE_URL).netloc
    site, _created = Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
    Site.objects.clear_cache()
    return site


def site_sync_on_migrate(*, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: the site is what the settings say, not Django's ``example.com``."""
    site_sync(using=using)
