"""Benchmark: issuing 500 participation certificates, against WeasyPrint alone rendering the same 500 PDFs.

Prints ``BENCH certificates_500 <seconds> s ratio=<r> target=1.3`` and the seconds per certificate as
``BENCH certificates_500_each <seconds> s ratio=<r> target=1.3``.

The contest lives in a PostgreSQL database made for the run and dropped after it: 500 submitted
entries by authors writing in Kazakh, Russian and English, one closed round whose results are
published, every entry scored. The measure is :func:`certificates.services.certificates_issue` as the
worker runs it: who is due what, one transaction per certificate with its row lock, the HTML, the QR
code, the PDF and its storage. The reference, in the same run, is WeasyPrint alone turning the same
500 HTML documents (made beforehand, not timed) into PDFs with the same stylesheet and fonts, so the
ratio is what Baige adds to the rendering itself. Every issued PDF must hold its holder's name, or the
run fails.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from _server import run_with_django

CERTIFICATES = 500
TARGET_RATIO = 1.3
NAMES = ["Әйгерім Құдайбергенқызы", "Нұрлан Өтегенұлы", "Aigerim Seitkali", "Данияр Қасымов", "Гүлнұр Әбдіғали"]
LANGUAGES = ["kk", "ru", "en"]


def main() -> None:
    run_with_django("baige_bench_certificates", lambda _folder: measure())


def measure() -> None:
    from weasyprint import HTML

    from certificates.codes import new_code
    from certificates.enums import CertificateKind
    from certificates.holders import certificates_due
    from certificates.models import Certificate
    from certificates.render import certificate_html, design_load, pdf_render, stylesheet
    from certificates.services import certificate_values, certificates_issue

    started = time.perf_counter()
    contest = set_up()
    print(f"# certificates: set up {CERTIFICATES} entries in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    design = design_load(contest)
    from django.utils import timezone

    now = timezone.now()
    htmls = []
    for due in certificates_due(contest, CertificateKind.PARTICIPANT):
        code = new_code()
        values = certificate_values(due, code=code, issued_at=now, zone=contest.tzinfo)
        htmls.append(certificate_html(design, kind=due.kind, language=due.language, values=values, code=code))
    assert len(htmls) == CERTIFICATES, len(htmls)
    # Both sides start warm: fonts found, stylesheet parsed.
    pdf_render(htmls[0])
    css, fonts = stylesheet()

    started = time.perf_counter()
    for html in htmls:
        HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    reference = time.perf_counter() - started

    started = time.perf_counter()
    report = certificates_issue(actor=None, contest=contest, kind=CertificateKind.PARTICIPANT)
    value = time.perf_counter() - started
    if report.issued != CERTIFICATES:
        raise SystemExit(f"{report.issued} certificates issued, expected {CERTIFICATES}")
    check(Certificate.objects.filter(contest=contest).order_by("pk")[:5])

    ratio = value / reference
    print(f"# certificates: Baige {value:.1f} s, WeasyPrint alone {reference:.1f} s", file=sys.stderr)
    print(f"BENCH certificates_500 {value:.1f} s ratio={ratio:.2f} target={TARGET_RATIO:g}")
    print(f"BENCH certificates_500_each {value / CERTIFICATES:.3f} s ratio={ratio:.2f} target={TARGET_RATIO:g}")


def set_up() -> Any:
    """A contest with 500 submitted, scored entries and published results."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from contest.enums import EntryStatus
    from contest.models import Contest, Entry, Nomination, ParticipantProfile
    from judging.enums import ReviewStatus, RoundStatus
    from judging.models import Juror, Results, Review, Round, RoundEntry

    call_command("migrate", "--noinput", verbosity=0)
    now = timezone.now()
    contest = Contest.objects.create(
        slug="bench-certificates",
        name="Ең тиімді цифрлық платформа",
        name_kk="Ең тиімді цифрлық платформа",
        name_ru="Самая эффективная цифровая платформа",
        name_en="The most effective digital platform",
        submissions_open=now - timedelta(days=60),
        submissions_close=now - timedelta(days=30),
    )
    nomination = Nomination.objects.create(
        contest=contest,
        slug="lesson",
        name="Үздік сабақ",
        name_kk="Үздік сабақ",
        name_ru="Лучший урок",
        name_en="Best lesson",
    )
    User = get_user_model()
    authors = User.objects.bulk_create(
        User(username=f"author{n}", email=f"author{n}@example.org") for n in range(CERTIFICATES)
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            user=author, full_name=NAMES[n % len(NAMES)], preferred_language=LANGUAGES[n % len(LANGUAGES)]
        )
        for n, author in enumerate(authors)
    )
    entries = Entry.objects.bulk_create(
        Entry(
            contest=contest,
            author=author,
            code=f"C{n:05d}",
            title=f"Бөлшектер Wordwall арқылы {n}",
            nomination=nomination,
            status=EntryStatus.SUBMITTED,
            submitted_at=now - timedelta(days=31),
        )
        for n, author in enumerate(authors)
    )
    juror_user = User.objects.create(username="juror", email="juror@example.org")
    juror = Juror.objects.create(contest=contest, user=juror_user)
    round = Round.objects.create(
        contest=contest, number=1, name="Round 1", status=RoundStatus.CLOSED, closed_at=now - timedelta(days=2)
    )
    RoundEntry.objects.bulk_create(RoundEntry(round=round, entry=entry) for entry in entries)
    Review.objects.bulk_create(
        Review(round=round, juror=juror, entry=entry, status=ReviewStatus.SUBMITTED, submitted_at=now)
        for entry in entries
    )
    Results.objects.create(round=round, content_hash="0" * 64, finalised_at=now, published_at=now)
    return contest


def check(certificates: Any) -> None:
    """The first issued PDFs hold their holders' names, letter for letter."""
    from django.core.files.storage import default_storage

    for certificate in certificates:
        with default_storage.open(certificate.pdf.name, "rb") as stored:
            text = subprocess.run(["pdftotext", "-", "-"], input=stored.read(), capture_output=True, check=True).stdout
        if certificate.full_name not in text.decode():
            raise SystemExit(f"{certificate.code}: the PDF does not spell {certificate.full_name!r}")


if __name__ == "__main__":
    main()
