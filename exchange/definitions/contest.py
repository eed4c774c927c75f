"""The contest's own part of a definition file: its texts, timeline, limits, universities, nominations, platforms.

Each part is checked (``contest_part_parse``), loaded (``contest_part_load``: rows matched by
slug, created or updated) and dumped back (``contest_part_dump``); ``exchange.definitions``
calls them together with the judging part. The format is documented in
``docs/contest-definition.md``.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest.enums import Country
from contest.models import Contest, Nomination, Platform, University
from exchange.definitions.schema import (
    MAX_INTEGER,
    DefinitionProblems,
    Texts,
    bool_check,
    fields_check,
    format_duration,
    format_size,
    items_check,
    moment_dump,
    parse_duration,
    parse_size,
    path_at,
    slug_check,
    slugs_unique_check,
    string_check,
    texts_check,
    texts_dump,
    values_assign,
    whole_number_check,
)

#: The top-level keys of the contest's part of a definition.
REQUIRED_KEYS = ("slug", "name", "timeline", "nominations", "platforms")
OPTIONAL_KEYS = ("description", "rules", "limits", "universities")
#: The largest file size the database column holds.
MAX_BYTES = 2**63 - 1

_contest_defaults = {f.name: f.default for f in Contest._meta.concrete_fields if f.name.startswith("max_")}
DEFAULT_MAX_FILE_SIZE: int = _contest_defaults["max_file_size"]
DEFAULT_MAX_VIDEO_DURATION: int = _contest_defaults["max_video_duration"]
DEFAULT_MAX_PAGES: int = _contest_defaults["max_pages"]


# --- The checked part -------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    timezone: str
    submissions_open: datetime
    submissions_close: datetime
    results_publish_at: datetime | None


@dataclass(frozen=True)
class Limits:
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_video_duration: int = DEFAULT_MAX_VIDEO_DURATION
    max_pages: int = DEFAULT_MAX_PAGES


@dataclass(frozen=True)
class UniversityDefinition:
    slug: str
    name: Texts
    country: str


@dataclass(frozen=True)
class NominationDefinition:
    slug: str
    name: Texts
    description: Texts
    order: int


@dataclass(frozen=True)
class PlatformDefinition:
    slug: str
    name: Texts
    is_other: bool
    order: int


@dataclass(frozen=True)
class ContestPart:
    """The contest's own part of a checked definition."""

    slug: str
    name: Texts
    description: Texts
    rules: Texts
    timeline: Timeline
    limits: Limits
    universities: tuple[UniversityDefinition, ...]
    nominations: tuple[NominationDefinition, ...]
    platforms: tuple[PlatformDefinition, ...]


