"""Issuing certificates: who gets what, in which language, idempotently; reissue after an award change; revoking."""

from __future__ import annotations

import math
import re
import subprocess

import pytest
from django.core.files.storage import default_storage

from certificates.codes import ALPHABET, ENTROPY_BITS, LENGTH, code_normalise, new_code
from certificates.enums import CertificateKind
from certificates.models import Certificate, IssueRun
from certificates.services import (
    certificate_reissue,
    certificate_revoke,
    certificates_issue,
    issue_run_start,
)
from config.exceptions import BaigeError, NotAllowed
from judging.services.results import award_change
from tests.certificates import KAZAKH_NAME, finalised_contest, published_contest


def pdf_text(certificate: Certificate) -> str:
    with default_storage.open(certificate.pdf.name, "rb") as stored:
        data = stored.read()
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def current(contest, **filters):  # type: ignore[no-untyped-def]
    return Certificate.objects.filter(contest=contest, replaced_at__isnull=True, revoked_at__isnull=True, **filters)


# --- Codes ----------------------------------------------------------------------------------------


def test_code_has_at_least_50_random_bits_of_an_unambiguous_alphabet():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert LENGTH == 12 and len(ALPHABET) == 30 and len(set(ALPHABET)) == 30
    assert pytest.approx(12 * math.log2(30)) == ENTROPY_BITS and ENTROPY_BITS > 50
    assert not set("0O1ILU") & set(ALPHABET)
    assert all(re.fullmatch(f"[{ALPHABET}]{{12}}", code) for code in codes)
    # Every character of the alphabet turns up.
    assert set("".join(codes)) == set(ALPHABET)


def test_code_normalise_takes_any_case_and_spaces():
    assert code_normalise(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"


# --- Who gets what --------------------------------------------------------------------------------


def test_certificates_issue_gives_each_holder_their_certificates_in_their_language(contest):
    scenario = published_contest(contest)
    finalised = scenario.finalised

    report = certificates_issue(actor=None, contest=contest)

    assert (report.issued, report.revoked) == (14, 0)
    rows = sorted(
        (c.kind, c.full_name, c.language, c.entry.code if c.entry else "")
        for c in Certificate.objects.filter(contest=contest).select_related("entry")
    )
    gold, silver, special, loser = (
        finalised.gold.code,
        finalised.silver.code,
        finalised.special.code,
        finalised.loser.code,
    )
    assert rows == sorted(
        [
            ("winner", KAZAKH_NAME, "kk", gold),
            ("winner", "Co-author 0", "kk", gold),
            ("winner", "Dana Co", "ru", gold),
            ("winner", "Daulet Nurlanov", "en", silver),
            ("winner", "Saule Abenova", "ru", special),
            ("finalist", "Yerlan Tokayev", "kk", loser),
            ("participant", KAZAKH_NAME, "kk", gold),
            ("participant", "Co-author 0", "kk", gold),
            ("participant", "Dana Co", "ru", gold),
            ("participant", "Daulet Nurlanov", "en", silver),
            ("participant", "Saule Abenova", "ru", special),
            ("participant", "Yerlan Tokayev", "kk", loser),
            ("participant", scenario.screened.author.profile.full_name, "en", scenario.screened.code),
            ("juror", "Juror One", "en", ""),
        ]
    )
    letter = Certificate.objects.get(contest=contest, kind=CertificateKind.JUROR)
    assert letter.details["entries_scored"] == 5
    assert letter.user == scenario.juror.user


def test_certificate_pdf_of_a_kazakh_holder_spells_her_name_letter_for_letter(contest):
    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)

    diploma = Certificate.objects.get(contest=contest, full_name=KAZAKH_NAME)
    text = pdf_text(diploma)

    assert KAZAKH_NAME in text
    assert "Диплом" in text
    assert "1-орын" in text
    assert diploma.code in text
    assert diploma.pdf.name == f"certificates/{contest.slug}/{diploma.code}.pdf"


def test_certificates_issue_is_refused_before_publication(contest):
    finalised_contest(contest)

    with pytest.raises(BaigeError) as refused:
        certificates_issue(actor=None, contest=contest)

    assert refused.value.code == "results_not_published"
    assert Certificate.objects.count() == 0


def test_certificates_issue_again_issues_only_what_is_missing(contest):
    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)

    first = certificates_issue(actor=None, contest=contest)
    second = certificates_issue(actor=None, contest=contest)

    assert (first.issued, second.issued, second.revoked) == (13, 0, 0)
    assert Certificate.objects.count() == 14
    assert Certificate.objects.get(kind=CertificateKind.JUROR) == letter


def test_certificates_issue_replaces_a_diploma_whose_award_changed(contest, organiser):
    scenario = published_contest(contest)
    finalised = scenario.finalised
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)
    award = finalised.results.awards.get(place=2)
    old = Certificate.objects.get(kind=CertificateKind.WINNER, entry=finalised.silver)

    award_change(actor=organiser, award=award, place=3, reason="Recounted")
    report = certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)

    old.refresh_from_db()
    new = current(contest, kind=CertificateKind.WINNER, entry=finalised.silver).get()
    assert (report.issued, report.revoked) == (1, 0)
    assert old.replaced_by == new and old.replaced_at is not None and old.revoked_at is None
    assert new.details["award"]["en"] == "3rd place in the nomination “Design”"
    assert "3rd place" in pdf_text(new)


