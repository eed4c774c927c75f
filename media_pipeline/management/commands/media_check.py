"""``manage.py media_check FILE [FILE ...]``: run the processing core on local files and report as JSON lines."""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from media_pipeline.detect import detect
from media_pipeline.enums import MediaKind, RenditionKind
from media_pipeline.processing import Limits, Output, ProcessingFailed, inspect_file, process_file
from media_pipeline.reasons import reason_text

SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
#: Characters of a failure's technical detail printed.
DETAIL_CHARS = 1000


def parse_size(text: str) -> int:
    """Bytes from ``2147483648``, ``500M``, ``2G`` or ``2GiB``."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*", text.upper())
    if match is None:
        raise ValueError(f"not a size: {text!r}")
    return int(match.group(1)) * SIZE_UNITS[match.group(2)]


class Command(BaseCommand):
    help = (
        "Check media files as the pipeline would: inspect and process each one into a temporary folder and print "
        "one JSON object per file and line (file, kind, status, reason, reason_code, outputs, seconds). "
        "Exits with 1 when any file failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Local files to check.")
        parser.add_argument("--contest", help="Use this contest's limits (its slug) instead of the defaults.")
        parser.add_argument("--max-size", type=parse_size, help="Largest file, in bytes or with K/M/G (e.g. 2G).")
        parser.add_argument("--max-duration", type=int, help="Longest video, in seconds.")
        parser.add_argument("--max-pages", type=int, help="Most slides or pages.")
        parser.add_argument("--keep", type=Path, help="Keep the outputs in this folder (one subfolder per file).")
        parser.add_argument("--language", default="en", help="Language of the reasons (en, kk, ru).")

    def handle(self, *args: Any, **options: Any) -> None:
        limits = self.limits(options)
        failed = 0
        with translation.override(options["language"]):
            for number, name in enumerate(options["files"], start=1):
                keep = options["keep"] / f"{number:03d}-{Path(name).name}" if options["keep"] else None
                record = check_file(name, limits=limits, keep=keep)
                failed += record["status"] != "ready"
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                self.stdout.flush()
        if failed:
            sys.exit(1)

    @staticmethod
    def limits(options: dict[str, Any]) -> Limits:
        """The contest's limits or the defaults, with any limit given on the command line instead."""
        if options["contest"]:
            from contest.models import Contest

            contest = Contest.objects.filter(slug=options["contest"]).first()
            if contest is None:
                raise CommandError(f"There is no contest “{options['contest']}”.")
            limits = Limits.of_contest(contest)
        else:
            limits = Limits.defaults()
        return Limits(
            max_size=options["max_size"] if options["max_size"] is not None else limits.max_size,
            max_duration=options["max_duration"] if options["max_duration"] is not None else limits.max_duration,
            max_pages=options["max_pages"] if options["max_pages"] is not None else limits.max_pages,
        )


def check_file(name: str, *, limits: Limits, keep: Path | None = None) -> dict[str, Any]:
    """Inspect and process one file; whatever happens, a JSON-ready record of the outcome."""
    path = Path(name)
    record: dict[str, Any] = {
        "file": name,
        "kind": _kind_of(path),
        "status": "failed",
        "reason": "",
        "reason_code": "",
        "outputs": [],
        "seconds": {},
    }
    seconds: dict[str, float] = record["seconds"]
    started = time.monotonic()
    with TemporaryDirectory(prefix="media-check-") as tmp:
        try:
            try:
                inspection = inspect_file(path, limits=limits)
            finally:
                seconds["inspect"] = round(time.monotonic() - started, 3)
            record["kind"] = str(inspection.kind)
            for key in ("duration", "width", "height", "pages"):
                if getattr(inspection, key) is not None:
                    record[key] = getattr(inspection, key)
            result = process_file(path, inspection, Path(tmp), limits=limits)
            seconds.update({step: round(value, 3) for step, value in result.seconds.items()})
            record["outputs"] = [_describe(output, result.pages) for output in result.outputs]
            if result.pages is not None:
                record["pages"] = result.pages
            record["status"] = "ready"
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                for output in result.outputs:
                    shutil.copyfile(output.path, keep / output.path.name)
        except ProcessingFailed as failed:
            record.update(reason_code=failed.code, reason=failed.message, detail=failed.detail[-DETAIL_CHARS:])
        except Exception as error:  # noqa: BLE001 - one file's trouble must not stop the others
            detail = f"{type(error).__name__}: {error}"
            record.update(reason_code="internal", reason=reason_text("internal"), detail=detail[-DETAIL_CHARS:])
    seconds["total"] = round(time.monotonic() - started, 3)
    return record


def _kind_of(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            return str(detect(stream).kind)
    except Exception:  # noqa: BLE001 - a missing or unreadable file is reported by inspect_file
        return str(MediaKind.UNKNOWN)


def _describe(output: Output, pages: int | None) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": output.name,
        "bytes": output.path.stat().st_size,
        "width": output.width,
        "height": output.height,
    }
    if output.kind == RenditionKind.VIDEO:
        described["duration"] = output.duration
    elif output.kind == RenditionKind.PDF:
        described["pages"] = pages
    elif output.page is not None:
        described["page"] = output.page
    return described
