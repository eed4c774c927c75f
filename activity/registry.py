"""What the activity log records, in one place: the models, the fields left out, and each row's contest.

Every model an organiser changes is registered with auditlog here, so saves and deletes are logged by
its signals. Bulk writes (``bulk_create``, ``QuerySet.update``) send no signals: the services that
write that way log through :mod:`config.activity_log`. A juror's review is not registered (drafts are
the juror's own until submitted): :mod:`activity.receivers` logs each submission and revision with the
scores before and after, and a review set aside.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from modeltranslation.translator import NotRegistered, translator

from blog.models import Post
from certificates.models import Certificate, CertificateDesign, CertificateText, IssueRun
from contest.models import CoAuthor, Contest, ContestRole, Entry, Nomination, Platform, University
from judging.models import (
    Assignment,
    Award,
    Conflict,
    Criterion,
    CriterionLevel,
    Juror,
    Results,
    Review,
    Round,
    RoundEntry,
    RoundJuror,
    Rubric,
)
from messaging.models import Message

#: Fields never shown in the log: bookkeeping every save touches, and what is secret or machine-only.
NOT_LOGGED = ["id", "created_at", "updated_at"]

#: Each registered model's fields left out, beyond :data:`NOT_LOGGED`.
REGISTERED: dict[type[models.Model], dict[str, Any]] = {
    Contest: {"m2m_fields": {"universities"}},
    Nomination: {},
    Platform: {},
    University: {},
    ContestRole: {},
    Entry: {"m2m_fields": {"platforms"}},
    CoAuthor: {},
    Juror: {},
    Conflict: {},
    Rubric: {},
    Criterion: {},
    CriterionLevel: {},
    Round: {},
    RoundEntry: {},
    RoundJuror: {},
    Assignment: {},
    Results: {"exclude_fields": ["content_hash"]},
    Award: {},
    Certificate: {"exclude_fields": ["fingerprint", "details", "pdf"]},
    CertificateText: {},
    CertificateDesign: {},
    # A bulk issue asked for; its progress is the worker's bookkeeping.
    IssueRun: {"include_fields": ["kind", "requested_by"]},
    Post: {"m2m_fields": {"platforms"}},
    # A message written, changed and sent; its copies' delivery is listed on the message's own page.
    Message: {"exclude_fields": ["finished_at"]},
}

#: How to reach the contest id of a row, attribute by attribute; models not listed have ``contest_id``.
CONTEST_PATHS: dict[type[models.Model], tuple[str, ...]] = {
    Contest: ("pk",),
    University: (),
    Criterion: ("rubric", "contest_id"),
    CriterionLevel: ("criterion", "rubric", "contest_id"),
    CoAuthor: ("entry", "contest_id"),
    Conflict: ("juror", "contest_id"),
    RoundEntry: ("round", "contest_id"),
    RoundJuror: ("round", "contest_id"),
    Assignment: ("round", "contest_id"),
    Review: ("round", "contest_id"),
    Results: ("round", "contest_id"),
    Award: ("results", "round", "contest_id"),
}


def contest_of(instance: models.Model) -> int | None:
    """The id of the contest ``instance`` belongs to; ``None`` for what no contest owns (a university)."""
    path = CONTEST_PATHS.get(type(instance), ("contest_id",))
    if not path:
        return None
    value: Any = instance
    try:
        for name in path:
            value = getattr(value, name)
    except (AttributeError, ObjectDoesNotExist):
        return None
    return value if isinstance(value, int) else None


def _translated(model: type[models.Model]) -> list[str]:
    """The fields kept in a column per language: only those columns (``name_kk``, …) are logged."""
    try:
        return list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def register_models() -> None:
    """Register every logged model with auditlog (once; Django calls ``ready()`` once per process)."""
    for model, options in REGISTERED.items():
        if auditlog.contains(model):
            continue
        options = dict(options)
        if "include_fields" not in options:
            # A created or deleted row would otherwise list its reverse relations ("contest.Entry.None").
            reverse = [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]
            options["exclude_fields"] = [
                *NOT_LOGGED,
                *reverse,
                *_translated(model),
                *options.get("exclude_fields", []),
            ]
        auditlog.register(model, **options)


def logged_models() -> list[type[models.Model]]:
    """The models the log records, as the page's "what" filter offers them."""
    return [*REGISTERED, Review]
