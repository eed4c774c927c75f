"""A certificate as a PDF: HTML from a template, its QR code as inline SVG, WeasyPrint with fonts embedded.

Kazakh letters (ә ғ қ ң ө ұ ү һ і) need a font that has them: the stylesheet names DejaVu Sans (Debian's
fonts-dejavu-core), and WeasyPrint embeds the glyphs it uses. The stylesheet and the font configuration
are made once per process and shared by every certificate, which is most of what a bulk issue saves.
"""

from __future__ import annotations

import functools
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from certificates.images import image_data_uri
from certificates.models import CertificateDesign, CertificateText
from certificates.texts import default_texts, text_as_html
from contest.models import Contest
from contest.texts import TEXT_LANGUAGES

STYLESHEET = """
@page { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "DejaVu Sans", sans-serif; color: #1d2733; }
.sheet { position: relative; width: 297mm; height: 210mm; box-sizing: border-box; padding: 18mm 28mm 46mm; }
.frame { position: absolute; top: 8mm; left: 8mm; right: 8mm; bottom: 8mm; border: 1.2mm double #2b5f8a; }
.background { position: absolute; top: 0; left: 0; width: 297mm; height: 210mm; }
.logo { text-align: center; height: 24mm; margin-bottom: 4mm; }
.logo img { max-height: 24mm; max-width: 80mm; }
h1 { font-size: 34pt; text-align: center; margin: 0 0 8mm; letter-spacing: 0.5pt; color: #2b5f8a; }
.body { font-size: 15pt; line-height: 1.4; text-align: center; }
.body p { margin: 0 0 4mm; }
.body p.holder { font-size: 26pt; font-weight: bold; margin: 2mm 0 6mm; }
.footer { position: absolute; left: 28mm; right: 28mm; bottom: 14mm; height: 30mm; }
.qr { position: absolute; right: 0; bottom: 0; width: 30mm; height: 30mm; }
.qr svg { width: 30mm; height: 30mm; }
.check { position: absolute; left: 0; bottom: 0; width: 110mm; font-size: 8pt; color: #4a5663; }
.check .code { font-size: 11pt; font-family: "DejaVu Sans Mono", monospace; letter-spacing: 1pt; color: #1d2733; }
.sign { position: absolute; left: 115mm; right: 36mm; bottom: 0; text-align: center; font-size: 10pt; }
.sign img { max-height: 18mm; max-width: 60mm; display: block; margin: 0 auto 1mm; }
.date { font-size: 10pt; }
"""


@functools.cache
def stylesheet() -> tuple[CSS, FontConfiguration]:
    """The certificates' stylesheet and font configuration, made once per process."""
    fonts = FontConfiguration()
    return CSS(string=STYLESHEET, font_config=fonts), fonts


@dataclass(frozen=True)
class Design:
    """What every certificate of a contest shares: its images (as data URIs), signatory and texts by language."""

    background: str = ""
    logo: str = ""
    signature: str = ""
    signatory: Mapping[str, str] = field(default_factory=dict)
    #: The organisers' own (title, text) by (kind, language); the built-in ones stand in for the rest.
    texts: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def text(self, kind: str, language: str) -> tuple[str, str]:
        """The title and text of ``kind`` in ``language``: the organisers' own, else the built-in one."""
        return self.texts.get((kind, language)) or default_texts(kind, language)


def design_load(contest: Contest) -> Design:
    """The contest's design and texts, images read once from the storage; two queries."""
    design = CertificateDesign.objects.filter(contest=contest).first()
    texts = {
        (text.kind, text.language): (text.title, text.body) for text in CertificateText.objects.filter(contest=contest)
    }
    if design is None:
        return Design(texts=texts)
    return Design(
        background=image_data_uri(design.background.name or ""),
        logo=image_data_uri(design.logo.name or ""),
        signature=image_data_uri(design.signature.name or ""),
        signatory={language: getattr(design, f"signatory_{language}") for language in TEXT_LANGUAGES},
        texts=texts,
    )


def verify_url(code: str, language: str) -> str:
    """The absolute address of a certificate's public page, in ``language``."""
    with translation.override(language):
        return settings.SITE_URL + reverse("frontend:certificate_verify", kwargs={"code": code})


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element."""
    return str(segno.make(url, error="m").svg_inline(scale=1, border=0, omitsize=True))


def certificate_html(
    design: Design,
    *,
    kind: str,
    language: str,
    values: Mapping[str, Any],
    code: str,
    sample: bool = False,
) -> str:
    """The HTML of one certificate in ``language``, with ``values`` put into its text."""
    title, body = design.text(kind, language)
    url = verify_url(code, language)
    with translation.override(language):
        return render_to_string(
            "certificates/certificate.html",
            {
                "language": language,
                "title": title,
                "body": text_as_html(body, values),
                "design": design,
                "signatory": design.signatory.get(language, ""),
                "code": code,
                "url": url,
                "qr": qr_svg(url),
                "date": values.get("date", ""),
                "sample": sample,
            },
        )


def pdf_render(html: str) -> bytes:
    """The PDF of a certificate's HTML, its fonts embedded."""
    css, fonts = stylesheet()
    return bytes(HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts))


def pdf_first_page_png(pdf: bytes, *, width: int = 900) -> bytes:
    """The first page of a PDF as a PNG ``width`` pixels wide, through poppler's ``pdftoppm``."""
    with tempfile.TemporaryDirectory(prefix="baige-certificate-") as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 (fixed arguments, a file of our own)
            [
                "pdftoppm",
                "-png",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
                "-scale-to",
                str(width),
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(folder) / "page.png").read_bytes()
