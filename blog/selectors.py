"""Reads of the blog: what visitors see, which is only ever published posts."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from blog.models import Post, PostStatus
from contest.models import Nomination, Platform
from contest.selectors import platforms_in_order
from media_pipeline.models import Rendition
from media_pipeline.renditions import PUBLIC_RENDITIONS
from media_pipeline.selectors import get_current_rendition

#: What stands for a post in lists and link previews, best first: a video's poster frame, a presentation's cover
#: (its first slide), else the first slide's page image.
THUMBNAILS = ("poster", "cover", "page-0001")


def posts_published() -> QuerySet[Post]:
    """Published posts, newest first (a publication's places in order), with tags and thumbnail, in few queries."""
    return (
        Post.objects.filter(status=PostStatus.PUBLISHED)
        .select_related("contest", "nomination", "entry__media")
        .prefetch_related(
            platforms_in_order(),
            Prefetch(
                "entry__media__renditions",
                queryset=Rendition.objects.filter(name__in=THUMBNAILS),
                to_attr="thumbnails",
            ),
        )
        # One publication gives its posts the same moment: there, 1st, 2nd, 3rd, then the special awards.
        .order_by("-published_at", F("place").asc(nulls_last=True), "id")
    )


def post_thumbnail(post: Post) -> Rendition | None:
    """The post's poster or first slide once it is made, from what :func:`posts_published` fetched (or one query).

    Only the entry's current file counts; ``None`` while its images are not made yet (or never will be).
    """
    media = post.entry.media if post.entry is not None else None
    if media is None:
        return None
    thumbnails = getattr(media, "thumbnails", None)
    if thumbnails is None:
        thumbnails = list(media.renditions.filter(name__in=THUMBNAILS))
    return min(thumbnails, key=lambda rendition: THUMBNAILS.index(rendition.name), default=None)


def _choices_in_use(model: type[Platform] | type[Nomination]) -> list[tuple[str, str]]:
    """``(slug, name)`` of the platforms or nominations of published posts; one row per slug across contests."""
    seen: dict[str, str] = {}
    for item in model.objects.filter(posts__status=PostStatus.PUBLISHED).distinct().order_by("order", "id"):
        seen.setdefault(item.slug, str(item.name))
    return list(seen.items())


class PostFilter(django_filters.FilterSet):
    """``?platform=<slug>&nomination=<slug>``: the same slug means the same tag in every contest."""

    platform = django_filters.ChoiceFilter(field_name="platforms__slug", label=_("Platform"), empty_label=_("All"))
    nomination = django_filters.ChoiceFilter(field_name="nomination__slug", label=_("Nomination"), empty_label=_("All"))

    class Meta:
        model = Post
        fields = ["platform", "nomination"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["platform"].extra["choices"] = _choices_in_use(Platform)
        self.filters["nomination"].extra["choices"] = _choices_in_use(Nomination)


def get_published_post(*, contest_slug: str, slug: str) -> Post:
    """A published post with everything its page shows, or 404: a draft looks exactly like a missing post."""
    post = posts_published().filter(contest__slug=contest_slug, slug=slug).first()
    if post is None:
        raise Http404
    return post


def get_public_rendition(*, contest_slug: str, slug: str, asset: uuid.UUID, name: str) -> tuple[Post, Rendition]:
    """A viewable file of a published post's entry, or 404 for anything else (drafts, other files, old uploads)."""
    if not PUBLIC_RENDITIONS.fullmatch(name):
        raise Http404
    post = (
        Post.objects.filter(status=PostStatus.PUBLISHED, contest__slug=contest_slug, slug=slug)
        .select_related("entry")
        .first()
    )
    if post is None or post.entry is None or post.entry.media_id is None:
        raise Http404
    # Only the entry's current file: an older upload may still carry what the author replaced.
    return post, get_current_rendition(post.entry, asset=asset, name=name)
