"""The checking of contest definition files: problems with their paths, and checkers for each kind of field.

Checking is strict and happens before anything is written: every problem is reported with the
path of the field at fault (``nominations[2].name.kk: must be a string``) and a refused
definition changes nothing. Each checker takes the raw value and its path, reports what is
wrong to a :class:`DefinitionProblems` and returns a usable value, so that one run finds every
problem. The contest's part (``exchange.definitions.contest``) and the judging part
(``exchange.definitions.judging``) are built from these checkers, and share the few helpers
below that write checked values to rows and dump rows back in the same format.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from config.exceptions import BaigeError

LANGUAGES = ("kk", "ru", "en")
ROOT = "definition"
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
#: The largest value the database columns for orders, pages and seconds hold.
MAX_INTEGER = 2**31 - 1

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


# --- Checkers ---------------------------------------------------------------------------


def path_at(path: str, key: str) -> str:
    """The path of ``key`` inside the value at ``path`` (``timeline.timezone``)."""
    return f"{path}.{key}" if path else key


def fields_check(
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
            problems.add(path_at(path, str(key)), message)
    for key in required:
        if key not in value:
            problems.add(path_at(path, key), _("required field is missing"))
    return value


def string_check(value: Any, path: str, problems: DefinitionProblems, *, max_length: int | None = None) -> str:
    """A string, stripped."""
    if not isinstance(value, str):
        problems.add(path, _("must be a string"))
        return ""
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        problems.add(path, _("must be at most %(count)d characters long") % {"count": max_length})
    return value


def texts_check(
    value: Any, path: str, problems: DefinitionProblems, *, max_length: int | None, required: bool
) -> Texts:
    """A string (the same in every language) or a mapping with ``kk``, ``ru`` and ``en`` keys."""
    if value is None and not required:
        return Texts()
    if isinstance(value, str):
        text = string_check(value, path, problems, max_length=max_length)
        texts = Texts(kk=text, ru=text, en=text)
    elif isinstance(value, dict):
        for key in value:
            if key not in LANGUAGES:
                problems.add(path_at(path, str(key)), _("unknown language (use kk, ru or en)"))
        found = {}
        for language in LANGUAGES:
            item = value.get(language)
            found[language] = (
                "" if item is None else string_check(item, path_at(path, language), problems, max_length=max_length)
            )
        texts = Texts(**found)
    else:
        problems.add(path, _("must be a string or a mapping of kk, ru and en texts"))
        return Texts()
    if required and texts.is_empty:
        problems.add(path, _("must not be empty"))
    return texts


def slug_check(value: Any, path: str, problems: DefinitionProblems, *, max_length: int) -> str:
    """A slug of Latin letters, digits, hyphens and underscores."""
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


def whole_number_check(value: Any, path: str, problems: DefinitionProblems, *, minimum: int = 1) -> int:
    """A whole number from ``minimum`` to what the database holds."""
    # bool is an int in Python, but "yes" is not a number of pages.
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, _("must be a whole number"))
        return minimum
    if value < minimum:
        problems.add(path, _("must be at least %(minimum)d") % {"minimum": minimum})
    elif value > MAX_INTEGER:
        problems.add(path, _("must be at most %(maximum)d") % {"maximum": MAX_INTEGER})
    return value


def bool_check(value: Any, path: str, problems: DefinitionProblems) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        problems.add(path, _("must be true or false"))
        return False
    return value


def items_check(value: Any, path: str, problems: DefinitionProblems, *, required: bool) -> list[tuple[str, Any]]:
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


def slugs_unique_check(slugs: list[tuple[str, str]], problems: DefinitionProblems) -> None:
    """Report each slug already used by an earlier item of the same list; ``slugs`` holds (path, slug)."""
    seen: dict[str, str] = {}
    for path, slug in slugs:
        if not slug:
            continue
        if slug in seen:
            problems.add(path, _('"%(slug)s" is already used by %(other)s') % {"slug": slug, "other": seen[slug]})
        else:
            seen[slug] = path.rsplit(".", 1)[0]


# --- Sizes and durations ----------------------------------------------------------------


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


# --- Loading and dumping ----------------------------------------------------------------


def _same(old: Any, new: Any) -> bool:
    # Translation columns hold NULL or "" for "no text": both mean the same.
    if isinstance(old, str) or isinstance(new, str):
        return (old or "") == (new or "")
    return bool(old == new)


def values_assign(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, new in values.items():
        if not _same(getattr(obj, name), new):
            setattr(obj, name, new)
            changed.append(name)
    return changed


def texts_dump(obj: Any, name: str) -> str | dict[str, str] | None:
    """A string when every language has the same text, else a mapping of the languages that have one."""
    values = {language: (getattr(obj, f"{name}_{language}") or "") for language in LANGUAGES}
    filled = {language: text for language, text in values.items() if text}
    if not filled:
        return None
    if len(filled) == len(LANGUAGES) and len(set(filled.values())) == 1:
        return values["en"]
    return filled


def moment_dump(moment: datetime, tz: zoneinfo.ZoneInfo) -> str:
    """A moment as the contest's wall-clock time, with an offset only where the clocks make it ambiguous."""
    local = moment.astimezone(tz)
    naive = local.replace(tzinfo=None)
    timespec = "minutes" if not (local.second or local.microsecond) else "auto"
    # A wall-clock time that happens twice (clocks going back) needs its offset to be exact.
    if naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return local.isoformat(timespec=timespec)
    return naive.isoformat(timespec=timespec)
