"""API v1: every app's routes under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    # Contests and a participant's entries (shown with their file): the ``contest_api`` namespace.
    path("", include("media_pipeline.entry_urls")),
    path("", include("media_pipeline.urls")),
    path("", include("judging.urls")),
    path("", include("monitoring.urls")),
]
