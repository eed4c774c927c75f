"""Judging progress, reminders and reassignment for organisers, under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser_progress as views

urlpatterns = [
    path("c/<slug:slug>/rounds/<id:number>/progress/", views.round_progress_page, name="organiser_progress"),
    path("c/<slug:slug>/rounds/<id:number>/progress/remind/", views.remind, name="organiser_progress_remind"),
    path(
        "c/<slug:slug>/rounds/<id:number>/progress/jurors/<id:juror_id>/",
        views.juror_page,
        name="organiser_progress_juror",
    ),
    path(
        "c/<slug:slug>/rounds/<id:number>/progress/jurors/<id:juror_id>/reassign/",
        views.reassign,
        name="organiser_progress_reassign",
    ),
]
