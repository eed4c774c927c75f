"""Reading a contest's activity log: the filtered rows, newest first, as people read them and as files hold them.

A page of rows costs a fixed number of queries whatever its length: the rows with their actors, then
one query per kind of object their changes point at (a juror, an entry, a person), for the labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activity.models import ActivityEntry
from activity.receivers import COMMENT_PREFIX, SCORE_PREFIX
from activity.registry import logged_models
from contest.models import Contest
from contest.names import person_name
from judging.models import Criterion

#: What reading a label of a row pointed at needs, by model label (so that labelling costs no query).
LABEL_RELATED: dict[str, tuple[str, ...]] = {
    "judging.juror": ("user__profile",),
    "judging.award": ("results__round", "entry"),
    "judging.results": ("round",),
    "judging.assignment": ("round", "juror__user__profile", "entry"),
}

#: How many rows the export reads at a time.
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class ActivityFilters:
    """What the organiser asked for: whose writes, what kind of object, which action, when, and text in the object."""

    person: int | None = None
    kind: int | None = None
    action: int | None = None
    since: date | None = None
    until: date | None = None
    text: str = ""


@dataclass
class Change:
    """One field as it was and as it became, both as text for people."""

    field: str
    before: str
    after: str
    #: The language of the values when they are one language's text (``name [ru]``), else empty.
    language: str = ""


@dataclass
class ActivityRow:
    """One logged write as the page shows it."""

    entry: ActivityEntry
    when: datetime
    who: str
    action: str
    kind: str
    label: str
    model: type[models.Model] | None
    changes: list[Change] = field(default_factory=list)
    #: The object's organiser page, when it has one and still exists (the page sets it).
    link: str = ""


def action_choices() -> list[tuple[int, str]]:
    """The actions the log tells apart, named for people."""
    return [
        (ActivityEntry.Action.CREATE, pgettext("activity", "created")),
        (ActivityEntry.Action.UPDATE, pgettext("activity", "changed")),
        (ActivityEntry.Action.DELETE, pgettext("activity", "deleted")),
    ]


def kind_choices() -> list[tuple[int, str]]:
    """The kinds of object the log records (content type id, name), by name."""
    types = ContentType.objects.get_for_models(*logged_models())
    return sorted(
        ((content_type.pk, str(model._meta.verbose_name).capitalize()) for model, content_type in types.items()),
        key=lambda item: item[1],
    )


def activity_people(contest: Contest) -> list[Any]:
    """Everyone whose writes are in the contest's log, by name."""
    actors = ActivityEntry.objects.filter(contest=contest, actor__isnull=False).values("actor_id")
    people = get_user_model().objects.filter(pk__in=actors).select_related("profile")
    return sorted(people, key=lambda person: person_name(person).casefold())


def _day_start(contest: Contest, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), contest.tzinfo)


def activity_for_contest(contest: Contest, filters: ActivityFilters | None = None) -> QuerySet[ActivityEntry]:
    """The contest's log, filtered, newest first, with what each row's actor and kind need."""
    filters = filters or ActivityFilters()
    found = ActivityEntry.objects.filter(contest=contest)
    if filters.person is not None:
        found = found.filter(actor_id=filters.person)
    if filters.kind is not None:
        found = found.filter(content_type_id=filters.kind)
    if filters.action is not None:
        found = found.filter(action=filters.action)
    if filters.since is not None:
        found = found.filter(timestamp__gte=_day_start(contest, filters.since))
    if filters.until is not None:
        found = found.filter(timestamp__lt=_day_start(contest, filters.until + timedelta(days=1)))
    if filters.text:
        found = found.filter(object_repr__icontains=filters.text)
    return found.select_related("actor__profile", "content_type").order_by("-timestamp", "-pk")


def _model_field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_name(model: type[models.Model] | None, name: str, criteria: dict[str, str]) -> str:
    if name.startswith(SCORE_PREFIX):
        key = name.removeprefix(SCORE_PREFIX)
        return f"{pgettext('jury score', 'score')}: {criteria.get(key, key)}"
    if name.startswith(COMMENT_PREFIX):
        key = name.removeprefix(COMMENT_PREFIX)
        return f"{_('comment on the criterion')}: {criteria.get(key, key)}"
    found = _model_field(model, name)
    return str(getattr(found, "verbose_name", name)) if found is not None else name


def _criterion_names(entries: Iterable[ActivityEntry]) -> dict[str, str]:
    """The names (in the reader's language) of the criteria the reviews' changes name by id."""
    ids = {
        name.split(":", 1)[1]
        for entry in entries
        for name in (entry.changes or {})
        if name.startswith((SCORE_PREFIX, COMMENT_PREFIX))
    }
    ids = {key for key in ids if key.isdigit()}
    if not ids:
        return {}
    return {str(criterion.pk): str(criterion) for criterion in Criterion.objects.filter(pk__in=ids)}


