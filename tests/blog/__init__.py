"""Builders shared by the blog tests: a winner's post, published unless told otherwise."""

from __future__ import annotations

from typing import Any

from blog.models import Post
from blog.services import post_publish, post_upsert
from contest.models import Contest, Entry


def winner_post(
    contest: Contest,
    entry: Entry | None = None,
    *,
    key: str,
    title: str,
    published: bool = True,
    **fields: Any,
) -> Post:
    """The post of the award ``key``, its title marked with each language, written as Baige publishes it."""
    texts = {"title": {"kk": f"{title} (kk)", "ru": f"{title} (ru)", "en": title}}
    if entry is not None:
        fields.setdefault("nomination", entry.nomination)
        fields.setdefault("platforms", list(entry.platforms.all()))
    post, _created = post_upsert(actor=None, contest=contest, key=key, entry=entry, **texts, **fields)
    return post_publish(actor=None, post=post) if published else post
