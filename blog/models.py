"""The "Pedagogical Technologies" blog: one post per award a contest publishes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry, Nomination, Platform
from contest.texts import TEXT_LANGUAGES
from contest.validators import validate_http_url

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in blog/translation.py.
    from modeltranslation.manager import MultilingualManager


def _written_nowhere(field: str) -> Q:
    """``field`` is empty, and so is its column in each language (where modeltranslation leaves ``NULL``)."""
    condition = Q(**{field: ""})
    for language in TEXT_LANGUAGES:
        condition &= Q(**{f"{field}_{language}": ""}) | Q(**{f"{field}_{language}__isnull": True})
    return condition


class PostStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("blog post status", "Draft")
    PUBLISHED = "published", pgettext_lazy("blog post status", "Published")


class Post(models.Model):
    """A winner's post: what the award is, the entry's media and, with their consent, who made it."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="posts", verbose_name=_("contest"))
    #: The award the post publishes (``round-2/nomination-5/place-1``, ``special/best-design``): publishing
    #: again finds the post by it and updates it instead of adding another one.
    key = models.CharField(_("award key"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("description"), blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=255, blank=True)
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("nomination"),
    )
    platforms = models.ManyToManyField(Platform, blank=True, related_name="posts", verbose_name=_("platforms"))
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=pgettext_lazy("contest entry", "entry"),
    )
    live_url = models.URLField(
        _("link to the live activity"), max_length=500, blank=True, validators=[validate_http_url]
    )
    show_authors = models.BooleanField(
        _("show the authors"),
        default=False,
        help_text=_("Only when every author consented to publication."),
    )
    #: Names and universities as published: written only with the authors' consent, never otherwise. Names are
    #: people's names as they typed them, one text for every language; the universities are named in each
    #: language (``university_text_kk``, ``_ru``, ``_en``: see blog/translation.py).
    authors_text = models.CharField(_("authors"), max_length=1000, blank=True)
    university_text = models.CharField(_("university"), max_length=1000, blank=True)
    status = models.CharField(
        pgettext_lazy("blog post", "status"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects: ClassVar[MultilingualManager[Post]]

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "key"], name="post_key_unique"),
            models.UniqueConstraint(fields=["contest", "slug"], name="post_slug_unique"),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="post_published_has_time",
            ),
            # Without consent the database itself refuses to hold a name or a university.
            models.CheckConstraint(
                condition=Q(show_authors=True) | (Q(authors_text="") & _written_nowhere("university_text")),
                name="post_authors_only_with_consent",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_published_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED
