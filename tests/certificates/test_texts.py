"""Certificate texts: placeholders checked per kind, values escaped, built-in texts in every language, the QR code."""

from __future__ import annotations

import pytest
import segno
from django.db import IntegrityError
from django.utils import timezone

from certificates.enums import CertificateKind
from certificates.models import Certificate
from certificates.render import Design, certificate_html, qr_svg
from certificates.texts import PLACEHOLDERS, default_texts, placeholders_check, text_as_html

ALLOWED = "This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Dear {name} of {contest}, {entries_scored} entries, {date}, {code}", []),
        ("{{braces}} are fine", []),
        (
            "{award}",
            ["Unknown placeholder {award}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."],
        ),
        ("{}", ["Unknown placeholder {}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."]),
        ("{0}", ["Unknown placeholder {0}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."]),
        (
            "{name!r}",
            ["Unknown placeholder {name!r}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."],
        ),
        (
            "{name:>99}",
            ["Unknown placeholder {name:>99}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}."],
        ),
        (
            "{name.__class__}",
            ["Unknown placeholder {name.__class__}. " + ALLOWED],
        ),
        ("{name", ["A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}."]),
        ("name}", ["A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}."]),
    ],
)
def test_placeholders_check_for_a_juror_letter(text, problems):
    assert placeholders_check(text, CertificateKind.JUROR) == problems


def test_placeholders_check_knows_each_kind():
    assert placeholders_check("{award} {entry_title}", CertificateKind.WINNER) == []
    assert placeholders_check("{entry_title} {nomination}", CertificateKind.PARTICIPANT) == []
    assert placeholders_check("{award}", CertificateKind.FINALIST) != []


@pytest.mark.parametrize("kind", CertificateKind.values)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_default_texts_use_only_their_kind_placeholders(kind, language):
    title, body = default_texts(kind, language)

    assert title and body
    assert placeholders_check(title, kind) == placeholders_check(body, kind) == []
    assert "{name}" in body
    if language != "en":
        assert body != default_texts(kind, "en")[1]


def test_text_as_html_escapes_the_text_and_the_values():
    html = text_as_html(
        "<b>Dear</b>\n\n{name}\n\nof {contest}\nthanks", {"name": "<script>x</script>", "contest": "A&B"}
    )

    assert html == (
        '<p>&lt;b&gt;Dear&lt;/b&gt;</p><p class="holder">&lt;script&gt;x&lt;/script&gt;</p><p>of A&amp;B<br>thanks</p>'
    )


def test_certificate_html_embeds_the_qr_code_of_the_verification_page(settings):
    settings.SITE_URL = "https://baige.example.org"
    values = {name: "x" for name in PLACEHOLDERS[CertificateKind.JUROR]}

    html = certificate_html(Design(), kind=CertificateKind.JUROR, language="ru", values=values, code="ABCDEFGHJKMN")

    url = "https://baige.example.org/ru/verify/ABCDEFGHJKMN/"
    assert url in html
    assert qr_svg(url) in html
    assert qr_svg(url) == segno.make(url, error="m").svg_inline(scale=1, border=0, omitsize=True)
    assert "Благодарственное письмо" in html


def test_certificate_code_is_unique(contest):
    fields = {
        "contest": contest,
        "kind": CertificateKind.JUROR,
        "language": "en",
        "full_name": "A",
        "fingerprint": "x",
        "issued_at": timezone.now(),
        "code": "ABCDEFGHJKMN",
    }
    Certificate.objects.create(key="juror/1", **fields)

    with pytest.raises(IntegrityError):
        Certificate.objects.create(key="juror/2", **fields)
