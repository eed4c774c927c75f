"""The jury panel's pages, included under ``jury/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import jury, media

urlpatterns = [
    path("", jury.home, name="jury_home"),
    path("r/<id:round_id>/", jury.round_page, name="jury_round"),
    path("r/<id:round_id>/<str:code>/", jury.entry_page, name="jury_entry"),
    path(
        "r/<id:round_id>/<str:code>/media/<uuid:asset>/<str:name>/",
        media.jury_rendition_file,
        name="jury_rendition",
    ),
]
