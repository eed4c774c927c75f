"""Choices used by the contest models."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("entry status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("entry status", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("entry status", "Withdrawn")


class EligibilityAct(models.TextChoices):
    """What an organiser decided about an entry's eligibility."""

    DISQUALIFIED = "disqualified", pgettext_lazy("entry eligibility", "Disqualified")
    REINSTATED = "reinstated", pgettext_lazy("entry eligibility", "Reinstated")


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    JUROR = "juror", _("Juror")


class Language(models.TextChoices):
    KK = "kk", "Қазақша"
    RU = "ru", "Русский"
    EN = "en", "English"


class Country(models.TextChoices):
    """Countries of the contest's region by ISO 3166 code; anything else is "Other"."""

    KZ = "KZ", _("Kazakhstan")
    KG = "KG", _("Kyrgyzstan")
    UZ = "UZ", _("Uzbekistan")
    TJ = "TJ", _("Tajikistan")
    TM = "TM", _("Turkmenistan")
    RU = "RU", _("Russia")
    AZ = "AZ", _("Azerbaijan")
    MN = "MN", _("Mongolia")
    CN = "CN", _("China")
    TR = "TR", _("Turkey")
    OTHER = "ZZ", _("Other country")


class SubmissionWindow(models.TextChoices):
    UPCOMING = "upcoming", _("Submissions not open yet")
    OPEN = "open", _("Submissions open")
    CLOSED = "closed", _("Submissions closed")
