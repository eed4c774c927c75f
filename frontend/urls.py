"""Pages, under the language prefix (/kk/, /ru/, /en/): each audience's URLs, all in the ``frontend`` namespace."""

from django.urls import include, path

app_name = "frontend"
urlpatterns = [
    path("", include("frontend.participant.urls")),
    path("organise/", include("frontend.organiser.urls")),
    path("jury/", include("frontend.jury.urls")),
    path("blog/", include("frontend.blog.urls")),
    path("account/", include("frontend.accounts.urls")),
    path("", include("frontend.certificates.urls")),
]
