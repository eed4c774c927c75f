"""The organiser's jury pages: jurors, invitations, conflicts, bulk import; under ``organise/`` in ``frontend``."""

from django.urls import path

from frontend.views import organiser_jury as views

urlpatterns = [
    path("c/<slug:slug>/jury/", views.jury_list, name="organiser_jury"),
    path("c/<slug:slug>/jury/<id:pk>/", views.juror_edit, name="organiser_juror"),
    path("c/<slug:slug>/jury/<id:pk>/resend/", views.juror_resend, name="organiser_juror_resend"),
    path("c/<slug:slug>/jury/<id:pk>/conflicts/", views.juror_conflicts, name="organiser_juror_conflicts"),
    path(
        "c/<slug:slug>/jury/conflicts/<id:pk>/resolve/", views.conflict_resolve_view, name="organiser_conflict_resolve"
    ),
    path("c/<slug:slug>/jury/import/", views.jury_import_upload, name="organiser_jury_import"),
    path("c/<slug:slug>/jury/import/confirm/", views.jury_import_confirm, name="organiser_jury_import_confirm"),
    path("c/<slug:slug>/jury/import/cancel/", views.jury_import_cancel, name="organiser_jury_import_cancel"),
    path("c/<slug:slug>/jury/import/template.csv", views.jury_import_template, name="organiser_jury_import_template"),
]
