"""Certificates' pages: the public verification page, the holder's download, the entry's block, the jury's letters."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from certificates.enums import CertificateKind
from certificates.models import Certificate
from certificates.services import certificate_reissue, certificate_revoke, certificates_issue
from contest.coauthor_links import coauthor_token
from contest.enums import Role
from judging.models import Results
from tests.certificates import KAZAKH_NAME, finalised_contest, published_contest
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory


def verify_url(code: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("frontend:certificate_verify", kwargs={"code": code})


def download_url(code: str) -> str:
    with translation.override("en"):
        return reverse("frontend:certificate_download", kwargs={"code": code})


@pytest.fixture
def issued(contest):  # type: ignore[no-untyped-def]
    scenario = published_contest(contest)
    certificates_issue(actor=None, contest=contest)
    return scenario


def diploma_of(scenario, name=KAZAKH_NAME):  # type: ignore[no-untyped-def]
    return Certificate.objects.get(contest=scenario.contest, kind=CertificateKind.WINNER, full_name=name)


# --- The public page ------------------------------------------------------------------------------


def test_verify_page_shows_the_holder_contest_award_and_date(client, issued):
    diploma = diploma_of(issued)

    response = client.get(verify_url(diploma.code))

    assert response.status_code == 200
    assert response.context["certificate"] == diploma
    assert (
        response.context["what_for"]
        == f"1st place in the nomination “Design”, for the entry “{issued.finalised.gold.title}”"
    )
    assert response.context["contest_name"] == issued.contest.name_en
    html = response.content.decode()
    assert KAZAKH_NAME in html
    assert 'data-state="valid"' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verify_page_speaks_the_visitor_language_and_takes_any_case(client, issued):
    diploma = diploma_of(issued)

    response = client.get(verify_url(diploma.code.lower(), "ru"))

    assert response.status_code == 200
    assert response.context["contest_name"] == "Самая эффективная платформа"
    assert response.context["what_for"] == (f"1 место в номинации «Дизайн», за работу «{issued.finalised.gold.title}»")
    assert "Этот сертификат подлинный и действителен." in response.content.decode()


def test_verify_page_of_a_changed_code_is_a_404(client, issued):
    diploma = diploma_of(issued)
    changed = ("Z" if diploma.code[0] != "Z" else "Y") + diploma.code[1:]

    assert client.get(verify_url(changed)).status_code == 404
    assert client.get(verify_url("nothing-like-a-code")).status_code == 404
    assert client.get(verify_url(diploma.code + "2")).status_code == 404


def test_verify_page_of_a_replaced_certificate_says_so_with_a_link(client, issued, organiser):
    diploma = diploma_of(issued)
    new = certificate_reissue(actor=organiser, certificate=diploma)

    html = client.get(verify_url(diploma.code)).content.decode()

    assert 'data-state="replaced"' in html
    assert verify_url(new.code) in html


def test_verify_page_of_a_revoked_certificate_gives_the_reason(client, issued, organiser):
    diploma = diploma_of(issued)
    certificate_revoke(actor=organiser, certificate=diploma, reason="Plagiarism found")

    html = client.get(verify_url(diploma.code)).content.decode()

    assert 'data-state="revoked"' in html
    assert "Plagiarism found" in html


# --- The holder's download ------------------------------------------------------------------------


def test_download_gives_the_author_their_pdf(client, issued):
    diploma = diploma_of(issued)
    client.force_login(issued.finalised.gold.author)

    response = client.get(download_url(diploma.code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="winner-{diploma.code}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_gives_a_coauthor_theirs_through_their_verified_email(client, issued):
    diploma = diploma_of(issued, "Dana Co")
    client.force_login(issued.coauthor_user)

    assert client.get(download_url(diploma.code)).status_code == 200
    # Not the author's own.
    assert client.get(download_url(diploma_of(issued).code)).status_code == 404


def test_download_refuses_everyone_but_the_holder(client, issued, juror, organiser):
    diploma = diploma_of(issued)
    stranger_organiser = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    other_participant = issued.finalised.silver.author

    anonymous = client.get(download_url(diploma.code))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
    for person in (other_participant, ProfileFactory().user, juror, stranger_organiser, issued.juror.user):
        client.force_login(person)
        assert client.get(download_url(diploma.code)).status_code == 404


def test_download_of_a_revoked_or_replaced_certificate_is_a_404(client, issued, organiser):
    diploma = diploma_of(issued)
    new = certificate_reissue(actor=organiser, certificate=diploma)
    client.force_login(issued.finalised.gold.author)

    assert client.get(download_url(diploma.code)).status_code == 404
    assert client.get(download_url(new.code)).status_code == 200
    certificate_revoke(actor=organiser, certificate=new, reason="Wrong")
    assert client.get(download_url(new.code)).status_code == 404


# --- The entry's block and the jury's letters -------------------------------------------------------


def entry_block(entry, user) -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return render_to_string("frontend/_entry_certificates.html", {"entry": entry, "request": request})


def test_entry_block_lists_the_viewer_certificates_of_the_entry(issued):
    gold = issued.finalised.gold
    mine = Certificate.objects.filter(entry=gold, full_name=KAZAKH_NAME).order_by("kind")

    html = entry_block(gold, gold.author)

    assert [c.kind for c in mine] == ["participant", "winner"]
    for certificate in mine:
        assert download_url(certificate.code) in html
    dana = Certificate.objects.get(entry=gold, kind=CertificateKind.WINNER, full_name="Dana Co")
    assert download_url(dana.code) not in html
    assert download_url(dana.code) in entry_block(gold, issued.coauthor_user)


def test_entry_block_is_empty_for_others(issued):
    gold = issued.finalised.gold

    assert entry_block(gold, issued.finalised.silver.author).strip() == ""
    assert entry_block(gold, issued.juror.user).strip() == ""


def test_entry_block_query_count_does_not_grow_with_certificates(issued, django_assert_num_queries):
    gold = issued.finalised.gold
    with django_assert_num_queries(1):
        entry_block(gold, gold.author)
    with django_assert_num_queries(1):
        entry_block(issued.screened, issued.screened.author)


def test_entry_block_is_empty_before_publication(contest):
    scenario = finalised_contest(contest)
    gold = scenario.finalised.gold

    assert entry_block(gold, gold.author).strip() == ""


def test_jury_home_offers_the_juror_their_letter(client, issued):
    letter = Certificate.objects.get(kind=CertificateKind.JUROR)
    client.force_login(issued.juror.user)

    with translation.override("en"):
        response = client.get(reverse("frontend:jury_home"))

    assert response.status_code == 200
    assert download_url(letter.code) in response.content.decode()
    assert client.get(download_url(letter.code)).status_code == 200


def test_certificate_of_a_contest_without_published_results_is_shown_to_nobody(client, contest):
    from django.utils import timezone

    scenario = finalised_contest(contest)
    gold = scenario.finalised.gold
    # Written straight to the database: Baige itself issues nothing before publication.
    certificate = Certificate.objects.create(
        contest=contest,
        kind=CertificateKind.PARTICIPANT,
        key="participant/test",
        language="en",
        full_name="Someone",
        user=gold.author,
        entry=gold,
        fingerprint="x",
        pdf="certificates/none.pdf",
        issued_at=timezone.now(),
    )
    client.force_login(gold.author)

    assert client.get(verify_url(certificate.code)).status_code == 404
    assert client.get(download_url(certificate.code)).status_code == 404
    assert entry_block(gold, gold.author).strip() == ""


# --- A co-author's signed link ----------------------------------------------------------------------


def coauthor_link_download_url(token: str, code: str) -> str:
    with translation.override("kk"):
        return reverse("frontend:certificate_coauthor_download", kwargs={"token": token, "code": code})


def test_coauthor_link_page_lists_and_downloads_their_certificates_without_an_account(client, issued):
    gold = issued.finalised.gold
    token = coauthor_token(gold, issued.coauthor.email)
    theirs = Certificate.objects.filter(entry=gold, full_name="Dana Co").order_by("kind")
    with translation.override("kk"):
        page = client.get(reverse("frontend:entry_coauthor", kwargs={"token": token}))

    html = page.content.decode()
    assert sorted(c.kind for c in theirs) == [CertificateKind.PARTICIPANT, CertificateKind.WINNER]
    for certificate in theirs:
        assert coauthor_link_download_url(token, certificate.code) in html
    assert diploma_of(issued).code not in html  # the author's own is not theirs
    response = client.get(coauthor_link_download_url(token, diploma_of(issued, "Dana Co").code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_coauthor_link_download_refuses_other_codes_and_changed_links(client, issued, organiser):
    gold = issued.finalised.gold
    token = coauthor_token(gold, issued.coauthor.email)
    theirs = diploma_of(issued, "Dana Co")

    # The author's certificate, another entry's, a changed token, a token of the author's e-mail.
    assert client.get(coauthor_link_download_url(token, diploma_of(issued).code)).status_code == 404
    assert client.get(coauthor_link_download_url(token[:-2] + "xx", theirs.code)).status_code == 404
    author_token = coauthor_token(gold, gold.author.email)
    assert client.get(coauthor_link_download_url(author_token, diploma_of(issued).code)).status_code == 404
    # A revoked one, and one of a co-author taken off the entry.
    certificate_revoke(actor=organiser, certificate=theirs, reason="Wrong name")
    assert client.get(coauthor_link_download_url(token, theirs.code)).status_code == 404
    participation = Certificate.objects.get(entry=gold, full_name="Dana Co", kind=CertificateKind.PARTICIPANT)
    assert client.get(coauthor_link_download_url(token, participation.code)).status_code == 200
    issued.coauthor.delete()
    assert client.get(coauthor_link_download_url(token, participation.code)).status_code == 404


def test_coauthor_link_download_is_a_404_while_no_result_is_published(client, issued):
    gold = issued.finalised.gold
    token = coauthor_token(gold, issued.coauthor.email)
    theirs = diploma_of(issued, "Dana Co")
    assert client.get(coauthor_link_download_url(token, theirs.code)).status_code == 200

    Results.objects.filter(round__contest=issued.contest).update(published_at=None)

    assert client.get(coauthor_link_download_url(token, theirs.code)).status_code == 404
