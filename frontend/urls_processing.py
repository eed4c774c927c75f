"""The organiser's view of background processing, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser_processing

urlpatterns = [
    path("c/<slug:slug>/processing/", organiser_processing.processing, name="organiser_processing"),
]