# --- Checking ---------------------------------------------------------------------------


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _moment(value: Any, path: str, problems: DefinitionProblems, tz: zoneinfo.ZoneInfo | None) -> datetime | None:
    """An ISO date and time; without an offset it is read in the contest's time zone."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and re.search(r"\d[T ]\d", value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    else:
        moment = None
    if moment is None:
        problems.add(path, _("must be a date and time such as 2025-03-01T09:00"))
        return None
    if moment.tzinfo is not None:
        return moment
    if tz is None:
        # The time zone itself is wrong and already reported.
        return None
    local = moment.replace(tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        problems.add(path, _("does not exist in %(timezone)s (the clocks skip it)") % {"timezone": tz.key})
        return None
    return local


def _timeline(value: Any, path: str, problems: DefinitionProblems) -> Timeline | None:
    data = fields_check(
        value,
        path,
        problems,
        required=("timezone", "submissions_open", "submissions_close"),
        optional=("results_publish_at",),
    )
    if data is None:
        return None
    tz: zoneinfo.ZoneInfo | None = None
    name = data.get("timezone")
    if "timezone" in data:
        name = string_check(name, path_at(path, "timezone"), problems)
        if name and name in _known_timezones():
            tz = zoneinfo.ZoneInfo(name)
        elif name:
            problems.add(path_at(path, "timezone"), _('unknown time zone "%(name)s"') % {"name": name})
    moments: dict[str, datetime | None] = {}
    for key in ("submissions_open", "submissions_close", "results_publish_at"):
        if data.get(key) is not None:
            moments[key] = _moment(data[key], path_at(path, key), problems, tz)
        elif key in data:
            if key == "results_publish_at":
                moments[key] = None
            else:
                problems.add(path_at(path, key), _("must be a date and time such as 2025-03-01T09:00"))
    opens, closes, publish = (moments.get(k) for k in ("submissions_open", "submissions_close", "results_publish_at"))
    if opens and closes and closes <= opens:
        problems.add(path_at(path, "submissions_close"), _("must be after submissions_open"))
    if closes and publish and publish < closes:
        problems.add(path_at(path, "results_publish_at"), _("must not be before submissions_close"))
    if tz is None or opens is None or closes is None:
        return None
    return Timeline(timezone=tz.key, submissions_open=opens, submissions_close=closes, results_publish_at=publish)


def _limits(value: Any, path: str, problems: DefinitionProblems) -> Limits:
    if value is None:
        return Limits()
    data = fields_check(
        value, path, problems, required=(), optional=("max_file_size", "max_video_duration", "max_pages")
    )
    if data is None:
        return Limits()
    limits = Limits()
    if data.get("max_file_size") is not None:
        size = parse_size(data["max_file_size"])
        if size is None:
            problems.add(
                path_at(path, "max_file_size"), _('must be a number of bytes or a size such as "500MB" or "2GiB"')
            )
        elif size < 1:
            problems.add(path_at(path, "max_file_size"), _("must be at least 1 byte"))
        elif size > MAX_BYTES:
            problems.add(
                path_at(path, "max_file_size"), _("must be at most %(maximum)d bytes") % {"maximum": MAX_BYTES}
            )
        else:
            limits = Limits(size, limits.max_video_duration, limits.max_pages)
    if data.get("max_video_duration") is not None:
        seconds = parse_duration(data["max_video_duration"])
        if seconds is None:
            problems.add(
                path_at(path, "max_video_duration"),
                _('must be a number of seconds or a duration such as "20min" or "1h30min"'),
            )
        elif seconds < 1:
            problems.add(path_at(path, "max_video_duration"), _("must be at least 1 second"))
        elif seconds > MAX_INTEGER:
            problems.add(
                path_at(path, "max_video_duration"), _("must be at most %(maximum)d seconds") % {"maximum": MAX_INTEGER}
            )
        else:
            limits = Limits(limits.max_file_size, seconds, limits.max_pages)
    if data.get("max_pages") is not None:
        pages = whole_number_check(data["max_pages"], path_at(path, "max_pages"), problems)
        limits = Limits(limits.max_file_size, limits.max_video_duration, pages)
    return limits


def _universities(value: Any, problems: DefinitionProblems) -> tuple[UniversityDefinition, ...]:
    result, slugs = [], []
    for path, item in items_check(value, "universities", problems, required=False):
        data = fields_check(item, path, problems, required=("slug", "name", "country"))
        if data is None:
            continue
        slug = slug_check(data.get("slug"), path_at(path, "slug"), problems, max_length=60) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = texts_check(data["name"], path_at(path, "name"), problems, max_length=255, required=True)
        country = ""
        if "country" in data:
            country = string_check(data["country"], path_at(path, "country"), problems).upper()
            if country and country not in Country.values:
                problems.add(
                    path_at(path, "country"),
                    _('unknown country code "%(code)s" (use one of %(codes)s)')
                    % {"code": country, "codes": ", ".join(Country.values)},
                )
        slugs.append((path_at(path, "slug"), slug))
        result.append(UniversityDefinition(slug=slug, name=name, country=country))
    slugs_unique_check(slugs, problems)
    return tuple(result)


def _nominations(value: Any, problems: DefinitionProblems) -> tuple[NominationDefinition, ...]:
    result, slugs = [], []
    for position, (path, item) in enumerate(items_check(value, "nominations", problems, required=True), start=1):
        data = fields_check(item, path, problems, required=("slug", "name"), optional=("description", "order"))
        if data is None:
            continue
        slug = slug_check(data.get("slug"), path_at(path, "slug"), problems, max_length=80) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = texts_check(data["name"], path_at(path, "name"), problems, max_length=255, required=True)
        description = texts_check(
            data.get("description"), path_at(path, "description"), problems, max_length=None, required=False
        )
        order = position
        if data.get("order") is not None:
            order = whole_number_check(data["order"], path_at(path, "order"), problems, minimum=0)
        slugs.append((path_at(path, "slug"), slug))
        result.append(NominationDefinition(slug=slug, name=name, description=description, order=order))
    slugs_unique_check(slugs, problems)
    return tuple(result)


def _platforms(value: Any, problems: DefinitionProblems) -> tuple[PlatformDefinition, ...]:
    result, slugs = [], []
    for position, (path, item) in enumerate(items_check(value, "platforms", problems, required=True), start=1):
        data = fields_check(item, path, problems, required=("slug", "name"), optional=("is_other", "order"))
        if data is None:
            continue
        slug = slug_check(data.get("slug"), path_at(path, "slug"), problems, max_length=80) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = texts_check(data["name"], path_at(path, "name"), problems, max_length=120, required=True)
        is_other = (
            bool_check(data["is_other"], path_at(path, "is_other"), problems)
            if data.get("is_other") is not None
            else False
        )
        order = position
        if data.get("order") is not None:
            order = whole_number_check(data["order"], path_at(path, "order"), problems, minimum=0)
        slugs.append((path_at(path, "slug"), slug))
        result.append(PlatformDefinition(slug=slug, name=name, is_other=is_other, order=order))
    slugs_unique_check(slugs, problems)
    return tuple(result)


def contest_part_parse(raw: Mapping[str, Any], problems: DefinitionProblems) -> ContestPart | None:
    """Check the contest's part of raw definition data whose top-level keys are checked; ``None`` if unusable."""
    slug = slug_check(raw.get("slug"), "slug", problems, max_length=80) if "slug" in raw else ""
    name = texts_check(raw.get("name"), "name", problems, max_length=255, required=True) if "name" in raw else Texts()
    description = texts_check(raw.get("description"), "description", problems, max_length=None, required=False)
    rules = texts_check(raw.get("rules"), "rules", problems, max_length=None, required=False)
    timeline = _timeline(raw["timeline"], "timeline", problems) if "timeline" in raw else None
    limits = _limits(raw.get("limits"), "limits", problems)
    universities = _universities(raw.get("universities"), problems)
    nominations = _nominations(raw.get("nominations"), problems) if "nominations" in raw else ()
    platforms = _platforms(raw.get("platforms"), problems) if "platforms" in raw else ()
    if timeline is None:
        return None
    return ContestPart(
        slug=slug,
        name=name,
        description=description,
        rules=rules,
        timeline=timeline,
        limits=limits,
        universities=universities,
        nominations=nominations,
        platforms=platforms,
    )


