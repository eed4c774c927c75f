"""``manage.py certificates --contest SLUG [--kind KIND] -o DIR``: issue what is missing, write every PDF and a list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certificates.archive import certificates_write_folder
from certificates.enums import CertificateKind
from certificates.selectors import certificates_current
from certificates.services import certificates_issue
from config.exceptions import BaigeError
from contest.models import Contest


class Command(BaseCommand):
    help = (
        "Issue a contest's missing certificates, then write every certificate that counts (neither replaced "
        "nor revoked) as a PDF into a folder, with certificates.csv listing them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contest", required=True, help="The contest's slug.")
        parser.add_argument("--kind", choices=CertificateKind.values, default="", help="Only this kind.")
        parser.add_argument("-o", "--output", required=True, help="The folder to write into (made if missing).")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(f"No contest with the slug {options['contest']!r}.")
        try:
            report = certificates_issue(actor=None, contest=contest, kind=options["kind"])
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        certificates = list(certificates_current(contest, kind=options["kind"]))
        written = certificates_write_folder(certificates, Path(options["output"]))
        self.stdout.write(
            f"Issued {report.issued}, revoked {report.revoked}; wrote {written} certificates "
            f"and certificates.csv to {options['output']}."
        )
