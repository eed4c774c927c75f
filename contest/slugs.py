"""Short names for URLs and files, made from names written in Kazakh, Russian or English."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.exceptions import BaigeError

#: Letters of Russian and Kazakh written in Latin, for slugs that work in any URL.
TRANSLITERATION = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q",
        "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    }
)  # fmt: skip


def unique_slug(text: str, *, taken: set[str], max_length: int, fallback: str) -> str:
    """A Latin slug of ``text`` that is not in ``taken`` (``-2``, ``-3``… added if needed); it is added to ``taken``."""
    base = slugify(text.lower().translate(TRANSLITERATION))[:max_length].strip("-") or fallback
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].strip("-") + suffix
        number += 1
    taken.add(slug)
    return slug


def slug_taken(slug: str) -> BaigeError:
    """The refusal of a short name that another item of the same contest already has."""
    return BaigeError(_("The short name “%(slug)s” is already used in this contest.") % {"slug": slug})


def slug_in_contest(
    requested: str, *, taken: set[str], names: Mapping[str, str | None], max_length: int, fallback: str
) -> str:
    """The short name asked for, refused if in ``taken``; else one made from the English, Russian or Kazakh name.

    ``taken`` holds the slugs of the item's siblings in its contest; ``names`` its name (or title) by language.
    """
    requested = requested.strip()
    if requested:
        if requested in taken:
            raise slug_taken(requested)
        return requested
    source = names.get("en") or names.get("ru") or names.get("kk") or ""
    return unique_slug(source, taken=taken, max_length=max_length, fallback=fallback)
