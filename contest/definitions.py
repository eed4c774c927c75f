"""Contest definitions as files: check a definition, load it into the database, dump it back.

A definition is plain data (read from YAML or JSON) describing one contest: its texts in
Kazakh, Russian and English, timeline, file limits, universities, nominations and platforms.
The format is documented in ``docs/contest-definition.md``. Checking is strict and happens
before anything is written: every problem is reported with the path of the field at fault
(``nominations[2].name.kk: must be a string``) and a refused definition changes nothing.
"""

from __future__ import annotations

import difflib
import json
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError
from contest.enums import Country
from contest.models import Contest, Nomination, Platform, University

LANGUAGES = ("kk", "ru", "en")
#: Top-level keys kept for later parts of Baige (the judging rubric and rounds).
RESERVED_KEYS = ("rubric", "rounds")
FORMATS = ("yaml", "json")
ROOT = "definition"
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
#: The largest value the database columns for orders, pages and seconds hold.
MAX_INTEGER = 2**31 - 1
MAX_BYTES = 2**63 - 1

_contest_defaults = {f.name: f.default for f in Contest._meta.concrete_fields if f.name.startswith("max_")}
DEFAULT_MAX_FILE_SIZE: int = _contest_defaults["max_file_size"]
DEFAULT_MAX_VIDEO_DURATION: int = _contest_defaults["max_video_duration"]
DEFAULT_MAX_PAGES: int = _contest_defaults["max_pages"]

#: Binary units first: a dump writes the first unit that divides the size exactly.
SIZE_UNITS = {
    "tib": 1024**4,
    "gib": 1024**3,
    "mib": 1024**2,
    "kib": 1024,
    "tb": 1000**4,
    "gb": 1000**3,
    "mb": 1000**2,
    "kb": 1000,
    "b": 1,
}
SIZE_LABELS = {"tib": "TiB", "gib": "GiB", "mib": "MiB", "kib": "KiB", "tb": "TB", "gb": "GB", "mb": "MB", "kb": "kB"}
SIZE_RE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*")
DURATION_UNITS = {"h": 3600, "min": 60, "s": 1}
DURATION_RE = re.compile(r"(?:\s*([0-9]+(?:\.[0-9]+)?)\s*(h|min|s)(?![a-zA-Z]))+\s*")
DURATION_PART_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(h|min|s)(?![a-zA-Z])")


class DefinitionInvalid(BaigeError):
    """A contest definition was refused; ``errors`` lists each problem as ``path: message``."""

    code = "definition_invalid"

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join([_("The contest definition is invalid:"), *(f"  {error}" for error in errors)]))