# --- Loading ----------------------------------------------------------------------------


@dataclass
class DefinitionLoadReport:
    """What loading a definition did, in words for the person who ran it."""

    contest: Contest
    created: bool = False
    dry_run: bool = False
    changes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Items the database has and the file does not; they were kept.
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.removed)


def _contest_values(definition: ContestPart) -> dict[str, Any]:
    timeline, limits = definition.timeline, definition.limits
    return {
        **definition.name.columns("name"),
        **definition.description.columns("description"),
        **definition.rules.columns("rules"),
        "timezone": timeline.timezone,
        "submissions_open": timeline.submissions_open,
        "submissions_close": timeline.submissions_close,
        "results_publish_at": timeline.results_publish_at,
        "max_file_size": limits.max_file_size,
        "max_video_duration": limits.max_video_duration,
        "max_pages": limits.max_pages,
    }


def _upsert(
    model: type[Any], existing: Any, lookup: Mapping[str, Any], values: Mapping[str, Any], label: str
) -> tuple[Any, str | None]:
    """Create or update one row; return it and a description of the change, if any."""
    if existing is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, _("created %(thing)s") % {"thing": label}
    changed = values_assign(existing, values)
    if not changed:
        return existing, None
    existing.save()
    return existing, _("updated %(thing)s: %(fields)s") % {"thing": label, "fields": ", ".join(changed)}


def _load_universities(contest: Contest, definition: ContestPart, report: DefinitionLoadReport, prune: bool) -> None:
    existing = {u.slug: u for u in University.objects.filter(slug__in=[u.slug for u in definition.universities])}
    linked = {u.slug: u for u in contest.universities.all()}
    for item in definition.universities:
        label = _("university %(slug)s") % {"slug": item.slug}
        values = {**item.name.columns("name"), "country": item.country}
        university, change = _upsert(University, existing.get(item.slug), {"slug": item.slug}, values, label)
        if change:
            report.changes.append(change)
        if item.slug not in linked:
            contest.universities.add(university)
            if existing.get(item.slug) is not None:
                report.changes.append(_("added %(thing)s to the contest") % {"thing": label})
    listed = {u.slug for u in definition.universities}
    for slug, university in sorted(linked.items()):
        if slug in listed:
            continue
        label = _("university %(slug)s") % {"slug": slug}
        if prune:
            # Unlinking loses nothing: the university and its participants stay.
            contest.universities.remove(university)
            report.removed.append(_("removed %(thing)s from the contest") % {"thing": label})
        else:
            report.kept.append(label)


