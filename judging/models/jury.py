"""The jury: jurors and the conflicts of interest declared for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry, University
from contest.names import person_name
from judging.enums import (
    ConflictReviewDecision,
    ConflictState,
)

if TYPE_CHECKING:
    # django-modeltranslation swaps the manager of every model registered in judging/translation.py.
    pass


class Juror(models.Model):
    """A member of a contest's jury: where they come from, what they read, how much they can take."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats")
    university = models.ForeignKey(
        University, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("university")
    )
    #: Language codes (kk, ru, en) the juror reads; a list so that it works on every database.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    max_load = models.PositiveIntegerField(
        _("most entries per round"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: When the juror first opened the jury's welcome page: the invitation reached them and they took the seat.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="juror_unique")]

    def __str__(self) -> str:
        return person_name(self.user)


class Conflict(models.Model):
    """A conflict of interest declared for a juror: with one entry (by its code), or with everyone of a university.

    Every declaration is kept as it was made (who, when, what, why). An entry named by a code that
    matches no entry of the contest keeps the code as typed, without an entry. A declaration stays
    ``pending`` until the organisers act on it; from the moment it is made, the assignment treats it
    as a conflict for every new assignment.
    """

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("entry")
    )
    #: The entry's code as the declaration named it (upper case), whether or not an entry of the contest has it.
    code = models.CharField(_("entry code"), max_length=20, blank=True)
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("university")
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        pgettext_lazy("conflict", "state"), max_length=20, choices=ConflictState.choices, default=ConflictState.PENDING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    review_decision = models.CharField(
        _("submitted reviews"), max_length=20, choices=ConflictReviewDecision.choices, blank=True, default=""
    )
    resolution_reason = models.TextField(_("reason of the decision"), blank=True)
    #: Assignments taken from the juror when it was resolved, and how many of them went to another juror.
    withdrawn = models.PositiveIntegerField(_("assignments withdrawn"), default=0)
    replaced = models.PositiveIntegerField(_("assignments given to another juror"), default=0)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(university__isnull=True, entry__isnull=False)
                | Q(university__isnull=True, code__gt="")
                | Q(entry__isnull=True, university__isnull=False, code=""),
                name="conflict_entry_or_university",
            ),
            models.UniqueConstraint(
                fields=["juror", "entry"], condition=Q(entry__isnull=False), name="conflict_entry_unique"
            ),
            models.UniqueConstraint(fields=["juror", "code"], condition=Q(code__gt=""), name="conflict_code_unique"),
            models.UniqueConstraint(
                fields=["juror", "university"], condition=Q(university__isnull=False), name="conflict_university_unique"
            ),
            models.CheckConstraint(
                condition=Q(state=ConflictState.PENDING) | Q(resolved_at__isnull=False),
                name="conflict_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.university or self.named_code}"

    @property
    def named_code(self) -> str:
        """The entry's code as the declaration named it (its entry's, for a row made without one)."""
        if self.code:
            return self.code
        return self.entry.code if self.entry_id is not None and self.entry is not None else ""

    @property
    def is_pending(self) -> bool:
        return self.state == ConflictState.PENDING
