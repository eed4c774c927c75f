"""The placeholders a message may use, their check when it is saved, and filling them in for one person.

A placeholder is a name in braces, ``{name}``, with nothing after the name (no ``{name!r}``,
``{name:>9}``, ``{name.attr}``, ``{name[0]}``): filling a text in can never reach anything but the
values given, which are plain strings. A brace itself is written ``{{`` or ``}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from contest.placeholders import placeholders_fill as fill
from contest.placeholders import placeholders_problems

PLACEHOLDERS = ("name", "entry_code", "entry_title", "deadline", "contest")

#: What each placeholder stands for, for the organisers' form.
PLACEHOLDER_HELP: dict[str, Promise] = {
    "name": gettext_lazy("the person's full name"),
    "entry_code": gettext_lazy("the code of their entry; with several entries, every code, separated by commas"),
    "entry_title": gettext_lazy("the title of their entry; with several entries, every title, separated by semicolons"),
    "deadline": gettext_lazy(
        "the submission deadline in the contest's time zone; for jurors, the closing time of the round"
    ),
    "contest": gettext_lazy("the contest's name"),
}


def placeholders_check(text: str) -> list[str]:
    """What is wrong with the placeholders of a message's ``text``, one message each; empty when it is right."""
    return placeholders_problems(
        text, PLACEHOLDERS, gettext_lazy("Unknown placeholder %(placeholder)s. A message can use: %(allowed)s.")
    )


def placeholders_fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders filled in from ``values`` (a text that passed :func:`placeholders_check`)."""
    return fill(text, PLACEHOLDERS, values)
