"""The organiser's certificate pages: list and progress, issue, revoke, reissue, ZIP, texts, design and preview."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from certificates.enums import CertificateKind
from certificates.models import Certificate, CertificateDesign, CertificateText, IssueRun
from certificates.services import certificates_issue
from contest.enums import Role
from tests.certificates import finalised_contest, published_contest
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory


def url(name: str, contest, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def png(size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def published(contest):  # type: ignore[no-untyped-def]
    return published_contest(contest)


@pytest.fixture
def issued(published):  # type: ignore[no-untyped-def]
    certificates_issue(actor=None, contest=published.contest, kind=CertificateKind.JUROR)
    certificates_issue(actor=None, contest=published.contest, kind=CertificateKind.FINALIST)
    return published


PAGES = [
    ("get", "organiser_certificates", {}),
    ("post", "organiser_certificates_issue", {}),
    ("get", "organiser_certificates_zip", {}),
    ("get", "organiser_certificate_texts", {}),
    ("post", "organiser_certificate_texts", {}),
    ("get", "organiser_certificate_design", {}),
    ("post", "organiser_certificate_design", {}),
    ("get", "organiser_certificate_preview", {}),
    ("get", "organiser_certificate_preview_png", {}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), PAGES)
def test_certificate_pages_refuse_everyone_but_the_organisers(client, issued, juror, method, name, kwargs):
    contest = issued.contest
    address = url(name, contest, **kwargs) + "?kind=winner&language=kk"
    anonymous = getattr(client, method)(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    for person in (ProfileFactory().user, issued.finalised.gold.author, juror, stranger):
        client.force_login(person)
        assert getattr(client, method)(address).status_code == 403
    assert IssueRun.objects.count() == 0
    assert CertificateText.objects.count() == CertificateDesign.objects.count() == 0


@pytest.mark.parametrize("action", ["organiser_certificate_revoke", "organiser_certificate_reissue"])
def test_certificate_actions_refuse_everyone_but_the_organisers(client, issued, juror, action):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    address = url(action, issued.contest, pk=letter.pk)
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    assert client.post(address, {"reason": "x"}).status_code == 302
    for person in (ProfileFactory().user, issued.juror.user, juror, stranger):
        client.force_login(person)
        assert client.post(address, {"reason": "x"}).status_code == 403
    letter.refresh_from_db()
    assert letter.is_current


def test_certificate_action_on_another_contest_certificate_is_a_404(client, issued):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    other = ContestFactory()
    organiser = ContestRoleFactory(contest=other, role=Role.ORGANISER).user
    client.force_login(organiser)

    response = client.post(url("organiser_certificate_revoke", other, pk=letter.pk), {"reason": "x"})

    assert response.status_code == 404
    letter.refresh_from_db()
    assert letter.is_current


def test_certificates_page_lists_them_with_their_state(client, issued, organiser):
    client.force_login(organiser)

    response = client.get(url("organiser_certificates", issued.contest))

    assert response.status_code == 200
    assert [c.kind for c in response.context["certificates"]] == ["finalist", "juror"]
    assert response.context["published"] is True
    html = response.content.decode()
    assert 'id="issue-form"' in html and 'id="download-zip"' in html


def test_certificates_page_query_count_does_not_grow_with_certificates(
    client, issued, organiser, django_assert_num_queries
):
    client.force_login(organiser)
    client.get(url("organiser_certificates", issued.contest))
    with django_assert_num_queries(7):
        client.get(url("organiser_certificates", issued.contest))
    certificates_issue(actor=None, contest=issued.contest, kind=CertificateKind.PARTICIPANT)
    with django_assert_num_queries(7):
        response = client.get(url("organiser_certificates", issued.contest))
    assert len(response.context["certificates"]) == 9


def test_certificates_page_before_publication_says_when_they_come(client, contest, organiser):
    finalised_contest(contest)
    client.force_login(organiser)

    response = client.get(url("organiser_certificates", contest))
    issue = client.post(url("organiser_certificates_issue", contest))

    assert response.context["published"] is False
    assert 'id="not-published"' in response.content.decode()
    assert issue.status_code == 302
    assert IssueRun.objects.count() == Certificate.objects.count() == 0
    assert client.get(url("organiser_certificates_zip", contest)).status_code == 404


def test_certificates_issue_starts_a_run_and_the_page_shows_its_progress(
    client, published, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_certificates_issue", published.contest), {"kind": "juror"})

    assert response.status_code == 302
    run = IssueRun.objects.get()
    assert (run.kind, run.done, run.total, run.finished_at is not None) == ("juror", 1, 1, True)
    page = client.get(url("organiser_certificates", published.contest)).content.decode()
    assert 'data-done="1" data-total="1"' in page


def test_certificates_page_refreshes_while_a_run_goes_on(client, published, organiser):
    IssueRun.objects.create(contest=published.contest, total=10, done=4, requested_by=organiser)
    client.force_login(organiser)

    page = client.get(url("organiser_certificates", published.contest)).content.decode()

    assert '<meta http-equiv="refresh" content="5">' in page
    assert 'data-done="4" data-total="10"' in page
    assert 'id="issue-form"' not in page


def test_certificate_revoke_and_reissue_from_the_list(client, issued, organiser):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    finalist = Certificate.objects.get(kind=CertificateKind.FINALIST)
    client.force_login(organiser)

    client.post(url("organiser_certificate_revoke", issued.contest, pk=letter.pk), {"reason": "Left the jury"})
    client.post(url("organiser_certificate_reissue", issued.contest, pk=finalist.pk))

    letter.refresh_from_db()
    finalist.refresh_from_db()
    assert (letter.revoked_reason, letter.revoked_by) == ("Left the jury", organiser)
    assert finalist.replaced_by is not None and finalist.replaced_by.is_current


def test_certificate_revoke_without_a_reason_changes_nothing(client, issued, organiser):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    client.force_login(organiser)

    client.post(url("organiser_certificate_revoke", issued.contest, pk=letter.pk), {"reason": " "})

    letter.refresh_from_db()
    assert letter.is_current


def test_certificates_zip_holds_every_current_pdf_and_the_list(client, issued, organiser):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    finalist = Certificate.objects.get(kind=CertificateKind.FINALIST)
    client.force_login(organiser)
    client.post(url("organiser_certificate_revoke", issued.contest, pk=letter.pk), {"reason": "Left"})

    response = client.get(url("organiser_certificates_zip", issued.contest))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["certificates.csv", f"finalist-{finalist.code}.pdf"]
    assert archive.read(f"finalist-{finalist.code}.pdf").startswith(b"%PDF")
    lines = archive.read("certificates.csv").decode().splitlines()
    assert lines[0] == "code,kind,full_name,email,entry_code,award,language,url"
    assert lines[1].startswith(f"{finalist.code},finalist,Yerlan Tokayev,")


# --- Texts, design, preview -------------------------------------------------------------------------


def test_certificate_texts_saves_the_organisers_text(client, contest, organiser):
    client.force_login(organiser)
    address = url("organiser_certificate_texts", contest) + "?kind=juror&language=kk"

    response = client.post(address, {"title": "Алғыс хат", "body": "Құрметті {name}!\n\n{entries_scored} жұмыс."})

    assert response.status_code == 302
    text = CertificateText.objects.get()
    assert (text.kind, text.language, text.title) == ("juror", "kk", "Алғыс хат")


def test_certificate_texts_names_an_unknown_placeholder(client, contest, organiser):
    client.force_login(organiser)
    address = url("organiser_certificate_texts", contest) + "?kind=juror&language=en"

    response = client.post(address, {"title": "Thanks", "body": "Dear {name}, for {award} and {name.__class__}"})

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [
        "Unknown placeholder {award}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}.",
        "Unknown placeholder {name.__class__}. This text can use: {name}, {contest}, {date}, {code}, {entries_scored}.",
    ]
    assert CertificateText.objects.count() == 0


def test_certificate_texts_names_an_unclosed_brace(client, contest, organiser):
    client.force_login(organiser)
    address = url("organiser_certificate_texts", contest) + "?kind=winner&language=en"

    response = client.post(address, {"title": "Diploma {name", "body": "For {award}"})

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}."
    ]


def test_certificate_preview_renders_a_pdf_with_the_saved_text(client, contest, organiser):
    import subprocess

    client.force_login(organiser)
    client.post(
        url("organiser_certificate_texts", contest) + "?kind=winner&language=kk",
        {"title": "Құрмет грамотасы", "body": "{name}\n\n{award}"},
    )

    response = client.get(url("organiser_certificate_preview", contest) + "?kind=winner&language=kk")
    image = client.get(url("organiser_certificate_preview_png", contest) + "?kind=winner&language=kk")
    page = client.get(url("organiser_certificate_texts", contest) + "?kind=winner&language=kk")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert "Құрмет грамотасы" in text.decode() and "Әйгерім Құдайбергенқызы" in text.decode()
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert url("organiser_certificate_preview_png", contest) + "?kind=winner&amp;language=kk" in page.content.decode()


def test_certificate_design_page_opens_before_any_design_then_shows_the_saved_one(client, contest, organiser):
    client.force_login(organiser)

    empty = client.get(url("organiser_certificate_design", contest))
    client.post(url("organiser_certificate_design", contest), {"signatory_kk": "Ә. Ректор"})
    saved = client.get(url("organiser_certificate_design", contest))

    assert empty.status_code == 200
    assert empty.context["form"].initial == {}
    assert saved.status_code == 200
    assert saved.context["form"].initial == {"signatory_kk": "Ә. Ректор", "signatory_ru": "", "signatory_en": ""}


def test_certificate_design_stores_checked_images(client, contest, organiser):
    client.force_login(organiser)

    response = client.post(
        url("organiser_certificate_design", contest),
        {"logo": SimpleUploadedFile("my logo.png", png(), content_type="image/png"), "signatory_en": "A. Rector"},
    )

    assert response.status_code == 302
    design = CertificateDesign.objects.get()
    assert design.logo.name.startswith(f"certificates/{contest.slug}/design/logo-") and design.logo.name.endswith(
        ".png"
    )
    assert design.signatory_en == "A. Rector"
    preview = client.get(url("organiser_certificate_preview", contest) + "?kind=winner&language=en")
    assert preview.status_code == 200


def test_certificate_design_refuses_what_is_not_an_image(client, contest, organiser):
    client.force_login(organiser)

    response = client.post(
        url("organiser_certificate_design", contest),
        {"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["This is not a PNG or JPEG image."]
    assert not CertificateDesign.objects.filter(logo__gt="").exists()


def test_certificate_design_refuses_an_image_too_large(client, contest, organiser, settings):
    client.force_login(organiser)

    response = client.post(
        url("organiser_certificate_design", contest),
        {"background": SimpleUploadedFile("bg.png", png((6000, 10)), content_type="image/png")},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["The image is too large: at most 5000 pixels on a side."]
