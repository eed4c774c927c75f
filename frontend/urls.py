"""Pages, under the language prefix (/kk/, /ru/, /en/)."""

from django.urls import include, path

from frontend.views import media, participant

app_name = "frontend"
urlpatterns = [
    path("", participant.home, name="home"),
    path("profile/", participant.profile, name="profile"),
    path("entries/", participant.my_entries, name="my_entries"),
    path("c/<slug:slug>/", participant.contest_page, name="contest"),
    path("c/<slug:slug>/entries/new/", participant.entry_new, name="entry_new"),
    path("c/<slug:slug>/entries/<str:code>/", participant.entry_detail, name="entry_detail"),
    path("c/<slug:slug>/entries/<str:code>/edit/", participant.entry_edit, name="entry_edit"),
    path("c/<slug:slug>/entries/<str:code>/upload/", participant.entry_upload, name="entry_upload"),
    path("c/<slug:slug>/entries/<str:code>/submit/", participant.entry_submit_view, name="entry_submit"),
    path("c/<slug:slug>/entries/<str:code>/withdraw/", participant.entry_withdraw_view, name="entry_withdraw"),
    path("c/<slug:slug>/entries/<str:code>/file/", participant.entry_file, name="entry_file"),
    path("c/<slug:slug>/entries/<str:code>/media/status/", media.media_status, name="media_status"),
    path("c/<slug:slug>/entries/<str:code>/media/<uuid:asset>/<str:name>/", media.rendition_file, name="rendition"),
    path("organise/", include("frontend.urls_organiser")),
    path("organise/", include("frontend.urls_judging")),
    path("organise/", include("frontend.urls_exports")),
    path("organise/", include("frontend.urls_statistics")),
    path("organise/", include("frontend.urls_progress")),
    path("organise/", include("frontend.urls_organiser_jury")),
    path("organise/", include("frontend.urls_results")),
    path("organise/", include("frontend.urls_publication")),
    path("organise/", include("frontend.urls_processing")),
    path("jury/", include("frontend.urls_jury")),
    path("jury/", include("frontend.urls_jury_welcome")),
    path("blog/", include("frontend.urls_blog")),
    path("account/", include("frontend.urls_tokens")),
]
