"""Asking the operator yes or no at the terminal, for the judging commands that need a confirmation."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _


def may_ask(options: Mapping[str, Any]) -> bool:
    """Whether the command may ask: not run with ``--no-input``, and someone is at the terminal."""
    return bool(options["interactive"]) and sys.stdin.isatty()


def answer_yes(question: str) -> bool:
    """Ask ``question`` (it ends with ``[y/N]``); whether the answer is yes, in English or the active language."""
    answer = input(question)
    return answer.strip().lower() in {"y", "yes", _("y"), _("yes")}