class DefinitionProblems:
    """Collects every problem of a definition so that all of them are reported at once."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{path or ROOT}: {message}")


@dataclass(frozen=True)
class DefinitionSection:
    """An extra top-level key of the definition, handled by another part of Baige.

    ``parse`` checks the raw value (reporting problems) and returns what ``apply`` writes
    for a contest; ``dump`` returns the raw value for a contest, or ``None`` to leave the
    key out.
    """

    key: str
    parse: Callable[[Any, str, DefinitionProblems], Any]
    apply: Callable[[Contest, Any], list[str]]
    dump: Callable[[Contest], Any]


_SECTIONS: dict[str, DefinitionSection] = {}


def definition_section_register(section: DefinitionSection) -> None:
    """Let another app own a top-level key such as ``rubric`` or ``rounds``."""
    _SECTIONS[section.key] = section


# --- The checked definition -------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """One text in Kazakh, Russian and English; an empty language falls back to another one."""

    kk: str = ""
    ru: str = ""
    en: str = ""

    def columns(self, name: str) -> dict[str, str]:
        return {f"{name}_{language}": getattr(self, language) for language in LANGUAGES}

    @property
    def is_empty(self) -> bool:
        return not (self.kk or self.ru or self.en)


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
class ContestDefinition:
    slug: str
    name: Texts
    description: Texts
    rules: Texts
    timeline: Timeline
    limits: Limits
    universities: tuple[UniversityDefinition, ...]
    nominations: tuple[NominationDefinition, ...]
    platforms: tuple[PlatformDefinition, ...]
    sections: dict[str, Any] = field(default_factory=dict)


# --- Checking ---------------------------------------------------------------------------


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fields(
    value: Any, path: str, problems: DefinitionProblems, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """The mapping at ``path`` if it is one; reports unknown and missing keys."""
    if not isinstance(value, dict):
        problems.add(path, _("must be a mapping of fields"))
        return None
    allowed = required + optional
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            message = _("unknown field")
            close = difflib.get_close_matches(str(key), allowed, n=1)
            if close:
                message += " " + _('(did you mean "%(key)s"?)') % {"key": close[0]}
            problems.add(_at(path, str(key)), message)
    for key in required:
        if key not in value:
            problems.add(_at(path, key), _("required field is missing"))
    return value


def _string(value: Any, path: str, problems: DefinitionProblems, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        problems.add(path, _("must be a string"))
        return ""
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        problems.add(path, _("must be at most %(count)d characters long") % {"count": max_length})
    return value


def _texts(value: Any, path: str, problems: DefinitionProblems, *, max_length: int | None, required: bool) -> Texts:
    """A string (the same in every language) or a mapping with ``kk``, ``ru`` and ``en`` keys."""
    if value is None and not required:
        return Texts()
    if isinstance(value, str):
        text = _string(value, path, problems, max_length=max_length)
        texts = Texts(kk=text, ru=text, en=text)
    elif isinstance(value, dict):
        for key in value:
            if key not in LANGUAGES:
                problems.add(_at(path, str(key)), _("unknown language (use kk, ru or en)"))
        found = {}
        for language in LANGUAGES:
            item = value.get(language)
            found[language] = (
                "" if item is None else _string(item, _at(path, language), problems, max_length=max_length)
            )
        texts = Texts(**found)
    else:
        problems.add(path, _("must be a string or a mapping of kk, ru and en texts"))
        return Texts()
    if required and texts.is_empty:
        problems.add(path, _("must not be empty"))
    return texts


def _slug(value: Any, path: str, problems: DefinitionProblems, *, max_length: int) -> str:
    if not isinstance(value, str):
        problems.add(path, _("must be a string"))
        return ""
    if not value:
        problems.add(path, _("must not be empty"))
    elif not SLUG_RE.fullmatch(value):
        problems.add(path, _("may contain only Latin letters, digits, hyphens and underscores"))
    elif len(value) > max_length:
        problems.add(path, _("must be at most %(count)d characters long") % {"count": max_length})
    return value


def _positive_int(value: Any, path: str, problems: DefinitionProblems, *, minimum: int = 1) -> int:
    # bool is an int in Python, but "yes" is not a number of pages.
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, _("must be a whole number"))
        return minimum
    if value < minimum:
        problems.add(path, _("must be at least %(minimum)d") % {"minimum": minimum})
    elif value > MAX_INTEGER:
        problems.add(path, _("must be at most %(maximum)d") % {"maximum": MAX_INTEGER})
    return value


def _bool(value: Any, path: str, problems: DefinitionProblems) -> bool:
    if not isinstance(value, bool):
        problems.add(path, _("must be true or false"))
        return False
    return value


def parse_size(value: Any) -> int | None:
    """Bytes from a number or a text such as ``500MB`` or ``2GiB``; ``None`` if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    match = SIZE_RE.fullmatch(value)
    if not match:
        return None
    unit = (match.group(2) or "b").lower()
    if unit not in SIZE_UNITS:
        return None
    amount = Decimal(match.group(1)) * SIZE_UNITS[unit]
    return int(amount) if amount == amount.to_integral_value() else None


def format_size(size: int) -> str | int:
    """The shortest exact form of a size: ``2GiB``, ``500MB``, or plain bytes."""
    for unit, factor in SIZE_UNITS.items():
        if factor > 1 and size % factor == 0:
            return f"{size // factor}{SIZE_LABELS[unit]}"
    return size


