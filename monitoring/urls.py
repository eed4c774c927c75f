"""API v1 routes of monitoring."""

from django.urls import path

from monitoring.api import ContestProcessingView

app_name = "monitoring_api"
urlpatterns = [
    path("contests/<slug:slug>/processing/", ContestProcessingView.as_view(), name="processing"),
]
