"""Contests, their nominations, platforms and universities, participants and entries."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.enums import Country, EligibilityAct, EntryStatus, Language, Role, SubmissionWindow
from contest.validators import validate_http_url, validate_timezone

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in contest/translation.py
    # for its own when Django starts; the models declare it so that type checkers see the real one.
    from modeltranslation.manager import MultilingualManager

GIB = 1024**3
#: Letters and digits that cannot be mistaken for one another when read aloud.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class University(models.Model):
    """A university taking part; shared by every contest that lists it."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.KZ)

    objects: ClassVar[MultilingualManager[University]]

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    """One contest: its texts, timeline (in its own time zone) and file limits."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Almaty", validators=[validate_timezone])
    submissions_open = models.DateTimeField(_("submissions open"))
    submissions_close = models.DateTimeField(_("submissions close"))
    results_publish_at = models.DateTimeField(_("results publication"), null=True, blank=True)
    max_file_size = models.PositiveBigIntegerField(_("largest file (bytes)"), default=2 * GIB)
    max_video_duration = models.PositiveIntegerField(_("longest video (seconds)"), default=20 * 60)
    max_pages = models.PositiveIntegerField(_("most slides or pages"), default=200)
    universities = models.ManyToManyField(
        University, blank=True, related_name="contests", verbose_name=_("universities")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[MultilingualManager[Contest]]

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-submissions_open"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submissions_close__gt=models.F("submissions_open")),
                name="contest_close_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def submission_window(self, now: datetime | None = None) -> SubmissionWindow:
        """Where ``now`` falls: before, inside or after the submission window."""
        now = now or timezone.now()
        if now < self.submissions_open:
            return SubmissionWindow.UPCOMING
        if now >= self.submissions_close:
            return SubmissionWindow.CLOSED
        return SubmissionWindow.OPEN

    def accepts_submissions(self, now: datetime | None = None) -> bool:
        return self.submission_window(now) == SubmissionWindow.OPEN


class Nomination(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects: ClassVar[MultilingualManager[Nomination]]

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "slug"], name="nomination_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A digital platform an entry was built with; the list is edited per contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="platforms")
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    is_other = models.BooleanField(
        _("stands for other platforms"),
        default=False,
        help_text=_("Entrants who pick it name their platform in a text field."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects: ClassVar[MultilingualManager[Platform]]

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["is_other", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["contest", "slug"], name="platform_slug_unique")]

    def __str__(self) -> str:
        return self.name


class ContestRole(models.Model):
    """A person's role in one contest: organiser or juror."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("contest role")
        verbose_name_plural = _("contest roles")
        constraints = [models.UniqueConstraint(fields=["contest", "user", "role"], name="contest_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.contest}"


class ParticipantProfile(models.Model):
    """What a participant tells about themselves once, for every contest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(_("full name"), max_length=255)
    university = models.ForeignKey(
        University,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("university"),
    )
    programme = models.CharField(_("study programme"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.KZ)
    preferred_language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.RU)

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self) -> str:
        return self.full_name


def new_entry_code() -> str:
    """A short random code such as ``K7M2QX``: stable, and it reveals nothing."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


#: The longest reason an organiser may give for disqualifying an entry.
DISQUALIFICATION_REASON_LENGTH = 2000

#: An entry that is judged, counted and published: submitted and not disqualified.
ELIGIBLE = Q(status=EntryStatus.SUBMITTED, disqualified_at__isnull=True)


class EntryQuerySet(models.QuerySet["Entry"]):
    def eligible(self) -> EntryQuerySet:
        """Entries that are judged, counted and published: submitted and not disqualified."""
        return self.filter(ELIGIBLE)


class Entry(models.Model):
    """A participant's entry: a lesson built with one or more platforms, and one media file."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(_("code"), max_length=12, default=new_entry_code, editable=False)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="entries", verbose_name=_("nomination")
    )
    platforms = models.ManyToManyField(Platform, related_name="entries", verbose_name=_("platforms"))
    other_platform = models.CharField(_("other platform"), max_length=120, blank=True)
    live_url = models.URLField(
        _("link to the live activity"), max_length=500, blank=True, validators=[validate_http_url]
    )
    consent_to_publish = models.BooleanField(_("consent to publication"), default=False)
    status = models.CharField(
        pgettext_lazy("entry", "status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    #: The author's university for this entry, taken when it is submitted (or given by an import): conflicts,
    #: assignment, statistics and the blog read it, never the live profile, which the author may change later.
    author_university = models.ForeignKey(
        University,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author's university"),
    )
    media = models.ForeignKey(
        "media_pipeline.MediaAsset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("media file"),
    )
    #: Set while the organisers hold the entry ineligible: it is judged, counted and published nowhere.
    disqualified_at = models.DateTimeField(_("disqualified at"), null=True, blank=True)
    disqualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disqualified by"),
    )
    # The database's own default too, so that rows written by code that predates the column stay valid.
    disqualification_reason = models.TextField(
        _("reason for disqualification"),
        max_length=DISQUALIFICATION_REASON_LENGTH,
        blank=True,
        default="",
        db_default="",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("contest entry", "entry")
        verbose_name_plural = pgettext_lazy("contest entry", "entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="entry_code_unique"),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="entry_submitted_has_time",
            ),
            # Disqualified with a reason, or not disqualified and no reason left behind.
            models.CheckConstraint(
                condition=Q(disqualified_at__isnull=True, disqualification_reason="")
                | (Q(disqualified_at__isnull=False) & ~Q(disqualification_reason="")),
                name="entry_disqualified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_submitted(self) -> bool:
        return self.status == EntryStatus.SUBMITTED

    @property
    def is_disqualified(self) -> bool:
        return self.disqualified_at is not None

    @property
    def is_eligible(self) -> bool:
        """Judged, counted and published: submitted and not disqualified."""
        return self.is_submitted and not self.is_disqualified

    @property
    def university_of_author(self) -> University | None:
        """The author's university for this entry: as recorded when it was submitted; a draft's is the profile's."""
        if self.submitted_at is not None:
            return self.author_university
        profile = getattr(self.author, "profile", None)
        return profile.university if profile is not None else None


class CoAuthor(models.Model):
    """A co-author of a team entry; not necessarily a user of Baige."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="coauthors")
    full_name = models.CharField(_("full name"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    university = models.ForeignKey(
        University, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("university")
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.full_name


class EntryEligibilityEvent(models.Model):
    """One disqualification or reinstatement of an entry: the entry's eligibility history, never rewritten."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="eligibility_events")
    act = models.CharField(_("decision"), max_length=20, choices=EligibilityAct.choices)
    reason = models.TextField(_("reason"), max_length=DISQUALIFICATION_REASON_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility decision")
        verbose_name_plural = _("eligibility decisions")
        ordering = ["entry", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(act=EligibilityAct.DISQUALIFIED) | ~Q(reason=""),
                name="eligibility_disqualified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_act_display()} · {self.at:%Y-%m-%d %H:%M}"
