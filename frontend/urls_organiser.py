"""The organiser's pages, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser

urlpatterns = [
    path("", organiser.organiser_home, name="organiser_home"),
    path("c/<slug:slug>/", organiser.dashboard, name="organiser_dashboard"),
    path("c/<slug:slug>/settings/", organiser.contest_settings, name="organiser_settings"),
    path("c/<slug:slug>/platforms/", organiser.platform_list, name="organiser_platforms"),
    path("c/<slug:slug>/platforms/new/", organiser.platform_edit, name="organiser_platform_new"),
    path("c/<slug:slug>/platforms/<id:pk>/", organiser.platform_edit, name="organiser_platform_edit"),
    path("c/<slug:slug>/platforms/<id:pk>/delete/", organiser.platform_remove, name="organiser_platform_delete"),
    path("c/<slug:slug>/nominations/", organiser.nomination_list, name="organiser_nominations"),
    path("c/<slug:slug>/nominations/new/", organiser.nomination_edit, name="organiser_nomination_new"),
    path("c/<slug:slug>/nominations/<id:pk>/", organiser.nomination_edit, name="organiser_nomination_edit"),
    path("c/<slug:slug>/nominations/<id:pk>/delete/", organiser.nomination_remove, name="organiser_nomination_delete"),
    path("c/<slug:slug>/import/", organiser.import_upload, name="organiser_import"),
    path("c/<slug:slug>/import/confirm/", organiser.import_confirm, name="organiser_import_confirm"),
    path("c/<slug:slug>/import/cancel/", organiser.import_cancel, name="organiser_import_cancel"),
    path("c/<slug:slug>/import/template.csv", organiser.import_template, name="organiser_import_template"),
]
