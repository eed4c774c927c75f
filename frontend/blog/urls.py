"""The public blog, included under ``blog/`` in the ``frontend`` namespace."""

from django.urls import path

from frontend import media
from frontend.blog import views
from frontend.blog.feeds import PostFeed

urlpatterns = [
    path("", views.post_list, name="blog"),
    path("feed/", PostFeed(), name="blog_feed"),
    path("<slug:contest>/<slug:slug>/", views.post_detail, name="blog_post"),
    path("<slug:contest>/<slug:slug>/media/<uuid:asset>/<str:name>/", media.blog_rendition_file, name="blog_media"),
]
