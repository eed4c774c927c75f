"""Issuing, reissuing and revoking certificates, and the organisers' texts and design.

Issuing is idempotent: a certificate is made only where none counts for its key, or where what it
should say has changed (then the new one replaces the old, which points to it). Certificates no longer
due (an award given to another entry) are revoked with the reason. Each certificate is issued in a
transaction of its own, so a bulk issue that stops half-way keeps what it did and the next one goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from certificates.enums import CertificateKind
from certificates.holders import Due, certificates_due
from certificates.images import image_store
from certificates.models import Certificate, CertificateDesign, CertificateText, IssueRun
from certificates.render import Design, certificate_html, design_load, pdf_render
from certificates.selectors import contest_results_published
from certificates.texts import placeholders_check
from config.activity_log import update_logged
from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError
from contest.models import Contest
from contest.services import Actor, contest_ensure_organiser
from contest.texts import TEXT_LANGUAGES
from judging.services.publication import place_name

logger = logging.getLogger(__name__)


def certificates_ensure_published(contest: Contest) -> None:
    """Refuse while no result of ``contest`` is published: certificates come with the results."""
    if not contest_results_published(contest):
        raise BaigeError(
            _("Certificates are issued once the contest's results are published."), code="results_not_published"
        )


def _ensure_organiser(actor: Actor | None, contest: Contest) -> None:
    if actor is not None:
        contest_ensure_organiser(actor, contest)


def certificate_values(due: Due, *, code: str, issued_at: datetime, zone: tzinfo | None = None) -> dict[str, object]:
    """The values of a certificate's placeholders, in the holder's language; the date on ``zone``'s clock."""
    language = due.language
    details = due.details
    with translation.override(language):
        values: dict[str, object] = {
            "name": due.full_name,
            "contest": details["contest"].get(language, ""),
            "date": formats.date_format(timezone.localtime(issued_at, zone), "DATE_FORMAT"),
            "code": code,
        }
    for name in ("entry_title", "entry_code", "entries_scored"):
        if name in details:
            values[name] = details[name]
    for name in ("award", "nomination"):
        if name in details:
            values[name] = details[name].get(language, "")
    return values


def _pdf_store(contest: Contest, code: str, pdf: bytes) -> str:
    return default_storage.save(f"certificates/{contest.slug}/{code}.pdf", ContentFile(pdf))