class _Labels:
    """The labels of the rows the changes of some log rows point at, read in one query per model."""

    def __init__(self, entries: Iterable[ActivityEntry]) -> None:
        wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        for entry in entries:
            model = entry.content_type.model_class()
            for name, values in (entry.changes or {}).items():
                found = _model_field(model, name)
                if isinstance(found, models.ForeignKey) and isinstance(values, list):
                    wanted[found.related_model].update(str(v) for v in values if v not in (None, "None"))
        self.labels: dict[tuple[type[models.Model], str], str] = {}
        self.criteria = _criterion_names(entries)
        for related, keys in wanted.items():
            ids = [key for key in keys if key.isdigit()]
            if not ids:
                continue
            rows = related._default_manager.filter(pk__in=ids)
            if related is get_user_model():
                rows = rows.select_related("profile")
            else:
                rows = rows.select_related(*LABEL_RELATED.get(related._meta.label_lower, ()))
            for row in rows:
                self.labels[(related, str(row.pk))] = person_name(row) if related is get_user_model() else str(row)

    def value(self, field: Any, raw: Any, zone: Any) -> str:
        """A stored value as text for people: a choice's label, yes or no, a local time, a row's label."""
        if raw is None or raw == "None":
            return ""
        text = str(raw)
        if field is None:
            return text
        if getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(text, text))
        if isinstance(field, models.BooleanField):
            return {"True": _("yes"), "False": _("no")}.get(text, text)
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(text)
            if moment is not None:
                if timezone.is_naive(moment):
                    # auditlog keeps times as naive UTC.
                    moment = moment.replace(tzinfo=UTC)
                return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")
            return text
        if isinstance(field, models.ForeignKey):
            return self.labels.get((field.related_model, text), text)
        return text


def _in_model_order(model: type[models.Model] | None, names: Iterable[str]) -> list[str]:
    """Field names in the order the model declares them; scores and others after, by name."""
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())} if model else {}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def _changes(entry: ActivityEntry, model: type[models.Model] | None, labels: _Labels, zone: Any) -> list[Change]:
    found = []
    stored = entry.changes or {}
    for name in _in_model_order(model, stored):
        values = stored[name]
        label = _field_name(model, name, labels.criteria)
        if isinstance(values, dict) and values.get("type") == "m2m":
            objects = ", ".join(str(item) for item in values.get("objects", []))
            if values.get("operation") == "add":
                found.append(Change(label, "", f"+ {objects}", entry.language))
            else:
                found.append(Change(label, f"− {objects}", "", entry.language))
            continue
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue
        model_field = _model_field(model, name)
        before, after = labels.value(model_field, values[0], zone), labels.value(model_field, values[1], zone)
        # A column of one language (modeltranslation's ``name_ru``) holds that language's text.
        found.append(Change(label, before, after, getattr(model_field, "language", "") or ""))
    return found


def _who(entry: ActivityEntry) -> str:
    if entry.actor is not None:
        return person_name(entry.actor)
    if entry.actor_email:
        return entry.actor_email
    return _("Baige (automatic)")


def activity_rows(contest: Contest, entries: Sequence[ActivityEntry]) -> list[ActivityRow]:
    """The log rows as people read them: local time, who, action, kind, label and each change."""
    labels = _Labels(entries)
    actions = dict(action_choices())
    zone = contest.tzinfo
    made = []
    for entry in entries:
        model = entry.content_type.model_class()
        made.append(
            ActivityRow(
                entry=entry,
                when=timezone.localtime(entry.timestamp, zone),
                who=_who(entry),
                action=actions.get(entry.action, str(entry.action)),
                kind=str(model._meta.verbose_name).capitalize() if model is not None else entry.content_type.model,
                label=entry.object_repr,
                model=model,
                changes=_changes(entry, model, labels, zone),
            )
        )
    return made


def activity_export_header() -> list[str]:
    """The columns of the log's export."""
    return [
        _("Time"),
        _("Who"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Field"),
        _("Before"),
        _("After"),
    ]


def activity_export_rows(contest: Contest, filters: ActivityFilters) -> Iterator[list[str]]:
    """The filtered log as export rows, one per changed field (one for a row without changes), read in chunks."""
    found = activity_for_contest(contest, filters)
    last: tuple[datetime, int] | None = None
    while True:
        chunk_query = found
        if last is not None:
            chunk_query = found.filter(models.Q(timestamp__lt=last[0]) | models.Q(timestamp=last[0], pk__lt=last[1]))
        chunk = list(chunk_query[:EXPORT_CHUNK])
        if not chunk:
            return
        for row in activity_rows(contest, chunk):
            start = [row.when.strftime("%Y-%m-%d %H:%M:%S"), row.who, row.action, row.kind, row.label]
            if not row.changes:
                yield [*start, "", "", ""]
            for change in row.changes:
                yield [*start, change.field, change.before, change.after]
        last = (chunk[-1].timestamp, chunk[-1].pk)
