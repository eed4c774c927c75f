"""The kk, ru and en catalogues are complete: no empty or fuzzy entry, no string left out."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru", "en"]
SOURCE_FOLDERS = ["config", "contest", "judging", "media_pipeline", "blog", "frontend"]


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


@pytest.mark.parametrize("folder", ["locale", "locale-accounts"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_empty_or_fuzzy_entry(folder, language):
    po = ROOT / folder / language / "LC_MESSAGES" / "django.po"
    if folder == "locale-accounts" and language != "kk":
        assert not po.exists() or _entries(po)
        return
    entries = _entries(po)
    assert entries, f"{po} is empty"
    assert [e[0] for e in entries if not e[1] or e[2]] == []


def test_catalogue_has_every_string_of_the_source(tmp_path):
    """Extract the strings anew from a copy of the source and check each is translated."""
    for folder in SOURCE_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "-v",
            "0",
            *sum((["-l", x] for x in LANGUAGES), []),
        ],
        cwd=tmp_path,
        check=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    for language in LANGUAGES:
        entries = _entries(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        missing = [e[0] for e in entries if not e[1] or e[2]]
        assert missing == [], f"{language}: untranslated strings"