def certificate_issue(
    *, contest: Contest, due: Due, design: Design, now: datetime | None = None, again: bool = False
) -> Certificate | None:
    """Issue the certificate ``due`` unless one already counts for its key and says the same; the new one or None.

    ``again`` issues a new one even when it would say the same (an organiser's reissue). A revoked
    certificate stays revoked: nothing is issued for its key.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = (
                Certificate.objects.select_for_update()
                .filter(contest=contest, key=due.key, replaced_at__isnull=True)
                .first()
            )
            if current is not None and (
                current.revoked_at is not None or (current.fingerprint == due.fingerprint and not again)
            ):
                return None
            certificate = Certificate(
                contest=contest,
                kind=due.kind,
                key=due.key,
                language=due.language,
                full_name=due.full_name,
                email=due.email,
                user_id=due.user_id,
                entry_id=due.entry_id,
                coauthor_id=due.coauthor_id,
                juror_id=due.juror_id,
                award_id=due.award_id,
                details=due.details,
                fingerprint=due.fingerprint,
                issued_at=now,
            )
            values = certificate_values(due, code=certificate.code, issued_at=now, zone=contest.tzinfo)
            html = certificate_html(design, kind=due.kind, language=due.language, values=values, code=certificate.code)
            if current is not None:
                current.replaced_at = now
                current.save(update_fields=["replaced_at"])
            certificate.pdf.name = _pdf_store(contest, certificate.code, pdf_render(html))
            certificate.save()
            if current is not None:
                current.replaced_by = certificate
                current.save(update_fields=["replaced_by"])
    except IntegrityError:
        # Another worker issued this key (or drew the same code) at the same moment: the next run sees it.
        logger.info("certificate %s of %s was issued concurrently", due.key, contest.slug)
        return None
    return certificate


@dataclass
class IssuePlan:
    """What a bulk issue will do: the certificates to issue (new or changed) and those to revoke."""

    issue: list[Due] = field(default_factory=list)
    revoke: list[Certificate] = field(default_factory=list)


def certificates_plan(contest: Contest, *, kind: str = "") -> IssuePlan:
    """What is missing or changed among the certificates (of ``kind``, when given), and what is no longer due."""
    due = certificates_due(contest, kind or None)
    existing = Certificate.objects.filter(contest=contest, replaced_at__isnull=True)
    if kind:
        existing = existing.filter(kind=kind)
    current = {certificate.key: certificate for certificate in existing}
    plan = IssuePlan()
    for item in due:
        certificate = current.pop(item.key, None)
        if certificate is None or (certificate.revoked_at is None and certificate.fingerprint != item.fingerprint):
            plan.issue.append(item)
    plan.revoke = [certificate for certificate in current.values() if certificate.revoked_at is None]
    return plan


def _revoke_no_longer_due(certificate: Certificate, *, now: datetime) -> None:
    with translation.override(certificate.language):
        reason = _("What this certificate was issued for has changed: it no longer applies.")
    update_logged(
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True), revoked_at=now, revoked_reason=reason
    )


@dataclass
class IssueReport:
    """What a bulk issue did."""

    issued: int = 0
    revoked: int = 0


def certificates_issue(
    *,
    actor: Actor | None,
    contest: Contest,
    kind: str = "",
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IssueReport:
    """Issue every certificate of ``contest`` that is missing or changed, revoke those no longer due.

    ``actor`` is an organiser, or ``None`` for a worker or the command line. ``progress(done, total)`` is
    called as certificates are made.
    """
    _ensure_organiser(actor, contest)
    certificates_ensure_published(contest)
    now = now or timezone.now()
    plan = certificates_plan(contest, kind=kind)
    design = design_load(contest)
    report = IssueReport()
    total = len(plan.issue)
    if progress is not None:
        progress(0, total)
    for done, due in enumerate(plan.issue, start=1):
        if certificate_issue(contest=contest, due=due, design=design, now=now) is not None:
            report.issued += 1
        if progress is not None:
            progress(done, total)
    for certificate in plan.revoke:
        _revoke_no_longer_due(certificate, now=now)
        report.revoked += 1
    logger.info("issued %d certificates of %s, revoked %d", report.issued, contest.slug, report.revoked)
    return report


def issue_run_start(*, actor: Actor, contest: Contest, kind: str = "") -> IssueRun:
    """Queue a bulk issue for a worker (unless one is already under way, which is returned)."""
    contest_ensure_organiser(actor, contest)
    certificates_ensure_published(contest)
    if kind and kind not in CertificateKind.values:
        raise BaigeError(_("Unknown kind of certificate."), code="unknown_kind")
    return issue_run_queue(contest=contest, kind=kind, requested_by=actor if actor.is_authenticated else None)


def issue_run_queue(*, contest: Contest, kind: str = "", requested_by: Any = None) -> IssueRun:
    """Queue a bulk issue of ``contest`` once the transaction commits, unless one is under way (returned then)."""
    with transaction.atomic():
        # Two clicks at once make one run: the contest's row is the lock.
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        running = IssueRun.objects.filter(contest=contest, finished_at__isnull=True).order_by("-created_at").first()
        if running is not None and running.is_running:
            return running
        run = IssueRun.objects.create(contest=contest, kind=kind, requested_by=requested_by)
        enqueue_on_commit("certificates.issue_certificates", issue_run_id=run.pk)
    return run


def issue_run_perform(*, run: IssueRun) -> IssueReport:
    """Carry out a queued bulk issue, saying how far it got as it goes."""
    if run.finished_at is not None:
        return IssueReport()
    run.started_at = run.updated_at = timezone.now()
    run.save(update_fields=["started_at", "updated_at"])

    def progress(done: int, total: int) -> None:
        IssueRun.objects.filter(pk=run.pk).update(done=done, total=total, updated_at=timezone.now())

    try:
        report = certificates_issue(actor=None, contest=run.contest, kind=run.kind, progress=progress)
    except BaigeError as refused:
        IssueRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=str(refused))
        raise
    except Exception:
        IssueRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), error=_("Issuing stopped on an error; start it again to go on.")
        )
        raise
    IssueRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), revoked=report.revoked)
    return report


def certificate_revoke(
    *, actor: Actor, certificate: Certificate, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke a certificate with the reason its public page will show."""
    contest_ensure_organiser(actor, certificate.contest)
    reason = reason.strip()
    if not reason:
        raise BaigeError(
            _("Say why the certificate is revoked: its public page shows the reason."), code="reason_missing"
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.replaced_at is not None:
            raise BaigeError(_("This certificate was replaced: revoke the one that replaced it."), code="replaced")
        if certificate.revoked_at is not None:
            raise BaigeError(_("This certificate is already revoked."), code="revoked")
        certificate.revoked_at = now or timezone.now()
        certificate.revoked_by = actor if actor.is_authenticated else None
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return certificate


def certificate_reissue(*, actor: Actor, certificate: Certificate, now: datetime | None = None) -> Certificate:
    """Issue a certificate again as it is due now (a corrected name, a new design); the old one points to it."""
    contest = certificate.contest
    contest_ensure_organiser(actor, contest)
    certificates_ensure_published(contest)
    if certificate.replaced_at is not None:
        raise BaigeError(_("This certificate was replaced already."), code="replaced")
    if certificate.revoked_at is not None:
        raise BaigeError(_("A revoked certificate stays revoked."), code="revoked")
    due = next((item for item in certificates_due(contest, certificate.kind) if item.key == certificate.key), None)
    if due is None:
        raise BaigeError(_("This certificate is no longer due: revoke it instead."), code="not_due")
    issued = certificate_issue(contest=contest, due=due, design=design_load(contest), now=now, again=True)
    if issued is None:
        raise BaigeError(_("The certificate changed meanwhile: reload the page."), code="changed")
    return issued


# --- Texts and design ----------------------------------------------------------------------------


def certificate_text_save(
    *, actor: Actor, contest: Contest, kind: str, language: str, title: str, body: str
) -> CertificateText | None:
    """Save the organisers' title and text of ``kind`` in ``language``; both empty: back to the built-in ones."""
    contest_ensure_organiser(actor, contest)
    if kind not in CertificateKind.values or language not in TEXT_LANGUAGES:
        raise BaigeError(_("Unknown kind of certificate."), code="unknown_kind")
    title, body = title.strip(), body.strip()
    if not title and not body:
        CertificateText.objects.filter(contest=contest, kind=kind, language=language).delete()
        return None
    if not title or not body:
        raise BaigeError(_("Give both the title and the text, or neither to use the built-in ones."), code="incomplete")
    problems = placeholders_check(title, kind) + placeholders_check(body, kind)
    if problems:
        raise BaigeError(" ".join(problems), code="placeholder")
    text, _created = CertificateText.objects.update_or_create(
        contest=contest, kind=kind, language=language, defaults={"title": title, "body": body}
    )
    return text


def certificate_design_save(
    *,
    actor: Actor,
    contest: Contest,
    images: Mapping[str, UploadedFile | None],
    remove: set[str] | frozenset[str] = frozenset(),
    signatory: Mapping[str, str],
) -> CertificateDesign:
    """Save the contest's certificate images (``background``, ``logo``, ``signature``) and signatory."""
    contest_ensure_organiser(actor, contest)
    design, _created = CertificateDesign.objects.get_or_create(contest=contest)
    stored: dict[str, str] = {}
    for role in ("background", "logo", "signature"):
        upload = images.get(role)
        if upload is not None:
            stored[role] = image_store(upload, contest_slug=contest.slug, role=role)
    old: list[str] = []
    for role in ("background", "logo", "signature"):
        if role in stored or role in remove:
            if getattr(design, role).name:
                old.append(getattr(design, role).name)
            getattr(design, role).name = stored.get(role, "")
    for language in TEXT_LANGUAGES:
        setattr(design, f"signatory_{language}", (signatory.get(language) or "").strip())
    design.save()
    # Issued certificates hold their images in their PDFs: the files replaced are no longer needed.
    transaction.on_commit(lambda: _delete_files(old))
    return design


#: Holds an L, which no real code has: a sample can never be taken for a certificate.
SAMPLE_CODE = "SAMPLE2345AB"


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def certificate_preview_pdf(
    *, actor: Actor, contest: Contest, kind: str, language: str, title: str | None = None, body: str | None = None
) -> bytes:
    """A sample certificate of ``kind`` in ``language`` as the organisers' texts and design make it, as a PDF.

    ``title`` and ``body``, when given, stand in for the saved texts (a text being written); their
    placeholders are checked as when saving.
    """
    contest_ensure_organiser(actor, contest)
    if kind not in CertificateKind.values or language not in TEXT_LANGUAGES:
        raise BaigeError(_("Unknown kind of certificate."), code="unknown_kind")
    design = design_load(contest)
    if title and body:
        problems = placeholders_check(title, kind) + placeholders_check(body, kind)
        if problems:
            raise BaigeError(" ".join(problems), code="placeholder")
        design = Design(
            background=design.background,
            logo=design.logo,
            signature=design.signature,
            signatory=design.signatory,
            texts={**design.texts, (kind, language): (title, body)},
        )
    with translation.override(language):
        values: dict[str, object] = {
            "name": "Әйгерім Құдайбергенқызы" if language == "kk" else _("Aigerim Kudaibergenkyzy"),
            "contest": str(contest.name),
            "date": formats.date_format(timezone.localtime(timezone.now(), contest.tzinfo), "DATE_FORMAT"),
            "code": SAMPLE_CODE,
            "entry_title": _("Fractions with Wordwall"),
            "entry_code": "AB12CD",
            "award": _("%(place)s in the nomination “%(nomination)s”")
            % {"place": place_name(1), "nomination": _("Best lesson")},
            "nomination": _("Best lesson"),
            "entries_scored": 24,
        }
    html = certificate_html(design, kind=kind, language=language, values=values, code=SAMPLE_CODE, sample=True)
    return pdf_render(html)
