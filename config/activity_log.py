"""Logging the writes that skip model signals (bulk inserts, ``QuerySet.update``, bulk deletes) in the activity log.

auditlog logs a row when it is saved or deleted through its model's signals; ``bulk_create``,
``bulk_update`` and ``QuerySet.update`` send none, and a ``QuerySet.delete`` of many rows would log each
one with its own queries. The services that write many rows at once log them through these helpers:
one query to read the rows with what their labels need (``related``), one insert for the log.

The log's model is reached through auditlog's setting (``activity.ActivityEntry``), so every app may
use these helpers without importing the app above it that defines it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from auditlog import get_logentry_model
from auditlog.context import disable_auditlog
from django.db import models

Row = TypeVar("Row", bound=models.Model)

#: What each model's label (its ``str()``) reads, fetched with its rows so that labelling them costs no query.
LABEL_RELATED: dict[str, tuple[str, ...]] = {
    "judging.assignment": ("round", "juror__user__profile", "entry"),
    "judging.roundentry": ("round", "entry"),
    "judging.roundjuror": ("round", "juror__user__profile"),
    "judging.award": ("results__round", "entry"),
    "judging.criterionlevel": ("criterion__rubric",),
    "contest.entry": (),
    "contest.coauthor": ("entry",),
}


def _related(model: type[models.Model]) -> tuple[str, ...]:
    return LABEL_RELATED.get(model._meta.label_lower, ())


def _log(rows: Iterable[models.Model], *, action: str, changes: Sequence[dict[str, list[Any]]] | None = None) -> None:
    entry = get_logentry_model()
    entry.objects.log_many(rows, action=getattr(entry.Action, action), changes=changes)


def log_created(rows: Iterable[Row]) -> list[Row]:
    """Log ``rows`` (just inserted in bulk, read with what their labels need) as created; returns them."""
    rows = list(rows)
    _log(rows, action="CREATE")
    return rows


def log_changed(rows: Sequence[models.Model], changes: Sequence[dict[str, tuple[Any, Any]]]) -> None:
    """Log ``rows`` (just changed in bulk) with each one's ``{field: (before, after)}``; unchanged ones are skipped."""
    texts = [{name: [value_text(old), value_text(new)] for name, (old, new) in diff.items()} for diff in changes]
    _log(rows, action="UPDATE", changes=texts)


def bulk_create_logged(model: type[Row], objs: Iterable[Row], **options: Any) -> list[Row]:
    """``model.objects.bulk_create(objs, **options)``, each row logged as created.

    Not for ``ignore_conflicts`` (the rows get no ids): read the rows made and :func:`log_created` them.
    """
    made = model._default_manager.bulk_create(objs, **options)
    ids = [obj.pk for obj in made if obj.pk is not None]
    if ids:
        log_created(model._default_manager.filter(pk__in=ids).select_related(*_related(model)))
    return made


def created_rows(model: type[Row], **lookups: Any) -> models.QuerySet[Row]:
    """The rows of ``model`` matching ``lookups``, read with what their labels need (for :func:`log_created`)."""
    return model._default_manager.filter(**lookups).select_related(*_related(model))


def delete_logged(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows of ``queryset``, each logged as deleted in one insert; returns how many were deleted."""
    rows = list(queryset.select_related(*_related(queryset.model)))
    if not rows:
        return 0
    _log(rows, action="DELETE")
    with disable_auditlog():
        deleted, _by_model = queryset.model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
    return deleted


def update_logged(queryset: models.QuerySet[Any], **values: Any) -> int:
    """``queryset.update(**values)``, each row whose values change logged with them before and after."""
    rows = list(queryset.select_related(*_related(queryset.model)))
    changed = []
    changes = []
    for row in rows:
        diff = {
            name: [value_text(getattr(row, _attname(row, name))), value_text(value)]
            for name, value in values.items()
            if getattr(row, _attname(row, name)) != value
        }
        if diff:
            changed.append(row)
            changes.append(diff)
    if not rows:
        return 0
    count = queryset.model._default_manager.filter(pk__in=[row.pk for row in rows]).update(**values)
    _log(changed, action="UPDATE", changes=changes)
    return count


def _attname(row: models.Model, name: str) -> str:
    field = row._meta.get_field(name)
    return field.attname if isinstance(field, models.Field) else name


def value_text(value: Any) -> str:
    """A value as auditlog stores it: its text, ``None`` for none."""
    if value is None:
        return "None"
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
