"""E-mail to a person, rendered in the language they read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from smtplib import SMTPException
from typing import Any, ParamSpec, TypeVar

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: What a mail server that is away for a moment raises; sending again later may succeed.
MAIL_FAULTS: tuple[type[Exception], ...] = (SMTPException, OSError)


def person_language(user: Any) -> str:
    """The language a person chose on their profile, or the site's language if they have no profile."""
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.preferred_language if profile is not None else settings.LANGUAGE_CODE


def mail_render(
    template: str, context: Mapping[str, Any] | Callable[[], Mapping[str, Any]], *, language: str
) -> tuple[str, str]:
    """The subject (``<template>_subject.txt``) and body (``<template>.txt``) of a message, in ``language``.

    ``context`` may be a function, called in ``language``, for values that are translated as they are made.
    Every message gets ``site_url`` and ``language``.
    """
    with translation.override(language):
        values = {"site_url": settings.SITE_URL, "language": language, **(context() if callable(context) else context)}
        subject = render_to_string(f"{template}_subject.txt", values).strip()
        body = render_to_string(f"{template}.txt", values)
    return subject, body


def mail_person(
    user: Any,
    template: str,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
    *,
    email: str | None = None,
    language: str | None = None,
) -> None:
    """E-mail a person the message ``template`` in their language (see :func:`mail_render`).

    ``user`` is the person's account; someone without one (a co-author) is written to at ``email``, and
    ``language`` overrides the language of the account where the message is about a role that has its own.
    """
    address = email or user.email
    subject, body = mail_render(template, context, language=language or person_language(user))
    send_mail(subject, body, None, [address])


def mail_task(name: str) -> Callable[[Callable[_P, _R]], Task[_P, _R]]:
    """A Celery task called ``name`` that sends e-mail, sent again after 1, 2, 4, … minutes while the server is away.

    As many times as ``EMAIL_RETRIES`` says (3 unless configured); a last failure is recorded like any task's.
    """
    # No jitter: the waits are the same every time, 60 * 2**n seconds.
    return shared_task(
        name=name, autoretry_for=MAIL_FAULTS, retry_backoff=60, retry_jitter=False, max_retries=settings.EMAIL_RETRIES
    )
