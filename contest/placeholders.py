"""Placeholders in the texts organisers write (certificates, messages): their check, and filling them in.

A placeholder is a name in braces, ``{name}``, with nothing after the name (no ``{name!r}``,
``{name:>9}``, ``{name.attr}``, ``{name[0]}``): filling a text in can never reach anything but the
values given. A brace itself is written ``{{`` or ``}}``. Each kind of text says which names it takes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext as _


def _shown(field: str, spec: str | None, conversion: str | None) -> str:
    return "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"


def placeholders_problems(text: str, allowed: Sequence[str], unknown: str | Promise) -> list[str]:
    """What is wrong with the placeholders of ``text``, one message each; empty when it is right.

    ``unknown`` is the kind's message for a name it does not take, with ``%(placeholder)s`` and ``%(allowed)s``.
    """
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [_("A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}.")]
    problems: list[str] = []
    for _literal, field, spec, conversion in fields:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            message = str(unknown) % {
                "placeholder": _shown(field, spec, conversion),
                "allowed": ", ".join("{" + name + "}" for name in allowed),
            }
            if message not in problems:
                problems.append(message)
    return problems


def placeholders_fill(text: str, allowed: Sequence[str], values: Mapping[str, str]) -> str:
    """``text`` with its allowed placeholders filled in from ``values``.

    Built from the parsed pieces rather than ``str.format``, so even a text that slipped past the check
    reads nothing but ``values``: an unknown name is left as it was written.
    """
    out: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(text):
        out.append(literal)
        if field is None:
            continue
        if field in allowed and not spec and not conversion:
            out.append(str(values.get(field, "")))
        else:
            out.append("{" + field + "}")
    return "".join(out)