def parse_duration(value: Any) -> int | None:
    """Seconds from a number or a text such as ``20min``, ``90s`` or ``1h30min``; ``None`` if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    if re.fullmatch(r"\s*[0-9]+\s*", value):
        return int(value)
    if not DURATION_RE.fullmatch(value):
        return None
    parts = DURATION_PART_RE.findall(value)
    total = sum((Decimal(amount) * DURATION_UNITS[unit] for amount, unit in parts), Decimal(0))
    return int(total) if total == total.to_integral_value() else None


def format_duration(seconds: int) -> str:
    """``1h``, ``20min`` or ``90s``."""
    if seconds and seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds and seconds % 60 == 0:
        return f"{seconds // 60}min"
    return f"{seconds}s"


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
    data = _fields(
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
        name = _string(name, _at(path, "timezone"), problems)
        if name and name in _known_timezones():
            tz = zoneinfo.ZoneInfo(name)
        elif name:
            problems.add(_at(path, "timezone"), _('unknown time zone "%(name)s"') % {"name": name})
    moments: dict[str, datetime | None] = {}
    for key in ("submissions_open", "submissions_close", "results_publish_at"):
        if data.get(key) is not None:
            moments[key] = _moment(data[key], _at(path, key), problems, tz)
        elif key in data:
            if key == "results_publish_at":
                moments[key] = None
            else:
                problems.add(_at(path, key), _("must be a date and time such as 2025-03-01T09:00"))
    opens, closes, publish = (moments.get(k) for k in ("submissions_open", "submissions_close", "results_publish_at"))
    if opens and closes and closes <= opens:
        problems.add(_at(path, "submissions_close"), _("must be after submissions_open"))
    if closes and publish and publish < closes:
        problems.add(_at(path, "results_publish_at"), _("must not be before submissions_close"))
    if tz is None or opens is None or closes is None:
        return None
    return Timeline(timezone=tz.key, submissions_open=opens, submissions_close=closes, results_publish_at=publish)


def _limits(value: Any, path: str, problems: DefinitionProblems) -> Limits:
    if value is None:
        return Limits()
    data = _fields(value, path, problems, required=(), optional=("max_file_size", "max_video_duration", "max_pages"))
    if data is None:
        return Limits()
    limits = Limits()
    if data.get("max_file_size") is not None:
        size = parse_size(data["max_file_size"])
        if size is None:
            problems.add(_at(path, "max_file_size"), _('must be a number of bytes or a size such as "500MB" or "2GiB"'))
        elif size < 1:
            problems.add(_at(path, "max_file_size"), _("must be at least 1 byte"))
        elif size > MAX_BYTES:
            problems.add(_at(path, "max_file_size"), _("must be at most %(maximum)d bytes") % {"maximum": MAX_BYTES})
        else:
            limits = Limits(size, limits.max_video_duration, limits.max_pages)
    if data.get("max_video_duration") is not None:
        seconds = parse_duration(data["max_video_duration"])
        if seconds is None:
            problems.add(
                _at(path, "max_video_duration"),
                _('must be a number of seconds or a duration such as "20min" or "1h30min"'),
            )
        elif seconds < 1:
            problems.add(_at(path, "max_video_duration"), _("must be at least 1 second"))
        elif seconds > MAX_INTEGER:
            problems.add(
                _at(path, "max_video_duration"), _("must be at most %(maximum)d seconds") % {"maximum": MAX_INTEGER}
            )
        else:
            limits = Limits(limits.max_file_size, seconds, limits.max_pages)
    if data.get("max_pages") is not None:
        pages = _positive_int(data["max_pages"], _at(path, "max_pages"), problems)
        limits = Limits(limits.max_file_size, limits.max_video_duration, pages)
    return limits


def _items(value: Any, path: str, problems: DefinitionProblems, *, required: bool) -> list[tuple[str, Any]]:
    """The items of a list with their paths; reports a value that is not a list."""
    if value is None:
        if required:
            problems.add(path, _("required field is missing"))
        return []
    if not isinstance(value, list):
        problems.add(path, _("must be a list"))
        return []
    if required and not value:
        problems.add(path, _("must list at least one item"))
    return [(f"{path}[{index}]", item) for index, item in enumerate(value)]


def _check_unique_slugs(slugs: list[tuple[str, str]], problems: DefinitionProblems) -> None:
    seen: dict[str, str] = {}
    for path, slug in slugs:
        if not slug:
            continue
        if slug in seen:
            problems.add(path, _('"%(slug)s" is already used by %(other)s') % {"slug": slug, "other": seen[slug]})
        else:
            seen[slug] = path.rsplit(".", 1)[0]


def _universities(value: Any, problems: DefinitionProblems) -> tuple[UniversityDefinition, ...]:
    result, slugs = [], []
    for path, item in _items(value, "universities", problems, required=False):
        data = _fields(item, path, problems, required=("slug", "name", "country"))
        if data is None:
            continue
        slug = _slug(data.get("slug"), _at(path, "slug"), problems, max_length=60) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = _texts(data["name"], _at(path, "name"), problems, max_length=255, required=True)
        country = ""
        if "country" in data:
            country = _string(data["country"], _at(path, "country"), problems).upper()
            if country and country not in Country.values:
                problems.add(
                    _at(path, "country"),
                    _('unknown country code "%(code)s" (use one of %(codes)s)')
                    % {"code": country, "codes": ", ".join(Country.values)},
                )
        slugs.append((_at(path, "slug"), slug))
        result.append(UniversityDefinition(slug=slug, name=name, country=country))
    _check_unique_slugs(slugs, problems)
    return tuple(result)


def _nominations(value: Any, problems: DefinitionProblems) -> tuple[NominationDefinition, ...]:
    result, slugs = [], []
    for position, (path, item) in enumerate(_items(value, "nominations", problems, required=True), start=1):
        data = _fields(item, path, problems, required=("slug", "name"), optional=("description", "order"))
        if data is None:
            continue
        slug = _slug(data.get("slug"), _at(path, "slug"), problems, max_length=80) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = _texts(data["name"], _at(path, "name"), problems, max_length=255, required=True)
        description = _texts(
            data.get("description"), _at(path, "description"), problems, max_length=None, required=False
        )
        order = position
        if data.get("order") is not None:
            order = _positive_int(data["order"], _at(path, "order"), problems, minimum=0)
        slugs.append((_at(path, "slug"), slug))
        result.append(NominationDefinition(slug=slug, name=name, description=description, order=order))
    _check_unique_slugs(slugs, problems)
    return tuple(result)


def _platforms(value: Any, problems: DefinitionProblems) -> tuple[PlatformDefinition, ...]:
    result, slugs = [], []
    for position, (path, item) in enumerate(_items(value, "platforms", problems, required=True), start=1):
        data = _fields(item, path, problems, required=("slug", "name"), optional=("is_other", "order"))
        if data is None:
            continue
        slug = _slug(data.get("slug"), _at(path, "slug"), problems, max_length=80) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = _texts(data["name"], _at(path, "name"), problems, max_length=120, required=True)
        is_other = (
            _bool(data["is_other"], _at(path, "is_other"), problems) if data.get("is_other") is not None else False
        )
        order = position
        if data.get("order") is not None:
            order = _positive_int(data["order"], _at(path, "order"), problems, minimum=0)
        slugs.append((_at(path, "slug"), slug))
        result.append(PlatformDefinition(slug=slug, name=name, is_other=is_other, order=order))
    _check_unique_slugs(slugs, problems)
    return tuple(result)


CORE_KEYS = ("slug", "name", "description", "rules", "timeline", "limits", "universities", "nominations", "platforms")


def definition_parse(data: Any) -> ContestDefinition:
    """Check raw definition data (as read from YAML or JSON); raise DefinitionInvalid listing every problem."""
    problems = DefinitionProblems()
    sections = tuple(_SECTIONS)
    raw = _fields(
        data,
        "",
        problems,
        required=("slug", "name", "timeline", "nominations", "platforms"),
        optional=("description", "rules", "limits", "universities", *sections, *RESERVED_KEYS),
    )
    if raw is None:
        raise DefinitionInvalid(problems.errors)
    for key in RESERVED_KEYS:
        if key in raw and key not in _SECTIONS:
            problems.add(key, _("reserved for a later version of Baige; remove it for now"))
    slug = _slug(raw.get("slug"), "slug", problems, max_length=80) if "slug" in raw else ""
    name = _texts(raw.get("name"), "name", problems, max_length=255, required=True) if "name" in raw else Texts()
    description = _texts(raw.get("description"), "description", problems, max_length=None, required=False)
    rules = _texts(raw.get("rules"), "rules", problems, max_length=None, required=False)
    timeline = _timeline(raw["timeline"], "timeline", problems) if "timeline" in raw else None
    limits = _limits(raw.get("limits"), "limits", problems)
    universities = _universities(raw.get("universities"), problems)
    nominations = _nominations(raw.get("nominations"), problems) if "nominations" in raw else ()
    platforms = _platforms(raw.get("platforms"), problems) if "platforms" in raw else ()
    parsed_sections = {
        key: section.parse(raw[key], key, problems) for key, section in _SECTIONS.items() if raw.get(key) is not None
    }
    if problems.errors or timeline is None:
        raise DefinitionInvalid(problems.errors)
    return ContestDefinition(
        slug=slug,
        name=name,
        description=description,
        rules=rules,
        timeline=timeline,
        limits=limits,
        universities=universities,
        nominations=nominations,
        platforms=platforms,
        sections=parsed_sections,
    )


# --- Reading and writing files ----------------------------------------------------------


class _DefinitionLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (the time zone decides their meaning) and refuses duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # the base class reports keys that cannot be keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, _('duplicate key "%(key)s"') % {"key": key}, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _DefinitionDumper(yaml.SafeDumper):
    """YAML that people read: long texts as blocks, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text.strip():
        # The loader strips the final line break that a "|" block adds, so it is given back here.
        return dumper.represent_scalar("tag:yaml.org,2002:str", text.rstrip("\n") + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_DefinitionDumper.add_representer(str, _represent_text)


def definition_format_of(path: str | Path) -> str | None:
    """``yaml`` or ``json`` from a file name, or ``None`` when the name does not tell."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    return None


def definition_read(text: str, *, source: str, fmt: str | None = None) -> Any:
    """Raw definition data from YAML or JSON text; ``fmt=None`` guesses from the content."""
    if fmt is None:
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DefinitionInvalid(
                [
                    _("%(source)s: not valid JSON: %(problem)s (line %(line)d, column %(column)d)")
                    % {"source": source, "problem": error.msg, "line": error.lineno, "column": error.colno}
                ]
            ) from error
    try:
        return yaml.load(text, Loader=_DefinitionLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise DefinitionInvalid(
            [_("%(source)s: not valid YAML: %(problem)s") % {"source": source, "problem": f"{error.problem}{where}"}]
        ) from error
    except yaml.YAMLError as error:
        raise DefinitionInvalid(
            [_("%(source)s: not valid YAML: %(problem)s") % {"source": source, "problem": error}]
        ) from error


def definition_render(data: Mapping[str, Any], *, fmt: str = "yaml") -> str:
    """Definition data as YAML or JSON text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(
        dict(data),
        Dumper=_DefinitionDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,
        default_flow_style=False,
    )


# --- Loading into the database ----------------------------------------------------------


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


def _same(old: Any, new: Any) -> bool:
    # Translation columns hold NULL or "" for "no text": both mean the same.
    if isinstance(old, str) or isinstance(new, str):
        return (old or "") == (new or "")
    return bool(old == new)


def _assign(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, new in values.items():
        if not _same(getattr(obj, name), new):
            setattr(obj, name, new)
            changed.append(name)
    return changed


def _contest_values(definition: ContestDefinition) -> dict[str, Any]:
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
    changed = _assign(existing, values)
    if not changed:
        return existing, None
    existing.save()
    return existing, _("updated %(thing)s: %(fields)s") % {"thing": label, "fields": ", ".join(changed)}


def _load_universities(
    contest: Contest, definition: ContestDefinition, report: DefinitionLoadReport, prune: bool
) -> None:
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


@transaction.atomic
def contest_definition_load(
    *, definition: ContestDefinition, prune: bool = False, dry_run: bool = False
) -> DefinitionLoadReport:
    """Create or update the contest a checked definition describes, in one transaction.

    Rows are matched by slug. Nominations, platforms and universities that the database has
    and the definition does not are kept and reported; with ``prune`` the unused ones are
    deleted (universities are only unlinked). ``dry_run`` reports and then rolls back.
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
    for key, parsed in definition.sections.items():
        report.changes.extend(_SECTIONS[key].apply(contest, parsed))
    if dry_run:
        transaction.set_rollback(True)
    return report


# --- Dumping ----------------------------------------------------------------------------


def _texts_dump(obj: Any, name: str) -> str | dict[str, str] | None:
    """A string when every language has the same text, else a mapping of the languages that have one."""
    values = {language: (getattr(obj, f"{name}_{language}") or "") for language in LANGUAGES}
    filled = {language: text for language, text in values.items() if text}
    if not filled:
        return None
    if len(filled) == len(LANGUAGES) and len(set(filled.values())) == 1:
        return values["en"]
    return filled


def _moment_dump(moment: datetime, tz: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(tz)
    naive = local.replace(tzinfo=None)
    timespec = "minutes" if not (local.second or local.microsecond) else "auto"
    # A wall-clock time that happens twice (clocks going back) needs its offset to be exact.
    if naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return local.isoformat(timespec=timespec)
    return naive.isoformat(timespec=timespec)


def _ordered_dump(items: list[dict[str, Any]], orders: list[int]) -> list[dict[str, Any]]:
    """Leave ``order`` out where it equals the item's position, as the loader assumes."""
    for position, (item, order) in enumerate(zip(items, orders, strict=True), start=1):
        if order != position:
            item["order"] = order
    return items


def contest_definition_dump(*, contest: Contest) -> dict[str, Any]:
    """The definition of a contest as plain data; loading it back changes nothing."""
    tz = contest.tzinfo
    data: dict[str, Any] = {"slug": contest.slug, "name": _texts_dump(contest, "name") or contest.name}
    for name in ("description", "rules"):
        texts = _texts_dump(contest, name)
        if texts is not None:
            data[name] = texts
    timeline: dict[str, Any] = {
        "timezone": contest.timezone,
        "submissions_open": _moment_dump(contest.submissions_open, tz),
        "submissions_close": _moment_dump(contest.submissions_close, tz),
    }
    if contest.results_publish_at is not None:
        timeline["results_publish_at"] = _moment_dump(contest.results_publish_at, tz)
    data["timeline"] = timeline
    data["limits"] = {
        "max_file_size": format_size(contest.max_file_size),
        "max_video_duration": format_duration(contest.max_video_duration),
        "max_pages": contest.max_pages,
    }
    # Universities in the order they were linked, which is the order of the file first loaded.
    links = Contest.universities.through.objects.filter(contest=contest).select_related("university").order_by("id")
    data["universities"] = [
        {"slug": u.slug, "name": _texts_dump(u, "name") or u.name, "country": u.country}
        for u in (link.university for link in links)
    ]
    nominations = list(contest.nominations.order_by("order", "slug"))
    dumped_nominations = []
    for nomination in nominations:
        item: dict[str, Any] = {"slug": nomination.slug, "name": _texts_dump(nomination, "name") or nomination.name}
        description = _texts_dump(nomination, "description")
        if description is not None:
            item["description"] = description
        dumped_nominations.append(item)
    data["nominations"] = _ordered_dump(dumped_nominations, [n.order for n in nominations])
    platforms = list(contest.platforms.order_by("order", "slug"))
    dumped_platforms = []
    for platform in platforms:
        item = {"slug": platform.slug, "name": _texts_dump(platform, "name") or platform.name}
        if platform.is_other:
            item["is_other"] = True
        dumped_platforms.append(item)
    data["platforms"] = _ordered_dump(dumped_platforms, [p.order for p in platforms])
    for key, section in _SECTIONS.items():
        value = section.dump(contest)
        if value is not None:
            data[key] = value
    return data
