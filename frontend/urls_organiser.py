"""The organiser's pages, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser

urlpatterns = [
    path("c/<slug:slug>/import/", organiser.import_upload, name="organiser_import"),
    path("c/<slug:slug>/import/confirm/", organiser.import_confirm, name="organiser_import_confirm"),
    path("c/<slug:slug>/import/cancel/", organiser.import_cancel, name="organiser_import_cancel"),
    path("c/<slug:slug>/import/template.csv", organiser.import_template, name="organiser_import_template"),
]
