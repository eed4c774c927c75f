"""Certificates as issued (each with its verification code and PDF), their texts and design, and bulk issue runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.codes import LENGTH, new_code
from certificates.enums import CertificateKind
from contest.enums import Language
from contest.models import CoAuthor, Contest, Entry
from judging.models import Award, Juror

#: A bulk issue that has said nothing for this long is taken as dead: another may start.
RUN_SILENT_SECONDS = 15 * 60


class Certificate(models.Model):
    """One certificate of one person, as issued: what it says is kept, so that it never changes afterwards.

    ``key`` names what the certificate is for (``winner/award-<id>/user-<id>``, ``juror/juror-<id>``, …):
    among the certificates not replaced there is one per key. When what it should say changes (an award
    changed), a new certificate replaces it and points back at it; a certificate no longer due is revoked.
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    key = models.CharField(_("key"), max_length=200)
    code = models.CharField(_("verification code"), max_length=LENGTH, default=new_code, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    full_name = models.CharField(_("full name"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    #: The holder's account: the entry's author or the juror; empty for a co-author (found by ``email``).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates", verbose_name=_("entry")
    )
    coauthor = models.ForeignKey(CoAuthor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    juror = models.ForeignKey(Juror, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates")
    award = models.ForeignKey(Award, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates")
    #: What it says, in kk, ru and en: ``contest``, ``award``, ``nomination`` by language; ``entry_title``,
    #: ``entry_code``, ``entries_scored``.
    details = models.JSONField(_("details"), default=dict)
    #: A hash of what it says: a certificate whose due content hashes otherwise is replaced.
    fingerprint = models.CharField(max_length=64)
    pdf = models.FileField(_("PDF"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(_("why it was revoked"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["contest", "kind", "full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="certificate_code_unique"),
            models.UniqueConstraint(
                fields=["contest", "key"], condition=Q(replaced_at__isnull=True), name="certificate_key_current"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""), name="certificate_revoked_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(replaced_at__isnull=False),
                name="certificate_replaced_has_time",
            ),
        ]
        indexes = [models.Index(fields=["entry"], name="certificate_entry")]

    def __str__(self) -> str:
        return f"{self.code} · {self.full_name}"

    @property
    def is_current(self) -> bool:
        """Neither replaced nor revoked: the one the holder should show."""
        return self.replaced_at is None and self.revoked_at is None


class CertificateText(models.Model):
    """The organisers' own title and text of one kind of certificate in one language (built-in ones otherwise)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="certificate_texts")
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate text")
        verbose_name_plural = _("certificate texts")
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind", "language"], name="certificate_text_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.kind} · {self.language}"


class CertificateDesign(models.Model):
    """A contest's background, logo and signature images (stored through the default storage) and who signs."""

    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="certificate_design")
    background = models.FileField(_("background"), max_length=255, blank=True)
    logo = models.FileField(_("logo"), max_length=255, blank=True)
    signature = models.FileField(_("signature"), max_length=255, blank=True)
    signatory_kk = models.CharField(_("signed by (Kazakh)"), max_length=255, blank=True)
    signatory_ru = models.CharField(_("signed by (Russian)"), max_length=255, blank=True)
    signatory_en = models.CharField(_("signed by (English)"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")

    def __str__(self) -> str:
        return str(self.contest)


class IssueRun(models.Model):
    """One bulk issue of a contest's certificates by a worker: how many are due, how many are done."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="certificate_runs")
    #: Only this kind, or every kind when empty.
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    #: When the worker last said how far it got: a run silent for long has died.
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    #: Certificates no longer due, revoked by this run.
    revoked = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("issue of certificates")
        verbose_name_plural = _("issues of certificates")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contest} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        """Not finished, and heard from lately (a run whose worker died is not running)."""
        if self.finished_at is not None:
            return False
        last = self.updated_at or self.created_at
        return (timezone.now() - last).total_seconds() < RUN_SILENT_SECONDS
