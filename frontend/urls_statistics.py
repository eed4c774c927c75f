"""The organiser's statistics and their downloads, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser_statistics as views

urlpatterns = [
    path("c/<slug:slug>/statistics/", views.statistics, name="organiser_statistics"),
    path(
        "c/<slug:slug>/statistics/download/<str:file_format>/",
        views.statistics_download,
        name="organiser_statistics_download",
    ),
]
