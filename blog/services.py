"""Writes to the blog: a post per award, created or corrected in place, published and withdrawn.

Organisers act through their pages; Baige itself (``actor=None``) when it publishes results at the
scheduled time. A broken rule raises :class:`~config.exceptions.BaigeError` and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post, PostStatus
from config.exceptions import BaigeError, full_clean_or_refuse
from contest.models import Contest, Entry, Nomination, Platform
from contest.services import Actor, contest_ensure_organiser
from contest.slugs import slug_in_contest
from contest.texts import TEXT_LANGUAGES, has_text

#: Fields written per language; each takes ``{"kk": ..., "ru": ..., "en": ...}``.
POST_TEXTS = ("title", "summary", "body", "award")
#: Also per language, but one text stands for every language too: names of universities, which may be one name.
POST_NAMES = ("university_text",)
POST_FIELDS = frozenset(
    {
        *POST_TEXTS,
        "slug",
        "place",
        "nomination",
        "platforms",
        "entry",
        "live_url",
        "show_authors",
        "authors_text",
        "university_text",
    }
)
#: Two publishers racing for the same award, or for the same slug, collide at most once each.
UPSERT_ATTEMPTS = 3


def posts_ensure_may_publish(actor: Actor | None, contest: Contest) -> None:
    """Refuse unless Baige itself (no actor) or an organiser of the contest writes its posts."""
    if actor is not None:
        contest_ensure_organiser(actor, contest)


def _set_texts(post: Post, field: str, texts: Mapping[str, str]) -> None:
    if isinstance(texts, str):
        raise BaigeError(_("Give “%(field)s” as a text per language.") % {"field": field})
    for language in TEXT_LANGUAGES:
        if language in texts:
            setattr(post, f"{field}_{language}", (texts[language] or "").strip())


def _set_names(post: Post, field: str, names: Mapping[str, str] | str) -> None:
    if isinstance(names, str):
        names = dict.fromkeys(TEXT_LANGUAGES, names)
    for language in TEXT_LANGUAGES:
        setattr(post, f"{field}_{language}", (names.get(language) or "").strip())


def _check_in_contest(contest: Contest, fields: Mapping[str, Any]) -> None:
    """The nomination, entry and platforms must be the post's contest's own."""
    nomination: Nomination | None = fields.get("nomination")
    entry: Entry | None = fields.get("entry")
    platforms: Iterable[Platform] = fields.get("platforms") or ()
    if nomination is not None and nomination.contest_id != contest.pk:
        raise BaigeError(_("The nomination belongs to another contest."))
    if entry is not None and entry.contest_id != contest.pk:
        raise BaigeError(_("The entry belongs to another contest."))
    if any(platform.contest_id != contest.pk for platform in platforms):
        raise BaigeError(_("A platform belongs to another contest."))


def _choose_slug(post: Post, contest: Contest, requested: str | None) -> None:
    """Keep a post's slug once made, so that its address never changes; make one from its title if needed."""
    others = Post.objects.filter(contest=contest).exclude(pk=post.pk)
    taken = set(others.values_list("slug", flat=True))
    requested = (requested or "").strip()
    if requested or not post.slug:
        titles = {language: getattr(post, f"title_{language}") for language in ("en", "ru", "kk")}
        max_length = Post._meta.get_field("slug").max_length or 120
        post.slug = slug_in_contest(requested, taken=taken, names=titles, max_length=max_length, fallback="post")


def _write(contest: Contest, key: str, fields: Mapping[str, Any]) -> tuple[Post, bool]:
    """One attempt, in its own transaction: lock the award's post or add it, then write what was given."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(contest=contest, key=key).first()
        created = post is None
        if post is None:
            post = Post(contest=contest, key=key)
        for name, value in fields.items():
            if name in POST_TEXTS:
                _set_texts(post, name, value)
            elif name in POST_NAMES:
                _set_names(post, name, value)
            elif name not in ("slug", "platforms"):
                setattr(post, name, value.strip() if isinstance(value, str) else value)
        if not has_text(post, "title"):
            raise BaigeError(_("Give the post's title in at least one language."))
        if not post.show_authors:
            # Without the authors' consent their names are never written, whatever the caller passed.
            post.authors_text = ""
            _set_names(post, "university_text", "")
        _choose_slug(post, contest, fields.get("slug"))
        full_clean_or_refuse(post, exclude=["contest"], validate_unique=False, validate_constraints=False)
        post.save()
        if "platforms" in fields:
            post.platforms.set(fields["platforms"])
    return post, created


def post_upsert(
    *, actor: Actor | None, contest: Contest, key: str, actor_checked: bool = False, **fields: Any
) -> tuple[Post, bool]:
    """The post of the award ``key``, created or updated with ``fields``; True when it was created.

    Publishing the same award again, even from two workers at once, updates the one post.
    Texts (``title``, ``summary``, ``body``, ``award``) take ``{language: text}``; ``university_text`` takes
    ``{language: names}`` or one text for every language. A post keeps its status.
    ``actor_checked``: the caller has already passed :func:`posts_ensure_may_publish` for this contest.
    """
    if not actor_checked:
        posts_ensure_may_publish(actor, contest)
    key = key.strip()
    if not key:
        raise BaigeError(_("A post needs the key of the award it publishes."))
    unknown = set(fields) - POST_FIELDS
    if unknown:
        raise BaigeError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "platforms" in fields:
        fields["platforms"] = list(fields["platforms"])
    _check_in_contest(contest, fields)
    for attempt in range(1, UPSERT_ATTEMPTS + 1):
        try:
            return _write(contest, key, fields)
        except IntegrityError:
            # Another writer added this award's post, or took the slug made from the same title, after
            # our look-up: the next attempt finds their post, or picks another slug.
            if attempt == UPSERT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def post_publish(*, actor: Actor | None, post: Post, now: datetime | None = None, actor_checked: bool = False) -> Post:
    """Show the post to visitors; it keeps the date it was first published.

    ``actor_checked``: the caller has already passed :func:`posts_ensure_may_publish` for the post's contest.
    """
    if not actor_checked:
        posts_ensure_may_publish(actor, post.contest)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.PUBLISHED:
        return post
    post.status = PostStatus.PUBLISHED
    post.published_at = post.published_at or now or timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    return post


@transaction.atomic
def post_unpublish(*, actor: Actor | None, post: Post, actor_checked: bool = False) -> Post:
    """Take the post back from visitors (its media becomes private again); it can be published again.

    ``actor_checked``: the caller has already passed :func:`posts_ensure_may_publish` for the post's contest.
    """
    if not actor_checked:
        posts_ensure_may_publish(actor, post.contest)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.DRAFT:
        return post
    post.status = PostStatus.DRAFT
    post.save(update_fields=["status", "updated_at"])
    return post
