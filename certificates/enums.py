"""The kinds of certificates Baige issues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    """What a certificate is for: a winner's diploma, a finalist's or a participant's certificate, a juror's letter."""

    WINNER = "winner", _("Winner's diploma")
    FINALIST = "finalist", _("Finalist's certificate")
    PARTICIPANT = "participant", _("Certificate of participation")
    JUROR = "juror", _("Juror's letter of thanks")
