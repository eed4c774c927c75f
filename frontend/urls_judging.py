"""The organiser's judging pages, included under ``organise/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend.views import organiser_judging as views

urlpatterns = [
    path("c/<slug:slug>/rubric/", views.rubric, name="organiser_rubric"),
    path("c/<slug:slug>/rubric/new/", views.criterion_edit, name="organiser_criterion_new"),
    path("c/<slug:slug>/rubric/<id:pk>/", views.criterion_edit, name="organiser_criterion_edit"),
    path("c/<slug:slug>/rubric/<id:pk>/delete/", views.criterion_remove, name="organiser_criterion_delete"),
    path("c/<slug:slug>/rounds/", views.round_list, name="organiser_rounds"),
    path("c/<slug:slug>/rounds/new/", views.round_edit, name="organiser_round_new"),
    path("c/<slug:slug>/rounds/<id:number>/", views.round_edit, name="organiser_round_edit"),
    path("c/<slug:slug>/rounds/<id:number>/open/", views.round_open_view, name="organiser_round_open"),
    path("c/<slug:slug>/rounds/<id:number>/close/", views.round_close_view, name="organiser_round_close"),
    path("c/<slug:slug>/rounds/<id:number>/shortlist/", views.round_shortlist_view, name="organiser_round_shortlist"),
    path("c/<slug:slug>/rounds/<id:number>/assign/", views.round_assign, name="organiser_round_assign"),
    path("c/<slug:slug>/rounds/<id:number>/assign/add/", views.assignment_add_view, name="organiser_assignment_add"),
    path(
        "c/<slug:slug>/rounds/<id:number>/assign/remove/",
        views.assignment_remove_view,
        name="organiser_assignment_remove",
    ),
]
