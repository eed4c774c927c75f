"""The public blog "Pedagogical Technologies": the winners' posts for every visitor, signed in or not.

Only published posts exist here: ``blog.selectors`` loads nothing else, so a draft answers 404 like a
missing post. Each post's page carries what link previews read (Open Graph, Twitter cards) and the
addresses of the same post in the other languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from blog.models import Post
from blog.selectors import PostFilter, get_published_post, post_thumbnail, posts_published
from media_pipeline.models import Rendition
from media_pipeline.selectors import asset_preview

POSTS_PER_PAGE = 12
#: ``og:locale`` wants a territory; each language is written for the consortium's countries.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}


@dataclass(frozen=True)
class Card:
    """A post as the list shows it: the post, the address of its thumbnail and what the thumbnail shows."""

    post: Post
    #: Empty while the entry's images are not made: the card shows a neutral placeholder instead.
    thumbnail_url: str
    thumbnail_alt: str


def thumbnail_alt(post: Post, rendition: Rendition) -> str:
    """What the post's thumbnail shows, for people who do not see it: a video's frame or the first slide."""
    title = post.entry.title if post.entry is not None else post.title
    if rendition.name == "poster":
        return _("A frame of the video “%(title)s”") % {"title": title}
    return _("The first slide of “%(title)s”") % {"title": title}


def media_url(post: Post, rendition: Rendition) -> str:
    """The public address of a file of the post's entry."""
    return reverse(
        "frontend:blog_media",
        kwargs={"contest": post.contest.slug, "slug": post.slug, "asset": rendition.asset.uuid, "name": rendition.name},
    )


def post_card(post: Post) -> Card:
    """The post as a card of the list: its thumbnail once the entry's images are made."""
    thumbnail = post_thumbnail(post)
    if thumbnail is None:
        return Card(post=post, thumbnail_url="", thumbnail_alt="")
    return Card(post=post, thumbnail_url=media_url(post, thumbnail), thumbnail_alt=thumbnail_alt(post, thumbnail))


def post_list(request: HttpRequest) -> HttpResponse:
    """Published posts, newest first, filtered by platform and nomination from the query string."""
    filters = PostFilter(request.GET or None, queryset=posts_published())
    for field in filters.form.fields.values():
        # Each filter applies as soon as it is chosen (baige.js); without a script the form has a button.
        field.widget.attrs["data-autosubmit"] = ""
    page = Paginator(filters.qs, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    cards = [post_card(post) for post in page.object_list]
    return render(
        request,
        "frontend/blog/list.html",
        {"filters": filters, "page": page, "cards": cards, "query": query.urlencode()},
    )


def _alternates(post: Post, request: HttpRequest) -> list[tuple[str, str]]:
    """``(language, absolute address)`` of the post in each of Baige's languages."""
    found = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            path = reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug})
        found.append((language, request.build_absolute_uri(path)))
    return found


def post_detail(request: HttpRequest, contest: str, slug: str) -> HttpResponse:
    """One winner's post: the award, the entry's player or slides, and its link preview's tags."""
    post = get_published_post(contest_slug=contest, slug=slug)
    preview = asset_preview(post.entry.media) if post.entry is not None else None
    language = translation.get_language() or settings.LANGUAGE_CODE
    thumbnail = post_thumbnail(post)
    context: dict[str, Any] = {
        "post": post,
        "contest": post.contest,
        "preview": preview,
        # The player builds each file's address from (scope, code); on the blog the post's slug stands
        # where the entry's code would, so the public address never reveals the entry.
        "media_entry": {"code": post.slug},
        "canonical_url": request.build_absolute_uri(request.path),
        "alternates": _alternates(post, request),
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [OG_LOCALES[code] for code, _name in settings.LANGUAGES if code != language],
        "og_image": request.build_absolute_uri(media_url(post, thumbnail)) if thumbnail is not None else "",
        "og_image_alt": thumbnail_alt(post, thumbnail) if thumbnail is not None else "",
        "description": post.summary or post.body or post.title,
    }
    return render(request, "frontend/blog/post.html", context)
