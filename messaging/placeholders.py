"""The placeholders a message may use, their check when it is saved, and filling them in for one person.

A placeholder is a name in braces, ``{name}``, with nothing after the name (no ``{name!r}``,
``{name:>9}``, ``{name.attr}``, ``{name[0]}``): filling a text in can never reach anything but the
values given, which are plain strings. A brace itself is written ``{{`` or ``}}``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """What is wrong with the placeholders of ``text``, one message each; empty when it is right."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [_("A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}.")]
    problems: list[str] = []
    for _literal, field, spec, conversion in fields:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            shown = "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            message = _("Unknown placeholder %(placeholder)s. A message can use: %(allowed)s.") % {
                "placeholder": shown,
                "allowed": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            }
            if message not in problems:
                problems.append(message)
    return problems


def placeholders_fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders filled in from ``values`` (a text that passed :func:`placeholders_check`).

    Built from the parsed pieces rather than ``str.format``, so even a text that slipped past the check
    reads nothing but ``values``: an unknown name is left as it was written.
    """
    out: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(text):
        out.append(literal)
        if field is None:
            continue
        if field in PLACEHOLDERS and not spec and not conversion:
            out.append(str(values.get(field, "")))
        else:
            out.append("{" + field + "}")
    return "".join(out)
