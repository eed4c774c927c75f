"""A mypy plugin that only lets the Django plugin after it load the settings.

With DEBUG off the settings refuse Baige's public development key, and the type check signs nothing:
it gets a key of its own unless one is given (as pytest-env does for the test run).
"""

import os

from mypy.plugin import Plugin

if "SECRET_KEY_FILE" not in os.environ:
    os.environ.setdefault("SECRET_KEY", "baige-type-check-only-signs-nothing")


def plugin(version: str) -> type[Plugin]:
    """Mypy's entry point: a plugin that changes nothing."""
    return Plugin
