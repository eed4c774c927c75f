"""Every table that scrolls sideways is a region keyboard users reach with Tab and screen readers name."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"
SCROLLING = re.compile(r'<div class="overflow-auto"[^>]*>')


def scroll_wrappers() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(TEMPLATES)), tag)
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in SCROLLING.findall(path.read_text(encoding="utf-8"))
    ]


def test_scroll_wrappers_are_found():
    assert len(scroll_wrappers()) >= 30


@pytest.mark.parametrize(("template", "tag"), scroll_wrappers())
def test_scroll_wrapper_is_a_named_keyboard_region(template, tag):
    assert 'tabindex="0"' in tag
    assert 'role="region"' in tag
    assert "aria-label=" in tag or "aria-labelledby=" in tag
