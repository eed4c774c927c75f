"""Certificates written out in bulk: their PDFs and a ``certificates.csv`` listing them, to a folder or a ZIP file."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.core.files.storage import default_storage

from certificates.models import Certificate
from certificates.render import verify_url

#: The columns of ``certificates.csv``: an interface, never renamed.
CSV_COLUMNS = ("code", "kind", "full_name", "email", "entry_code", "award", "language", "url")


def certificate_row(certificate: Certificate) -> list[str]:
    """One line of ``certificates.csv``: the award in the holder's language, the public page's address."""
    details = certificate.details
    award = details.get("award", {}).get(certificate.language, "") if isinstance(details.get("award"), dict) else ""
    return [
        certificate.code,
        certificate.kind,
        certificate.full_name,
        certificate.email,
        str(details.get("entry_code", "")),
        award,
        certificate.language,
        verify_url(certificate.code, certificate.language),
    ]


def certificate_file_name(certificate: Certificate) -> str:
    """The name of a certificate's PDF in a folder or a ZIP: its kind and code."""
    return f"{certificate.kind}-{certificate.code}.pdf"


def certificates_csv(certificates: Iterable[Certificate], out: IO[str]) -> None:
    """Write ``certificates.csv`` (header, then one line per certificate) to ``out``."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for certificate in certificates:
        writer.writerow(certificate_row(certificate))


def certificates_write_folder(certificates: list[Certificate], folder: Path) -> int:
    """Copy each certificate's PDF into ``folder`` with ``certificates.csv``; how many PDFs were written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for certificate in certificates:
        with (
            default_storage.open(certificate.pdf.name or "", "rb") as source,
            (folder / certificate_file_name(certificate)).open("wb") as target,
        ):
            shutil.copyfileobj(source, target)
        written += 1
    with (folder / "certificates.csv").open("w", newline="", encoding="utf-8") as out:
        certificates_csv(certificates, out)
    return written


def certificates_zip(certificates: list[Certificate], target: IO[bytes]) -> None:
    """Write a ZIP of the certificates' PDFs and ``certificates.csv`` to ``target`` (a file), one PDF at a time."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            with (
                default_storage.open(certificate.pdf.name or "", "rb") as source,
                archive.open(certificate_file_name(certificate), "w") as member,
            ):
                shutil.copyfileobj(source, member)
        listing = io.StringIO()
        certificates_csv(certificates, listing)
        archive.writestr("certificates.csv", listing.getvalue())
