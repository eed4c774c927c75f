"""Texts written in each of Baige's languages: a name, a description or a title as ``<text>_kk``, ``_ru``, ``_en``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The languages every per-language text is written in, in the order forms and files show them.
TEXT_LANGUAGES = ("kk", "ru", "en")


def text_field_names(*texts: str) -> tuple[str, ...]:
    """The per-language field names of each text, text by text: ``name_kk``, ``name_ru``, ``name_en``, ..."""
    return tuple(f"{text}_{language}" for text in texts for language in TEXT_LANGUAGES)


def _value(source: Any, field: str) -> str:
    found = source.get(field) if isinstance(source, Mapping) else getattr(source, field)
    return (found or "").strip()


def texts_of(source: Any, text: str) -> dict[str, str]:
    """A text in each language, stripped, from an object's attributes or a mapping (a form's cleaned data)."""
    return {language: _value(source, f"{text}_{language}") for language in TEXT_LANGUAGES}


def has_text(source: Any, text: str) -> bool:
    """Whether the text (``"name"``, ``"title"``) is written in at least one language."""
    return any(texts_of(source, text).values())


def texts_set(obj: Any, text: str, texts: Mapping[str, str]) -> None:
    """Set ``<text>_kk``, ``_ru`` and ``_en`` of ``obj`` from ``texts`` by language, stripped (missing: empty)."""
    for language in TEXT_LANGUAGES:
        setattr(obj, f"{text}_{language}", (texts.get(language) or "").strip())
