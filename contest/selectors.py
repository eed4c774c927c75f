"""Reads: querysets and look-ups that also check who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from contest.models import Contest, Entry, Platform


def contests_visible() -> QuerySet[Contest]:
    return Contest.objects.all()


def contest_current() -> Contest | None:
    """The contest a visitor most likely means: the open one, else the latest."""
    now = timezone.now()
    open_contest = (
        Contest.objects.filter(submissions_open__lte=now, submissions_close__gt=now)
        .order_by("submissions_close")
        .first()
    )
    return open_contest or Contest.objects.order_by("-submissions_open").first()


def entries_of_author(user: Any, *, contest: Contest | None = None) -> QuerySet[Entry]:
    """A participant's own entries, with everything their list shows, in a fixed number of queries."""
    if not user.is_authenticated:
        return Entry.objects.none()
    queryset = (
        Entry.objects.filter(author=user)
        .select_related("contest", "nomination", "media")
        .prefetch_related(Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name")))
        .order_by("-created_at")
    )
    if contest is not None:
        queryset = queryset.filter(contest=contest)
    return queryset


def get_entry_for_author(user: Any, *, contest_slug: str, code: str) -> Entry:
    """The author's entry, or 404: another person's entry looks exactly like a missing one."""
    entry = (
        entries_of_author(user)
        .select_related("author")
        .prefetch_related("coauthors__university")
        .filter(contest__slug=contest_slug, code=code)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
