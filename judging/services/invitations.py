"""Joining a jury: the invitation e-mail and its one-time link, and recording that the juror took their seat.

A juror is invited with allauth's one-time password-reset link. The link carries ``next`` to the
jury's welcome page, so that after choosing a password the juror lands there (after logging in),
in the language of the invitation; a participant's own password reset has no ``next`` and is
unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.enqueue import enqueue_on_commit
from config.exceptions import NotAllowed
from contest.mail import mail_person
from contest.services import Actor
from judging.models import Juror


def juror_language(juror: Juror) -> str:
    """The language a juror is written to and lands in: the first one they read."""
    return juror.languages[0] if juror.languages else settings.LANGUAGE_CODE


def juror_invitation_link(*, user: Any, language: str) -> str:
    """The absolute one-time link with which a juror sets their password, then lands on the jury's welcome page."""
    with translation.override(language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
        welcome = reverse("frontend:jury_welcome")
    return settings.SITE_URL + path + "?" + urlencode({"next": welcome})


def juror_invitation_send(*, juror: Juror) -> None:
    """E-mail a juror, in the first language they read, that they are on the jury, with their password link."""
    user = juror.user
    profile = getattr(user, "profile", None)
    language = juror_language(juror)
    context = {
        "juror": juror,
        "contest": juror.contest,
        "full_name": profile.full_name if profile is not None else "",
        "has_password": user.has_usable_password(),
        "link": juror_invitation_link(user=user, language=language),
    }
    mail_person(user, "judging/email/invitation", context, language=language)


def juror_invitation_queue(*, juror: Juror) -> None:
    """Have a worker send the juror's invitation once the transaction commits, retrying while the mail server is away.

    Never during the request: a slow or absent mail server must not hold up or fail the organiser's page.
    """
    enqueue_on_commit("judging.send_juror_invitation", juror_id=juror.pk)


def juror_invitation_resend(*, actor: Actor, juror: Juror) -> None:
    """Send a juror's invitation again, with a fresh link (an earlier unused link keeps working until used)."""
    if not actor.has_perm("judging.manage_judging", juror):
        raise NotAllowed(_("Only the contest's organisers can invite jurors."))
    juror_invitation_queue(juror=juror)


def jurors_accept(*, actor: Actor, seats: Iterable[Juror]) -> None:
    """Record that the person took their seats on these juries (the first time only); nobody else can."""
    mine = [
        seat.pk for seat in seats if actor.is_authenticated and seat.user_id == actor.pk and seat.accepted_at is None
    ]
    if mine:
        now = timezone.now()
        Juror.objects.filter(pk__in=mine, accepted_at__isnull=True).update(accepted_at=now)
        for seat in seats:
            if seat.pk in mine:
                seat.accepted_at = now
