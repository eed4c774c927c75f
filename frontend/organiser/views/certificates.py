"""The organiser's certificates: issue them in bulk (with progress), list, revoke, reissue, download as a ZIP;
write their texts, upload the design, and preview the PDF.

Issuing waits for the contest's results to be published (the services refuse before); texts, design
and the preview with sample values are there from the start.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certificates.archive import certificates_zip
from certificates.enums import CertificateKind
from certificates.models import CertificateDesign, CertificateText
from certificates.render import pdf_first_page_png
from certificates.selectors import (
    certificates_current,
    certificates_for_organiser,
    contest_results_published,
    get_certificate_for_organiser,
    issue_run_latest,
)
from certificates.services import (
    certificate_design_save,
    certificate_preview_pdf,
    certificate_reissue,
    certificate_revoke,
    certificate_text_save,
    issue_run_start,
)
from certificates.texts import PLACEHOLDER_HELP, PLACEHOLDERS, default_texts
from config.exceptions import BaigeError
from contest.enums import Language
from contest.models import Contest
from contest.selectors import get_contest_for_organiser
from contest.texts import TEXT_LANGUAGES
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.certificates import CertificateDesignForm, CertificateTextForm, IssueForm, RevokeForm


def _kind(value: str) -> str:
    return value if value in CertificateKind.values else ""


@login_required
@require_GET
def certificates_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's certificates, the latest bulk issue's progress, and the issue button."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    kind = _kind(request.GET.get("kind", ""))
    run = issue_run_latest(contest)
    context = {
        "contest": contest,
        "section": "certificates",
        "published": contest_results_published(contest),
        "certificates": list(certificates_for_organiser(contest, kind=kind)),
        "kind": kind,
        "kinds": CertificateKind.choices,
        "run": run,
        "issue_form": IssueForm(),
        "revoke_form": RevokeForm(),
    }
    return render(request, "frontend/organiser/certificates/list.html", context)


def _back(contest: Contest) -> HttpResponse:
    return redirect("frontend:organiser_certificates", slug=contest.slug)


@login_required
@require_POST
def certificates_issue_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Queue a bulk issue of what is missing."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    form = IssueForm(request.POST)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    try:
        issue_run_start(actor=request.user, contest=contest, kind=kind)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Issuing has started: this page shows how far it got."))
    return _back(contest)


@login_required
@require_POST
def certificate_revoke_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke one certificate with a reason."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    certificate = get_certificate_for_organiser(contest, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("reason", [])))
        return _back(contest)
    try:
        certificate_revoke(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Certificate %(code)s is revoked.") % {"code": certificate.code})
    return _back(contest)


@login_required
@require_POST
def certificate_reissue_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Issue one certificate again; the old one points to the new."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    certificate = get_certificate_for_organiser(contest, pk)
    try:
        issued = certificate_reissue(actor=request.user, certificate=certificate)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Certificate %(old)s is replaced by %(new)s.") % {"old": certificate.code, "new": issued.code},
        )
    return _back(contest)


@login_required
@require_GET
def certificates_zip_view(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    """Every certificate that counts as one ZIP, with certificates.csv; written to a temporary file, then streamed."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    kind = _kind(request.GET.get("kind", ""))
    if not contest_results_published(contest):
        raise Http404
    target = tempfile.TemporaryFile(prefix="baige-certificates-")  # noqa: SIM115 (closed by the response)
    certificates_zip(list(certificates_current(contest, kind=kind)), target)
    target.seek(0)
    name = f"{contest.slug}-certificates{'-' + kind if kind else ''}.zip"
    response = FileResponse(target, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_texts(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The title and text of one kind in one language (``?kind=&language=``), with a preview of the PDF."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    kind = _kind(request.GET.get("kind", "")) or CertificateKind.WINNER
    language = request.GET.get("language", "")
    if language not in TEXT_LANGUAGES:
        language = TEXT_LANGUAGES[0]
    saved = CertificateText.objects.filter(contest=contest, kind=kind, language=language).first()
    status = 200
    if request.method == "POST":
        form = CertificateTextForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                certificate_text_save(
                    actor=request.user,
                    contest=contest,
                    kind=kind,
                    language=language,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The text is saved."))
                url = reverse("frontend:organiser_certificate_texts", kwargs={"slug": contest.slug})
                return redirect(url + "?" + urlencode({"kind": kind, "language": language}))
        status = 400
    else:
        form = CertificateTextForm(
            kind=kind, initial={"title": saved.title, "body": saved.body} if saved is not None else None
        )
    default_title, default_body = default_texts(kind, language)
    query = urlencode({"kind": kind, "language": language})
    context = {
        "contest": contest,
        "section": "certificates",
        "form": form,
        "kind": kind,
        "language": language,
        "kinds": CertificateKind.choices,
        "languages": Language.choices,
        "saved": saved,
        "default_title": default_title,
        "default_body": default_body,
        "placeholders": [(name, PLACEHOLDER_HELP[name]) for name in PLACEHOLDERS[kind]],
        "preview_query": query,
    }
    return render(request, "frontend/organiser/certificates/texts.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_design(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload the background, logo and signature, and say who signs."""
    contest = get_contest_for_organiser(request.user, slug=slug)
    design = CertificateDesign.objects.filter(contest=contest).first()
    status = 200
    if request.method == "POST":
        form = CertificateDesignForm(request.POST, request.FILES)
        if form.is_valid():
            images = {role: form.cleaned_data.get(role) for role in ("background", "logo", "signature")}
            try:
                certificate_design_save(
                    actor=request.user,
                    contest=contest,
                    images=images,
                    remove=form.removed(),
                    signatory=form.signatory(),
                )
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The design is saved."))
                return redirect("frontend:organiser_certificate_design", slug=contest.slug)
        status = 400
    else:
        initial = (
            {f"signatory_{language}": getattr(design, f"signatory_{language}") for language in TEXT_LANGUAGES}
            if design is not None
            else None
        )
        form = CertificateDesignForm(initial=initial)
    context = {"contest": contest, "section": "certificates", "form": form, "design": design}
    return render(request, "frontend/organiser/certificates/design.html", context, status=status)


def _preview(request: AuthenticatedHttpRequest, slug: str) -> tuple[Contest, bytes, str, str]:
    contest = get_contest_for_organiser(request.user, slug=slug)
    kind = _kind(request.GET.get("kind", "")) or CertificateKind.WINNER
    language = request.GET.get("language", "")
    if language not in TEXT_LANGUAGES:
        raise Http404
    try:
        pdf = certificate_preview_pdf(actor=request.user, contest=contest, kind=kind, language=language)
    except BaigeError as refused:
        raise Http404 from refused
    return contest, pdf, kind, language


@login_required
@require_GET
def certificate_preview_pdf_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A sample certificate as a PDF, with the saved texts and design."""
    _contest, pdf, kind, language = _preview(request, slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sample-{kind}-{language}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def certificate_preview_png_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The sample certificate's page as an image, for the texts page."""
    _contest, pdf, _kind_name, _language = _preview(request, slug)
    response = HttpResponse(pdf_first_page_png(pdf), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
