"""Choices used by the judging models."""

from django.db import models
from django.utils.translation import pgettext_lazy


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round status", "Being prepared")
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Submitted")


class AssignmentOrigin(models.TextChoices):
    AUTOMATIC = "automatic", pgettext_lazy("assignment origin", "Automatic")
    MANUAL = "manual", pgettext_lazy("assignment origin", "By hand")


class ReviewChangeKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("review history", "Submitted")
    REVISED = "revised", pgettext_lazy("review history", "Revised")
