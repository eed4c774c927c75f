"""The kk, ru and en catalogues are complete: no empty or fuzzy entry, no string left out."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru", "en"]
SOURCE_FOLDERS = [
    "config",
    "contest",
    "judging",
    "media_pipeline",
    "blog",
    "monitoring",
    "exchange",
    "frontend",
    "api_tokens",
]


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a catalogue, plural forms joined."""
    entries = []
    for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")):
        if block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\s*)+)', block, re.M)
        if not msgid:
            continue
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\s*)+)', block, re.M)
        text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        translations = ["".join(re.findall(r'"(.*)"', s)) for s in strings]
        fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))
        entries.append((text, "" if any(t == "" for t in translations) else translations[0], fuzzy))
    return [e for e in entries if e[0]]


CATALOGUES = [
    *[("locale", domain, language) for domain in ("django", "djangojs") for language in LANGUAGES],
    # Kazakh for the Django strings people meet, which Django's own kk catalogue lacks or words poorly.
    ("locale-django", "django", "kk"),
    # django-allauth ships Russian and English; Baige adds Kazakh.
    ("locale-accounts", "django", "kk"),
]


@pytest.mark.parametrize(("folder", "domain", "language"), CATALOGUES)
def test_catalogue_has_no_empty_or_fuzzy_entry(folder, domain, language):
    po = ROOT / folder / language / "LC_MESSAGES" / f"{domain}.po"
    entries = _entries(po)
    assert entries, f"{po} is empty"
    assert [e[0] for e in entries if not e[1] or e[2]] == []


def test_catalogue_has_every_string_of_the_source(tmp_path):
    """Extract the strings anew from a copy of the source and check each is translated."""
    for folder in SOURCE_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "--no-obsolete", "-v", "0"]
            + [f"--locale={language}" for language in LANGUAGES],
            cwd=tmp_path,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    for language in LANGUAGES:
        for domain in ("django", "djangojs"):
            entries = _entries(tmp_path / "locale" / language / "LC_MESSAGES" / f"{domain}.po")
            missing = [e[0] for e in entries if not e[1] or e[2]]
            assert missing == [], f"{language} {domain}: untranslated strings"
