"""The blog's Atom feed, one per language (``/kk/blog/feed/``, ``/ru/blog/feed/``, ``/en/blog/feed/``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from blog.models import Post
from blog.selectors import posts_published

FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedItem:
    """A post and its full address: items are rendered one at a time, without the request."""

    post: Post
    link: str


if TYPE_CHECKING:
    # django-stubs makes Feed generic in its items and object; Django's class is not subscriptable.
    FeedBase = Feed[FeedItem, str]
else:
    FeedBase = Feed


class PostFeed(FeedBase):
    """The newest published posts. Addresses are built from the request's own host: the feed is read
    wherever Baige is served, and the sites framework's single domain would be wrong behind a proxy."""

    feed_type = Atom1Feed
    title = _("Pedagogical Technologies")
    subtitle = _("The winners of the contest: their lessons, the platforms they used, videos and slides.")

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> str:
        """The address of the site's root as this request reached it; every link in the feed starts with it."""
        return request.build_absolute_uri("/").rstrip("/")

    def link(self, obj: str) -> str:
        return obj + reverse("frontend:blog")

    def feed_url(self, obj: str) -> str:
        return obj + reverse("frontend:blog_feed")

    def items(self, obj: str) -> list[FeedItem]:
        return [
            FeedItem(
                post=post,
                link=obj + reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug}),
            )
            for post in posts_published()[:FEED_LENGTH]
        ]

    def item_title(self, item: FeedItem) -> str:
        return item.post.title

    def item_description(self, item: FeedItem) -> str:
        # Atom readers take the summary as HTML: the organiser's plain text is escaped, its paragraphs kept.
        text = item.post.summary or item.post.body
        return linebreaks(text, autoescape=True) if text else ""

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        return item.link

    def item_pubdate(self, item: FeedItem) -> datetime | None:
        return item.post.published_at

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.post.updated_at

    def item_categories(self, item: FeedItem) -> list[str]:
        post = item.post
        names = [str(platform.name) for platform in post.platforms.all()]
        return [str(post.nomination.name), *names] if post.nomination is not None else names
