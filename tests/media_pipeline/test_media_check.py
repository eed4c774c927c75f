"""``manage.py media_check``: the real command on corpus files, a broken one and a missing one."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from media_pipeline.management.commands.media_check import parse_size

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"


def corpus_file(relative: str) -> str:
    path = CORPUS / relative
    assert path.is_file(), f"the test corpus must sit beside the repository: {path}"
    return str(path)


def media_check(*args: str) -> tuple[int, list[dict]]:
    completed = subprocess.run(
        [sys.executable, "manage.py", "media_check", *args],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.stderr == ""
    return completed.returncode, [json.loads(line) for line in completed.stdout.splitlines()]


def test_media_check_reports_each_file_on_one_line(tmp_path):
    video = corpus_file("videos/phpffmpeg_portrait_iphone_rotate90.mov")
    deck = corpus_file("presentations/python_pptx_tbl_cell.pptx")
    broken = corpus_file("videos/streamio_broken_truncated.mp4")
    missing = str(tmp_path / "nothing.mp4")
    code, records = media_check(video, deck, broken, missing)
    assert code == 1
    assert [(r["file"], r["kind"], r["status"], r["reason_code"]) for r in records] == [
        (video, "video", "ready", ""),
        (deck, "presentation", "ready", ""),
        (broken, "video", "failed", "unreadable_video"),
        (missing, "unknown", "failed", "missing"),
    ]
    ready_video, ready_deck, failed, gone = records
    assert [(o["name"], o["width"], o["height"], o.get("duration") is not None) for o in ready_video["outputs"]] == [
        ("video-720", 320, 568, True),
        ("video-360", 320, 568, True),
        ("poster", 320, 568, False),
        ("strip", 400, 90, False),
    ]
    assert all(o["bytes"] > 0 for o in ready_video["outputs"] + ready_deck["outputs"])
    assert set(ready_video["seconds"]) == {"inspect", "transcode-720", "transcode-360", "poster", "strip", "total"}
    assert (ready_video["width"], ready_video["height"]) == (320, 568)
    assert [(o["name"], o.get("pages"), o.get("page")) for o in ready_deck["outputs"]] == [
        ("pdf", 3, None),
        ("cover", None, None),
        ("page-0001", None, 1),
        ("page-0002", None, 2),
        ("page-0003", None, 3),
    ]
    assert ready_deck["pages"] == 3
    assert failed["reason"].startswith("The video could not be read")
    assert "moov atom not found" in failed["detail"]
    assert gone["reason"] == "The file was not found. Upload it again."
    assert (failed["outputs"], gone["outputs"]) == ([], [])


def test_media_check_exits_0_when_all_ready():
    code, records = media_check(corpus_file("pdf/unstructured_fake_memo.pdf"))
    assert (code, [r["status"] for r in records]) == (0, ["ready"])
    assert [o["name"] for o in records[0]["outputs"]] == ["cover", "page-0001"]


def test_media_check_limits_from_flags():
    video = corpus_file("videos/phpffmpeg_portrait_iphone_rotate90.mov")
    deck = corpus_file("pdf/onlyoffice_sample_form.pdf")
    code, records = media_check(video, deck, "--max-duration", "1", "--max-pages", "5", "--max-size", "2G")
    assert code == 1
    assert [(r["reason_code"], r["reason"]) for r in records] == [
        ("too_long", "The video is 2 s long; this contest accepts videos up to 1 s. Shorten it."),
        ("too_many_pages", "The presentation has 6 slides or pages; this contest accepts up to 5. Shorten it."),
    ]
    code, records = media_check(video, "--max-size", "100K")
    assert (code, records[0]["reason_code"]) == (1, "too_large")


def test_media_check_limits_of_a_contest(contest):
    contest.max_pages = 1
    contest.save(update_fields=["max_pages"])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("media_check", corpus_file("pdf/onlyoffice_sample_form.pdf"), contest=contest.slug, stdout=out)
    assert exit_.value.code == 1
    record = json.loads(out.getvalue())
    assert (record["status"], record["reason_code"]) == ("failed", "too_many_pages")


def test_media_check_keeps_outputs_when_asked(tmp_path):
    code, _records = media_check(corpus_file("pdf/unstructured_fake_memo.pdf"), "--keep", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "001-unstructured_fake_memo.pdf").iterdir()) == [
        "cover.jpg",
        "page-0001.jpg",
    ]


def test_parse_size():
    assert [parse_size(text) for text in ("1000", "500M", "2G", "2GiB", "100k")] == [
        1000,
        500 * 1024**2,
        2 * 1024**3,
        2 * 1024**3,
        100 * 1024,
    ]
