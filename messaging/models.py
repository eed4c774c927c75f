"""Messages organisers write to groups of people of their contest, and each person's copy of one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contest.enums import Language
from contest.models import Contest
from messaging.enums import DeliveryStatus, MessageState


class Message(models.Model):
    """An e-mail to a group of people: a subject and a text in kk, ru and en, and whom it goes to.

    ``audience`` is what :class:`messaging.audiences.Audience` reads: which groups, narrowed how. The
    people are taken from it when the message is sent, once (see :mod:`messaging.services`).
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_kk = models.CharField(_("subject (Kazakh)"), max_length=200, blank=True)
    subject_ru = models.CharField(_("subject (Russian)"), max_length=200, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_kk = models.TextField(_("text (Kazakh)"), blank=True)
    body_ru = models.TextField(_("text (Russian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    audience = models.JSONField(_("audience"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices, default=MessageState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: When an organiser sent it (the state left draft).
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    #: When the last queued copy left or failed.
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=MessageState.DRAFT) | Q(sent_at__isnull=False), name="message_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        """The subject as written in the active language, else in Russian, English or Kazakh."""
        for language in (get_language(), "ru", "en", "kk"):
            subject = getattr(self, f"subject_{language}", "")
            if subject:
                return str(subject)
        return f"#{self.pk}"


class MessageRecipient(models.Model):
    """One person's copy of a message: to whom, in which language, with which values, and how it went.

    A person with an account is written to at its address; a co-author without one at the entry's.
    The database keeps one copy per message and address, so nobody gets a message twice.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: In lower case.
    address = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    #: What the placeholders were filled in with: ``name``, ``entry_code``, ``entry_title``, ``deadline`` (ISO).
    values = models.JSONField(_("values"), default=dict)
    #: The entries the person is written to about (as author or co-author), for the entry's page.
    entry_ids = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["message", "address"]
        constraints = [
            models.UniqueConstraint(fields=["message", "address"], name="message_recipient_unique"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False), name="message_recipient_sent_time"
            ),
        ]
        indexes = [models.Index(fields=["message", "status"], name="message_recipient_status")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.address}"
