"""API v1: every app's routes under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("contest.urls")),
    path("", include("media_pipeline.urls")),
    path("", include("judging.urls")),
    path("", include("monitoring.urls")),
]
