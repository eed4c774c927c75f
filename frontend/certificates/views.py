"""A certificate's public page (``/verify/<code>/``) and the download of its PDF by its holder.

The public page shows what the certificate says in the visitor's language: holder, contest, what for,
date, and whether it was replaced or revoked. Any other code is a 404 like every missing page, after
the same single query, so nothing tells a near miss from a wild guess.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from certificates.archive import certificate_file_name
from certificates.enums import CertificateKind
from certificates.models import Certificate
from certificates.selectors import certificate_by_code, get_certificate_for_coauthor, get_certificate_for_holder
from contest.selectors import get_entry_for_coauthor_link
from frontend.http import AuthenticatedHttpRequest


def _in_language(texts: Any, language: str) -> str:
    if not isinstance(texts, dict):
        return str(texts or "")
    return str(texts.get(language) or next((text for text in texts.values() if text), ""))


def certificate_what_for(certificate: Certificate, language: str) -> str:
    """What the certificate was given for, in ``language``."""
    details = certificate.details
    title = details.get("entry_title", "")
    nomination = _in_language(details.get("nomination"), language)
    if certificate.kind == CertificateKind.WINNER:
        return _("%(award)s, for the entry “%(entry)s”") % {
            "award": _in_language(details.get("award"), language),
            "entry": title,
        }
    if certificate.kind == CertificateKind.FINALIST:
        return _("Finalist in the nomination “%(nomination)s” with the entry “%(entry)s”") % {
            "nomination": nomination,
            "entry": title,
        }
    if certificate.kind == CertificateKind.PARTICIPANT:
        return _("Took part with the entry “%(entry)s” in the nomination “%(nomination)s”") % {
            "entry": title,
            "nomination": nomination,
        }
    count = int(details.get("entries_scored", 0))
    return ngettext("Work on the jury: %(count)d entry scored", "Work on the jury: %(count)d entries scored", count) % {
        "count": count
    }


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate's public page: what it says, and whether it still counts."""
    certificate = certificate_by_code(code)
    language = translation.get_language() or "en"
    context = {
        "certificate": certificate,
        "contest_name": _in_language(certificate.details.get("contest"), language),
        "what_for": certificate_what_for(certificate, language),
    }
    response = render(request, "frontend/certificates/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _pdf_response(certificate: Certificate) -> FileResponse:
    response = FileResponse(
        default_storage.open(certificate.pdf.name or "", "rb"),
        as_attachment=True,
        filename=certificate_file_name(certificate),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, code: str) -> FileResponse:
    """The certificate's PDF, for its holder only: anyone else gets a 404."""
    return _pdf_response(get_certificate_for_holder(request.user, code=code))


@require_GET
def coauthor_download(request: HttpRequest, token: str, code: str) -> FileResponse:
    """A co-author's certificate through their signed link, without an account; a changed link or code is a 404."""
    entry, coauthor = get_entry_for_coauthor_link(token)
    return _pdf_response(get_certificate_for_coauthor(entry, coauthor, code=code))
