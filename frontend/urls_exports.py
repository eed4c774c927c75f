"""The organiser's downloads of exports, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser_exports

urlpatterns = [
    path("c/<slug:slug>/exports/", organiser_exports.exports, name="organiser_exports"),
    path("c/<slug:slug>/exports/download/", organiser_exports.export_download, name="organiser_export_download"),
]
