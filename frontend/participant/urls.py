"""A participant's pages: the contests, their profile and their entries; at the root of the ``frontend`` namespace."""

from django.urls import include, path

from frontend import media
from frontend.participant import views

entry_patterns = [
    path("", views.entry_detail, name="entry_detail"),
    path("edit/", views.entry_edit, name="entry_edit"),
    path("upload/", views.entry_upload, name="entry_upload"),
    path("submit/", views.entry_submit_view, name="entry_submit"),
    path("withdraw/", views.entry_withdraw_view, name="entry_withdraw"),
    path("delete/", views.entry_delete_view, name="entry_delete"),
    path("file/", views.entry_file, name="entry_file"),
    path("media/status/", media.media_status, name="media_status"),
    path("media/<uuid:asset>/<str:name>/", media.rendition_file, name="rendition"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("entries/", views.my_entries, name="my_entries"),
    path("c/<slug:slug>/", views.contest_page, name="contest"),
    path("c/<slug:slug>/entries/new/", views.entry_new, name="entry_new"),
    path("c/<slug:slug>/entries/<str:code>/", include(entry_patterns)),
    path("coauthor/<str:token>/", views.entry_coauthor, name="entry_coauthor"),
]
