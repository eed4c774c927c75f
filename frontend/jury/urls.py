"""The jury panel's pages and a juror's first steps, included under ``jury/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend import media
from frontend.jury.views import panel, welcome

urlpatterns = [
    path("", panel.home, name="jury_home"),
    path("r/<id:round_id>/", panel.round_page, name="jury_round"),
    path("r/<id:round_id>/<str:code>/", panel.entry_page, name="jury_entry"),
    path("r/<id:round_id>/<str:code>/next/", panel.next_unscored, name="jury_next"),
    path("r/<id:round_id>/<str:code>/conflict/", panel.entry_conflict, name="jury_entry_conflict"),
    path(
        "r/<id:round_id>/<str:code>/media/<uuid:asset>/<str:name>/",
        media.jury_rendition_file,
        name="jury_rendition",
    ),
    # A juror's first steps: accepting the invitation, declaring conflicts.
    path("welcome/", welcome.welcome, name="jury_welcome"),
    path("c/<slug:slug>/conflicts/", welcome.conflicts, name="jury_conflicts"),
]
