"""What a Kazakh page may say: the words of the Kazakh catalogues and of the contest's own data in Kazakh.

A Cyrillic word on a Kazakh page that is neither in a Kazakh catalogue's translations nor in the text
organisers and participants wrote is a string that came out in Russian (or a Kazakh string that no
catalogue holds, which is as wrong). The checks of the pages and of the e-mails share these helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import trans_real
from modeltranslation.translator import NotRegistered, translator

ROOT = Path(__file__).resolve().parent.parent.parent
DJANGO = Path(django.__file__).parent
WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+")
#: Baige's Kazakh catalogues, and Django's own Kazakh for the names of months and days it formats dates with.
KAZAKH_CATALOGUES = (
    ROOT / "locale/kk/LC_MESSAGES/django.po",
    ROOT / "locale/kk/LC_MESSAGES/djangojs.po",
    ROOT / "locale-django/kk/LC_MESSAGES/django.po",
    ROOT / "locale-accounts/kk/LC_MESSAGES/django.po",
    DJANGO / "conf/locale/kk/LC_MESSAGES/django.po",
)
#: The apps whose rows hold text people wrote (contests, entries, reviews, posts, files' reasons).
DATA_APPS = ("contest", "media_pipeline", "blog", "judging", "api_tokens")


def catalogue_words(po: Path) -> set[str]:
    """The words of a catalogue's translations (``msgstr`` lines and their continuations), in lower case."""
    words: set[str] = set()
    in_translation = False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            in_translation = True
        elif not line.startswith('"'):
            in_translation = False
        if in_translation:
            words.update(word.lower() for word in WORD.findall(line))
    return words


@cache
def kazakh_catalogue_words() -> frozenset[str]:
    """Every word the Kazakh catalogues translate into, and the names of the languages (each in itself)."""
    words: set[str] = set()
    for po in KAZAKH_CATALOGUES:
        words |= catalogue_words(po)
    words |= {word.lower() for _, name in settings.LANGUAGES for word in WORD.findall(name)}
    return frozenset(words)


def _strings(value: Any) -> Iterator[str]:
    """The strings inside a column's value; a ``{"kk": …, "ru": …}`` text gives its Kazakh only."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("ru", "en"):
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _kazakh_columns(model: type[models.Model]) -> tuple[list[str], list[tuple[str, ...]]]:
    """A model's text columns: plain ones, and for each translated field the columns a Kazakh page reads in turn."""
    try:
        translated = list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        translated = []
    skip = {name for field in translated for name in (field, *(f"{field}_{code}" for code, _ in settings.LANGUAGES))}
    plain = [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField) and field.attname not in skip
    ]
    chains = [
        tuple(f"{field}_{code}" for code in ("kk", *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["kk"]))
        for field in translated
    ]
    return plain, chains


def data_words() -> set[str]:
    """The words of what organisers and participants wrote, as a Kazakh page shows it.

    A translated text (a contest's name, a criterion) counts in Kazakh, or in the language a Kazakh page
    falls back to when its Kazakh is empty; a text written once (an entry's title, a juror's feedback)
    counts as written, in whatever language its writer chose.
    """
    words: set[str] = set()
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            plain, chains = _kazakh_columns(model)
            for row in model.objects.values(*plain, *(name for chain in chains for name in chain)):
                values: list[Any] = [row[name] for name in plain]
                values += [next((row[name] for name in chain if row[name]), "") for chain in chains]
                for text in _strings(values):
                    words.update(word.lower() for word in WORD.findall(text))
    return words


class PageText(HTMLParser):
    """The Kazakh text a person reads: element text and the attributes shown or spoken, not scripts or styles.

    A part marked in another language (``lang="ru"``: an organiser's Russian text beside its Kazakh) is not
    Kazakh text, and is left out.
    """

    SHOWN = ("placeholder", "title", "aria-label", "alt", "value", "content")
    VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        #: The open elements that say their language, innermost last.
        self.languages: list[tuple[str, str]] = []

    def _kazakh(self) -> bool:
        return not self.languages or self.languages[-1][1].startswith("kk")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        language = at.get("lang")
        if language is not None and tag not in self.VOID:
            self.languages.append((tag, language))
        # A hidden input's value is for the server (a token, an id), never read.
        if (tag == "input" and at.get("type") == "hidden") or not self._kazakh():
            return
        if language is None or language.startswith("kk"):
            self.parts += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1
        if any(open_tag == tag for open_tag, _ in self.languages):
            while self.languages and self.languages.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.hidden and self._kazakh():
            self.parts.append(data)


def page_text(html: str) -> str:
    """The text of an HTML page (or of an XML feed) a person reads, on one line."""
    parser = PageText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


#: What splits a translation into the runs of words a page shows unchanged: placeholders and line breaks.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|\n")


@cache
def russian_phrases() -> dict[str, tuple[str, ...]]:
    """Runs of three words or more of the Russian strings Baige can show that no Kazakh string has, by first word.

    A check of single words lets through a Russian word that some organiser or participant also wrote;
    a whole run of a Russian string on a Kazakh page is a string that came out in Russian.
    """
    kazakh = " ".join(" ".join(str(value).split()) for _, value in trans_real.translation("kk")._catalog.items())
    by_word: dict[str, set[str]] = {}
    for key, value in trans_real.translation("ru")._catalog.items():
        for fragment in PLACEHOLDER.split(str(value)) if key else ():
            run = " ".join(fragment.split())
            words = WORD.findall(run)
            if len(words) >= 3 and run not in kazakh:
                by_word.setdefault(words[0].lower(), set()).add(run)
    return {word: tuple(sorted(runs)) for word, runs in by_word.items()}


def russian_phrases_in(text: str) -> list[str]:
    """The runs of Russian strings (see :func:`russian_phrases`) that ``text`` holds, sorted."""
    phrases = russian_phrases()
    words = {word.lower() for word in WORD.findall(text)}
    return sorted({run for word in words for run in phrases.get(word, ()) if run in text})


def unknown_words(text: str, allowed: Iterable[str]) -> list[str]:
    """The Cyrillic words of ``text`` that are in no Kazakh catalogue and in none of ``allowed``, sorted."""
    known = kazakh_catalogue_words()
    allowed = set(allowed)
    return sorted({word for word in WORD.findall(text) if word.lower() not in known and word.lower() not in allowed})
