"""Publishing a round's finalised results to the blog, by the organiser's click; under ``organise/``."""

from django.urls import path

from frontend.views import organiser_publication

urlpatterns = [
    path(
        "c/<slug:slug>/rounds/<id:number>/results/publish/",
        organiser_publication.results_publish_view,
        name="organiser_results_publish",
    ),
]
