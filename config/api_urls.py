"""API v1: every app's routes under /api/v1/."""

from django.urls import include, path

from exchange import urls as exchange_urls
from judging import urls as judging_urls

urlpatterns = [
    # Contests and a participant's entries (shown with their file): the ``contest_api`` namespace.
    path("", include("media_pipeline.entry_urls")),
    path("", include("media_pipeline.urls")),
    # Exchange's export route shares judging's namespace: its name stays ``judging_api:export``.
    path("", include((judging_urls.urlpatterns + exchange_urls.urlpatterns, judging_urls.app_name))),
    path("", include("monitoring.urls")),
]
