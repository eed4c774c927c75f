"""The activity log: one row per write to a contest's data, with the contest it belongs to.

Baige records writes with django-auditlog, whose log entry model is swappable
(``AUDITLOG_LOGENTRY_MODEL``): :class:`ActivityEntry` is auditlog's entry plus a ``contest`` column.
Keeping the contest on the row itself (rather than in ``additional_data`` or in a table of our own
beside auditlog's) lets the organisers' page read a contest's log in one query on the
``(contest, timestamp)`` index, and nothing joins through the logged objects, which may be gone.

The contest is set when the row is made, by :class:`ActivityEntryManager` (see
:func:`activity.registry.contest_of`), on every path: auditlog's signals, m2m changes and the bulk
writes that :mod:`config.activity_log` logs. The actor is set the same way on every path: the person
of the current request (also when the API authenticated them by token, after the middleware ran), or
no one for a worker or beat: "Baige (automatic)".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import DEFAULT_OBJECT_REPR, AbstractLogEntry, LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.encoding import smart_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from activity.context import current_actor, serving_request
from activity.registry import contest_of
from contest.models import Contest


class ActivityEntryManager(LogEntryManager):
    """auditlog's manager, which also stamps each row with its contest and actor, and logs many rows at once."""

    def log_create(self, instance: Any, force_log: bool = False, **kwargs: Any) -> Any:
        changes = kwargs.get("changes")
        if kwargs.get("action") == ActivityEntry.Action.UPDATE and changes:
            changes = _real_changes(type(instance), changes)
            if not changes and not force_log:
                return None
            kwargs["changes"] = changes
        if changes is None and not force_log:
            return None
        # auditlog's own reads the object's label even when given one (a label can cost queries).
        pk = self._get_pk_value(instance)
        kwargs.setdefault("content_type", ContentType.objects.get_for_model(instance))
        kwargs.setdefault("object_pk", pk)
        if "object_repr" not in kwargs:
            try:
                kwargs["object_repr"] = smart_str(instance)
            except ObjectDoesNotExist:
                kwargs["object_repr"] = DEFAULT_OBJECT_REPR
        kwargs.setdefault("serialized_data", self._get_serialized_data_or_none(instance))
        if isinstance(pk, int):
            kwargs.setdefault("object_id", pk)
        kwargs.setdefault("cid", get_cid())
        kwargs.setdefault("contest_id", contest_of(instance))
        kwargs.setdefault("language", get_language() or "")
        return self.create(**kwargs)

    def log_m2m_changes(
        self, changed_queryset: Any, instance: Any, operation: str, field_name: str, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("contest_id", contest_of(instance))
        kwargs.setdefault("language", get_language() or "")
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)

    def log_many(
        self,
        rows: Iterable[models.Model],
        *,
        action: int,
        changes: Sequence[dict[str, list[Any]] | None] | None = None,
    ) -> list[ActivityEntry]:
        """Log ``rows`` (created, changed or about to be deleted) in one insert.

        ``changes`` gives each row's changes; by default a created row's values, or a deleted one's.
        """
        rows = list(rows)
        if not rows:
            return []
        context = _context()
        language = get_language() or ""
        made = []
        for index, row in enumerate(rows):
            if changes is not None:
                diff = changes[index]
            elif action == ActivityEntry.Action.DELETE:
                diff = model_instance_diff(row, None)
            else:
                diff = model_instance_diff(None, row)
            if not diff:
                continue
            made.append(
                ActivityEntry(
                    content_type=ContentType.objects.get_for_model(row),
                    object_pk=smart_str(row.pk),
                    object_id=row.pk if isinstance(row.pk, int) else None,
                    object_repr=smart_str(row),
                    action=action,
                    changes=diff,
                    contest_id=contest_of(row),
                    cid=get_cid(),
                    language=language,
                    **context,
                )
            )
        return self.bulk_create(made)


def _real_changes(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` without the values that only look different (``1`` and ``1.00`` for a decimal field)."""
    kept = {}
    for name, values in changes.items():
        try:
            field = model._meta.get_field(name)
            if not isinstance(field, models.Field):
                raise TypeError(name)
            old, new = (None if value == "None" else field.to_python(value) for value in values)
        except (FieldDoesNotExist, ValidationError, TypeError, ValueError):
            kept[name] = values
            continue
        if old != new:
            kept[name] = values
    return kept


def _context() -> dict[str, Any]:
    """The actor and address of the current request, as auditlog's middleware and ours know them."""
    found: dict[str, Any] = {}
    if not serving_request():
        # auditlog's middleware never clears what it set: outside a request it would be the last one's.
        return found
    try:
        value = auditlog_value.get()
    except LookupError:
        value = {}
    actor = current_actor()
    if actor is not None:
        found["actor"] = actor
        found["actor_email"] = getattr(actor, "email", None)
    for key in ("remote_addr", "remote_port"):
        if value.get(key) is not None:
            found[key] = value[key]
    return found


class ActivityEntry(AbstractLogEntry):
    """One logged write: who, when, what, and each changed field's value before and after; in one contest."""

    contest = models.ForeignKey(
        Contest,
        # The log outlives its contest: deleting a contest logs its rows' deletion in the same transaction.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contest"),
    )

    #: The language the row was written in: its object's label and a list's names read in it.
    language = models.CharField(_("language"), max_length=8, blank=True)

    objects = ActivityEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activity")
        indexes = [models.Index(fields=["contest", "-timestamp"], name="activity_contest_time")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The API authenticates its token users after the middleware has run: take the request's user now.
        if self.actor_id is None:
            actor = current_actor()
            if actor is not None:
                self.actor = actor
                self.actor_email = getattr(actor, "email", None)
        super().save(*args, **kwargs)
