"""Benchmark: the peak memory of writing a ZIP of entries' files, as it grows with the number and size of files.

Generates stored files in a data folder of its own (many small ones, like page images, and a few large
ones, like videos), then writes their ZIP with the worker's own code (``exchange.entry_files``: each
file read from Django's storage a chunk at a time into a ``ZIP_STORED`` archive, then ``index.csv``) in
a fresh process, and reads that process's peak resident memory (VmHWM). Run once with 1x the data and
once with 4x (four times as many small files, large files four times as big). Prints:

- ``BENCH entry_files_zip_memory_growth <MB> MB ratio=<4x/1x> target=1.2``: memory stays flat in the
  number and size of files (the value is the peak with 4x the data);
- ``BENCH entry_files_zip_memory_vs_stdlib <MB> MB ratio=<ours/stdlib> target=1.2``: the reference is the
  same fresh process (Django set up alike) zipping the same 4x files with the standard library's
  ``ZipFile.write`` in the same run.
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
TARGET = 1.2
MIB = 1024**2
#: 1x the data: SMALL files of SMALL_SIZE bytes and LARGE files of LARGE_SIZE bytes.
SMALL, SMALL_SIZE = 100, 100 * 1024
LARGE, LARGE_SIZE = 2, 24 * MIB


def write_files(media: Path, scale: int) -> list[tuple[str, int]]:
    """Stored files under ``media`` for ``scale`` x the data: their storage names and sizes."""
    folder = media / f"bench-{scale}x"
    folder.mkdir(parents=True, exist_ok=True)
    block = os.urandom(MIB)
    names = []
    for index in range(SMALL * scale):
        path = folder / f"small-{index:05d}.jpg"
        path.write_bytes(block[:SMALL_SIZE])
        names.append((str(path.relative_to(media)), SMALL_SIZE))
    for index in range(LARGE):
        path = folder / f"large-{index}.mp4"
        with path.open("wb") as out:
            for _ in range(LARGE_SIZE * scale // MIB):
                out.write(block)
        names.append((str(path.relative_to(media)), LARGE_SIZE * scale))
    return names


def peak_bytes() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None, "no VmHWM in /proc/self/status"
    return int(match.group(1)) * 1024


def run(how: str, listing: Path, target: Path) -> None:
    """Zip the files named in ``listing`` into ``target`` the way ``how`` says, then print the peak memory."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from exchange.entry_files import Member, Plan, files_archive_write

    stored = [(name, int(size)) for name, size in (line.rsplit(" ", 1) for line in listing.read_text().splitlines())]
    if how == "baige":
        plan = Plan(
            entries=[[f"E{index:05d}", "title", "author", "", "", "", "submitted"] for index in range(len(stored))],
            members=[
                Member(entry=index, name=f"E{index:05d}{Path(name).suffix}", stored=name, size=size)
                for index, (name, size) in enumerate(stored)
            ],
        )
        with target.open("wb") as out:
            copied = files_archive_write(plan, out)
        assert len(copied) == len(stored), "some files were not copied"
    else:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for index, (name, _size) in enumerate(stored):
                archive.write(Path(settings.MEDIA_ROOT) / name, f"E{index:05d}{Path(name).suffix}")
    print(peak_bytes())


def measure(how: str, names: list[tuple[str, int]], folder: Path) -> float:
    """The peak memory (MiB) of a fresh process zipping ``names`` the way ``how`` says."""
    listing = folder / "listing.txt"
    listing.write_text("".join(f"{name} {size}\n" for name, size in names))
    target = folder / f"{how}.zip"
    result = subprocess.run(
        [sys.executable, __file__, "--run", how, str(listing), str(target)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1200,
        env={**os.environ, "BAIGE_DATA_DIR": str(folder)},
    )
    with zipfile.ZipFile(target) as written:
        assert len([name for name in written.namelist() if name != "index.csv"]) == len(names)
    target.unlink()
    return int(result.stdout.split()[-1]) / MIB


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="baige-bench-files-zip-") as tmp:
        folder = Path(tmp)
        media = folder / "media"
        one = write_files(media, 1)
        four = write_files(media, 4)
        peak_one = measure("baige", one, folder)
        peak_four = measure("baige", four, folder)
        stdlib_four = measure("stdlib", four, folder)
    print(f"BENCH entry_files_zip_memory_growth {peak_four:.1f} MB ratio={peak_four / peak_one:.2f} target={TARGET}")
    print(
        f"BENCH entry_files_zip_memory_vs_stdlib {peak_four:.1f} MB ratio={peak_four / stdlib_four:.2f} target={TARGET}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--run":
        run(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
