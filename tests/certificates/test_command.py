"""``manage.py certificates``: issue what is missing, then write the PDFs and certificates.csv."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from certificates.enums import CertificateKind
from certificates.models import Certificate
from tests.certificates import KAZAKH_NAME, finalised_contest, published_contest


def test_certificates_command_writes_pdfs_and_the_list(contest, tmp_path):
    scenario = published_contest(contest)
    tmp_path = tmp_path / "out"
    out = io.StringIO()

    call_command("certificates", "--contest", contest.slug, "--kind", "winner", "-o", str(tmp_path), stdout=out)

    diplomas = {c.code: c for c in Certificate.objects.filter(kind=CertificateKind.WINNER)}
    assert len(diplomas) == 5
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == sorted(["certificates.csv", *(f"winner-{code}.pdf" for code in diplomas)])
    assert all((tmp_path / f"winner-{code}.pdf").read_bytes().startswith(b"%PDF") for code in diplomas)
    with (tmp_path / "certificates.csv").open(encoding="utf-8") as listing:
        rows = list(csv.reader(listing))
    assert rows[0] == ["code", "kind", "full_name", "email", "entry_code", "award", "language", "url"]
    kazakh = next(row for row in rows[1:] if row[2] == KAZAKH_NAME)
    code = kazakh[0]
    assert kazakh == [
        code,
        "winner",
        KAZAKH_NAME,
        scenario.finalised.gold.author.email,
        scenario.finalised.gold.code,
        "«Дизайн (kk)» номинациясындағы 1-орын",
        "kk",
        f"http://127.0.0.1:8000/kk/verify/{code}/",
    ]
    assert out.getvalue().startswith("Issued 5, revoked 0; wrote 5 certificates")


def test_certificates_command_again_writes_the_same_without_issuing(contest, tmp_path):
    published_contest(contest)
    call_command(
        "certificates", "--contest", contest.slug, "--kind", "juror", "-o", str(tmp_path / "a"), stdout=io.StringIO()
    )
    out = io.StringIO()

    call_command("certificates", "--contest", contest.slug, "--kind", "juror", "-o", str(tmp_path / "b"), stdout=out)

    assert Certificate.objects.count() == 1
    assert out.getvalue().startswith("Issued 0, revoked 0; wrote 1 certificates")


def test_certificates_command_refuses_before_publication(contest, tmp_path):
    finalised_contest(contest)

    with pytest.raises(CommandError, match="once the contest's results are published"):
        call_command("certificates", "--contest", contest.slug, "-o", str(tmp_path))

    assert Certificate.objects.count() == 0


def test_certificates_command_refuses_an_unknown_contest(db, tmp_path):
    with pytest.raises(CommandError, match="No contest with the slug 'nope'"):
        call_command("certificates", "--contest", "nope", "-o", str(tmp_path))
