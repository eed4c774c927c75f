"""Certificates' pages, included at the root of the ``frontend`` namespace (under the language prefix)."""

from django.urls import path

from frontend.certificates import views

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("certificates/<str:code>.pdf", views.download, name="certificate_download"),
    path(
        "coauthor/<str:token>/certificates/<str:code>.pdf",
        views.coauthor_download,
        name="certificate_coauthor_download",
    ),
]
