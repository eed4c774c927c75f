"""The organiser's results of a round: rankings side by side, agreement, finalising; under ``organise/``."""

from django.urls import path

from frontend.views import organiser_results as views

urlpatterns = [
    path("c/<slug:slug>/rounds/<id:number>/results/", views.results, name="organiser_results"),
    path("c/<slug:slug>/rounds/<id:number>/results/ranking/", views.results_ranking, name="organiser_results_ranking"),
    path(
        "c/<slug:slug>/rounds/<id:number>/results/finalise/",
        views.results_finalise_view,
        name="organiser_results_finalise",
    ),
    path(
        "c/<slug:slug>/rounds/<id:number>/results/awards/new/",
        views.results_award_add,
        name="organiser_results_award_add",
    ),
    path(
        "c/<slug:slug>/rounds/<id:number>/results/awards/<id:pk>/",
        views.results_award_change,
        name="organiser_results_award_change",
    ),
]
