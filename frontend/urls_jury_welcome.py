"""A juror's first steps (accepting the invitation, declaring conflicts), under ``jury/`` in ``frontend``."""

from django.urls import path

from frontend.views import jury_welcome as views

urlpatterns = [
    path("welcome/", views.welcome, name="jury_welcome"),
    path("c/<slug:slug>/conflicts/", views.conflicts, name="jury_conflicts"),
]