def test_certificates_issue_revokes_a_diploma_whose_award_went_to_another_entry(contest, organiser):
    scenario = published_contest(contest)
    finalised = scenario.finalised
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)
    award = finalised.results.awards.get(place=2)
    old = Certificate.objects.get(kind=CertificateKind.WINNER, entry=finalised.silver)

    award_change(actor=organiser, award=award, entry=finalised.loser, reason="Disqualified")
    report = certificates_issue(actor=None, contest=contest, kind=CertificateKind.WINNER)

    old.refresh_from_db()
    assert (report.issued, report.revoked) == (1, 1)
    assert old.revoked_at is not None
    assert old.revoked_reason == "What this certificate was issued for has changed: it no longer applies."
    assert current(contest, kind=CertificateKind.WINNER, entry=finalised.loser).count() == 1


def test_certificate_revoke_keeps_the_reason_and_is_not_issued_again(contest, organiser):
    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)

    certificate_revoke(actor=organiser, certificate=letter, reason="Left the jury")
    report = certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)

    letter.refresh_from_db()
    assert (letter.revoked_reason, letter.revoked_by, report.issued) == ("Left the jury", organiser, 0)
    with pytest.raises(BaigeError):
        certificate_revoke(actor=organiser, certificate=letter, reason="Again")


def test_certificate_revoke_needs_a_reason(contest, organiser):
    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)

    with pytest.raises(BaigeError) as refused:
        certificate_revoke(actor=organiser, certificate=letter, reason="  ")

    assert refused.value.code == "reason_missing"


def test_certificate_reissue_replaces_it_with_a_new_code(contest, organiser):
    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)

    new = certificate_reissue(actor=organiser, certificate=letter)

    letter.refresh_from_db()
    assert letter.replaced_by == new and new.code != letter.code and new.key == letter.key


def test_certificate_services_refuse_the_organiser_of_another_contest(contest, user_factory):
    from contest.enums import Role
    from tests.factories import ContestFactory, ContestRoleFactory

    published_contest(contest)
    certificates_issue(actor=None, contest=contest, kind=CertificateKind.JUROR)
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user

    with pytest.raises(NotAllowed):
        certificate_revoke(actor=stranger, certificate=letter, reason="No")
    with pytest.raises(NotAllowed):
        certificate_reissue(actor=stranger, certificate=letter)
    with pytest.raises(NotAllowed):
        certificates_issue(actor=stranger, contest=contest)
    with pytest.raises(NotAllowed):
        issue_run_start(actor=stranger, contest=contest)


# --- The bulk issue by a worker -------------------------------------------------------------------


def test_issue_run_start_issues_through_the_task_and_counts_progress(
    contest, organiser, django_capture_on_commit_callbacks
):
    published_contest(contest)

    with django_capture_on_commit_callbacks(execute=True):
        run = issue_run_start(actor=organiser, contest=contest, kind=CertificateKind.PARTICIPANT)

    run.refresh_from_db()
    assert (run.total, run.done, run.revoked, run.error) == (7, 7, 0, "")
    assert run.finished_at is not None and run.requested_by == organiser
    assert Certificate.objects.filter(kind=CertificateKind.PARTICIPANT).count() == 7

    with django_capture_on_commit_callbacks(execute=True):
        again = issue_run_start(actor=organiser, contest=contest, kind=CertificateKind.PARTICIPANT)

    again.refresh_from_db()
    assert (again.total, again.done) == (0, 0)
    assert Certificate.objects.count() == 7
    assert IssueRun.objects.count() == 2


def test_issue_run_start_is_refused_before_publication(contest, organiser):
    finalised_contest(contest)

    with pytest.raises(BaigeError) as refused:
        issue_run_start(actor=organiser, contest=contest)

    assert refused.value.code == "results_not_published"
    assert IssueRun.objects.count() == 0


def test_award_change_after_issue_reissues_the_diplomas_by_itself(
    contest, organiser, django_capture_on_commit_callbacks
):
    scenario = published_contest(contest)
    certificates_issue(actor=None, contest=contest)
    old = Certificate.objects.get(kind=CertificateKind.WINNER, entry=scenario.finalised.silver)

    with django_capture_on_commit_callbacks(execute=True):
        award_change(actor=organiser, award=scenario.finalised.results.awards.get(place=2), place=3, reason="Recounted")

    old.refresh_from_db()
    run = IssueRun.objects.get()
    assert (run.kind, run.total, run.done, run.requested_by) == ("", 1, 1, None)
    assert old.replaced_by is not None
    assert old.replaced_by.details["award"]["en"] == "3rd place in the nomination “Design”"


def test_award_change_before_any_certificate_queues_nothing(contest, organiser, django_capture_on_commit_callbacks):
    scenario = published_contest(contest)

    with django_capture_on_commit_callbacks(execute=True):
        award_change(actor=organiser, award=scenario.finalised.results.awards.get(place=2), place=3, reason="Recounted")

    assert IssueRun.objects.count() == Certificate.objects.count() == 0


def test_issue_run_start_returns_the_run_under_way_and_starts_anew_after_a_silent_one(contest, organiser):
    from datetime import timedelta

    from django.utils import timezone

    published_contest(contest)
    running = IssueRun.objects.create(contest=contest, updated_at=timezone.now())

    assert issue_run_start(actor=organiser, contest=contest) == running

    IssueRun.objects.filter(pk=running.pk).update(updated_at=timezone.now() - timedelta(minutes=16))
    fresh = issue_run_start(actor=organiser, contest=contest)

    assert fresh != running and IssueRun.objects.count() == 2
