"""Benchmark: the peak memory of checking a zip bomb disguised as a presentation.

Prints ``BENCH archive_bomb_check_peak_memory <MB> MB ratio=<r> target=150``: the peak resident memory
(VmHWM, MiB) of a fresh process that runs every reader Baige applies to an uploaded presentation on a
1 MB ODP whose ``mimetype`` member inflates to 1 GiB of zeros: type detection (the web process and the
worker), the worker's zip check and the link cutting done before LibreOffice. The target is the value
itself: under 150 MB. The reference, measured in the same run, is the same process checking a normal
ODP of the test corpus; the ratio (bomb / reference) says what the bomb costs on top of a real file.
Before archives were read through bounded streams, detection alone held the whole member: over 2 GB.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_ODP = ROOT.parent / "shared" / "corpus" / "presentations" / "onlyoffice_sample_presentation_ru_converted.odp"
TARGET_MB = 150
GIB = 1024**3
MIB = 1024**2


def write_bomb(path: Path) -> None:
    """A 1 MB ODP whose ``mimetype`` member inflates to 1 GiB, written in pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            chunk = bytes(MIB)
            for _ in range(GIB // MIB):
                member.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")


def check(path: Path, copy: Path) -> None:
    """Run every archive reader on ``path`` in this process and print its peak memory in bytes."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from media_pipeline import office
    from media_pipeline.detect import detect
    from media_pipeline.reasons import ProcessingFailed

    outcomes = []
    with path.open("rb") as stream:
        try:
            outcomes.append(detect(stream).extension)
        except ProcessingFailed as failed:
            outcomes.append(failed.code)
    for reader in (
        lambda: office.check_archive(path),
        lambda: office.cut_outside_links(path, "odp", copy),
    ):
        try:
            reader()
            outcomes.append("ok")
        except ProcessingFailed as failed:
            outcomes.append(failed.code)
    status = Path("/proc/self/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None, "no VmHWM in /proc/self/status"
    print(",".join(outcomes), int(match.group(1)) * 1024)


def measure(path: Path, folder: Path) -> tuple[str, float]:
    """The outcomes and peak memory (MiB) of checking ``path`` in a fresh process."""
    result = subprocess.run(
        [sys.executable, __file__, "--check", str(path), str(folder / "copy.odp")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env={**os.environ, "BAIGE_DATA_DIR": str(folder)},
    )
    outcomes, peak = result.stdout.split()[-2:]
    return outcomes, int(peak) / MIB


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="baige-bench-archive-") as tmp:
        folder = Path(tmp)
        bomb = folder / "bomb.odp"
        write_bomb(bomb)
        reference_outcomes, reference = measure(CORPUS_ODP, folder)
        assert reference_outcomes == "odp,ok,ok", reference_outcomes
        outcomes, peak = measure(bomb, folder)
        assert outcomes == "archive_too_big,archive_too_big,archive_too_big", outcomes
    print(f"BENCH archive_bomb_check_peak_memory {peak:.1f} MB ratio={peak / reference:.2f} target={TARGET_MB}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
