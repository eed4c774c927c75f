"""Choices of organisers' messages: where a message is in its life, and how each copy of it went."""

from django.db import models
from django.utils.translation import pgettext_lazy


class MessageState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("message", "Draft")
    SENDING = "sending", pgettext_lazy("message", "Sending")
    SENT = "sent", pgettext_lazy("message", "Sent")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("message", "Queued")
    SENT = "sent", pgettext_lazy("message", "Sent")
    FAILED = "failed", pgettext_lazy("message", "Failed")