def _load_choices(
    contest: Contest,
    model: type[Nomination] | type[Platform],
    items: tuple[NominationDefinition, ...] | tuple[PlatformDefinition, ...],
    values_of: Callable[[Any], dict[str, Any]],
    label_of: Callable[[str], str],
    report: DefinitionLoadReport,
    prune: bool,
) -> None:
    existing = {obj.slug: obj for obj in model.objects.filter(contest=contest)}
    for item in items:
        _obj, change = _upsert(
            model,
            existing.get(item.slug),
            {"contest": contest, "slug": item.slug},
            values_of(item),
            label_of(item.slug),
        )
        if change:
            report.changes.append(change)
    listed = {item.slug for item in items}
    for slug, obj in sorted(existing.items()):
        if slug in listed:
            continue
        used = obj.entries.count()
        if prune and not used:
            obj.delete()
            report.removed.append(_("deleted %(thing)s") % {"thing": label_of(slug)})
        else:
            report.kept.append(
                ngettext("%(thing)s (used by %(count)d entry)", "%(thing)s (used by %(count)d entries)", used)
                % {"thing": label_of(slug), "count": used}
                if used
                else label_of(slug)
            )


def contest_part_load(*, definition: ContestPart, prune: bool, dry_run: bool) -> DefinitionLoadReport:
    """Create or update the contest and its universities, nominations and platforms; the caller holds the transaction.

    Rows are matched by slug. Nominations, platforms and universities that the database has
    and the definition does not are kept and reported; with ``prune`` the unused ones are
    deleted (universities are only unlinked).
    """
    contest = Contest.objects.select_for_update().filter(slug=definition.slug).first()
    created = contest is None
    contest, change = _upsert(
        Contest,
        contest,
        {"slug": definition.slug},
        _contest_values(definition),
        _("contest %(slug)s") % {"slug": definition.slug},
    )
    report = DefinitionLoadReport(contest=contest, created=created, dry_run=dry_run)
    if change:
        report.changes.append(change)
    _load_universities(contest, definition, report, prune)
    _load_choices(
        contest,
        Nomination,
        definition.nominations,
        lambda n: {**n.name.columns("name"), **n.description.columns("description"), "order": n.order},
        lambda slug: _("nomination %(slug)s") % {"slug": slug},
        report,
        prune,
    )
    _load_choices(
        contest,
        Platform,
        definition.platforms,
        lambda p: {**p.name.columns("name"), "is_other": p.is_other, "order": p.order},
        lambda slug: _("platform %(slug)s") % {"slug": slug},
        report,
        prune,
    )
    return report


# --- Dumping ----------------------------------------------------------------------------


def _ordered_dump(items: list[dict[str, Any]], orders: list[int]) -> list[dict[str, Any]]:
    """Leave ``order`` out where it equals the item's position, as the loader assumes."""
    for position, (item, order) in enumerate(zip(items, orders, strict=True), start=1):
        if order != position:
            item["order"] = order
    return items


def contest_part_dump(*, contest: Contest) -> dict[str, Any]:
    """The contest's own part of its definition as plain data."""
    tz = contest.tzinfo
    data: dict[str, Any] = {"slug": contest.slug, "name": texts_dump(contest, "name") or contest.name}
    for name in ("description", "rules"):
        texts = texts_dump(contest, name)
        if texts is not None:
            data[name] = texts
    timeline: dict[str, Any] = {
        "timezone": contest.timezone,
        "submissions_open": moment_dump(contest.submissions_open, tz),
        "submissions_close": moment_dump(contest.submissions_close, tz),
    }
    if contest.results_publish_at is not None:
        timeline["results_publish_at"] = moment_dump(contest.results_publish_at, tz)
    data["timeline"] = timeline
    data["limits"] = {
        "max_file_size": format_size(contest.max_file_size),
        "max_video_duration": format_duration(contest.max_video_duration),
        "max_pages": contest.max_pages,
    }
    # Universities in the order they were linked, which is the order of the file first loaded.
    links = Contest.universities.through.objects.filter(contest=contest).select_related("university").order_by("id")
    data["universities"] = [
        {"slug": u.slug, "name": texts_dump(u, "name") or u.name, "country": u.country}
        for u in (link.university for link in links)
    ]
    nominations = list(contest.nominations.order_by("order", "slug"))
    dumped_nominations = []
    for nomination in nominations:
        item: dict[str, Any] = {"slug": nomination.slug, "name": texts_dump(nomination, "name") or nomination.name}
        description = texts_dump(nomination, "description")
        if description is not None:
            item["description"] = description
        dumped_nominations.append(item)
    data["nominations"] = _ordered_dump(dumped_nominations, [n.order for n in nominations])
    platforms = list(contest.platforms.order_by("order", "slug"))
    dumped_platforms = []
    for platform in platforms:
        item = {"slug": platform.slug, "name": texts_dump(platform, "name") or platform.name}
        if platform.is_other:
            item["is_other"] = True
        dumped_platforms.append(item)
    data["platforms"] = _ordered_dump(dumped_platforms, [p.order for p in platforms])
    return data
