"""Reads of certificates, each checking who asks: the holder, the contest's organisers, or anyone with the code."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from certificates.codes import code_normalise
from certificates.enums import CertificateKind
from certificates.models import Certificate, IssueRun
from contest.models import CoAuthor, Contest, Entry
from judging.models import Results


def contest_results_published(contest: Contest) -> bool:
    """Whether a round's results of ``contest`` are published: before that, no certificate exists for anyone."""
    return Results.objects.filter(round__contest=contest, published_at__isnull=False).exists()


def _published() -> Exists:
    """Certificates of contests with published results (a condition on :class:`Certificate`)."""
    return Exists(Results.objects.filter(round__contest=OuterRef("contest"), published_at__isnull=False))


def certificate_by_code(code: str) -> Certificate:
    """The certificate with this verification code (any case), for its public page; 404 for any other code.

    One query whatever is typed, so that the answer's time says nothing about the code.
    """
    certificate = (
        Certificate.objects.filter(_published(), code=code_normalise(code))
        .select_related("contest", "replaced_by")
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def certificates_held(user: Any) -> QuerySet[Certificate]:
    """The person's certificates that count (neither replaced nor revoked) in contests with published results.

    A person holds the certificates issued to their account (an entry's author, a juror) and those of a
    co-author whose e-mail is one of their verified addresses.
    """
    if not user.is_authenticated:
        return Certificate.objects.none()
    # The account's confirmed addresses are read in the same query: the entry page stays one query for them.
    confirmed = EmailAddress.objects.filter(user=user, verified=True, email__iexact=OuterRef("email"))
    held = Q(user=user) | Q(coauthor__isnull=False) & Q(Exists(confirmed)) & ~Q(email="")
    return (
        Certificate.objects.filter(held, _published(), replaced_at__isnull=True, revoked_at__isnull=True)
        .select_related("contest")
        .order_by("kind", "issued_at", "pk")
    )


def certificates_of_entry_for(entry: Entry, user: Any) -> list[Certificate]:
    """The certificates of ``entry`` that ``user`` holds; one or two queries."""
    return list(certificates_held(user).filter(entry=entry))


def certificates_of_coauthor(entry: Entry, coauthor: CoAuthor) -> QuerySet[Certificate]:
    """The certificates that count of ``entry``'s co-author, by their e-mail address, once results are published.

    For a co-author's page reached through their signed link: the link stands for the address.
    """
    if not coauthor.email:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(
            _published(),
            entry=entry,
            coauthor__isnull=False,
            email__iexact=coauthor.email,
            replaced_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("contest")
        .order_by("kind", "issued_at", "pk")
    )


def get_certificate_for_coauthor(entry: Entry, coauthor: CoAuthor, *, code: str) -> Certificate:
    """A certificate of ``entry``'s co-author, for the download through their signed link; 404 for any other."""
    certificate = certificates_of_coauthor(entry, coauthor).filter(code=code_normalise(code)).first()
    if certificate is None or not certificate.pdf:
        raise Http404
    return certificate


def juror_letters_of(user: Any) -> list[Certificate]:
    """The letters of thanks the person holds as a juror (by their account), latest first; one query."""
    if not user.is_authenticated:
        return []
    return list(
        Certificate.objects.filter(
            _published(), user=user, kind=CertificateKind.JUROR, replaced_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("contest")
        .order_by("-issued_at", "-pk")
    )


def get_certificate_for_holder(user: Any, *, code: str) -> Certificate:
    """A certificate the person holds and may download; 404 for anyone else's, as for a missing one."""
    certificate = certificates_held(user).filter(code=code_normalise(code)).first()
    if certificate is None or not certificate.pdf:
        raise Http404
    return certificate


def certificates_for_organiser(contest: Contest, *, kind: str = "") -> QuerySet[Certificate]:
    """Every certificate of the contest, the replaced ones too, with what the organisers' list shows."""
    queryset = (
        Certificate.objects.filter(contest=contest)
        .select_related("entry", "replaced_by", "revoked_by__profile")
        .order_by("kind", "full_name", "issued_at", "pk")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def certificates_current(contest: Contest, *, kind: str = "") -> QuerySet[Certificate]:
    """The contest's certificates that count: neither replaced nor revoked."""
    return certificates_for_organiser(contest, kind=kind).filter(replaced_at__isnull=True, revoked_at__isnull=True)


def get_certificate_for_organiser(contest: Contest, pk: int) -> Certificate:
    """A certificate of the contest; 404 for one of another contest."""
    return get_object_or_404(Certificate.objects.select_related("contest"), pk=pk, contest=contest)


def issue_run_latest(contest: Contest) -> IssueRun | None:
    """The contest's latest bulk issue, running or done."""
    return IssueRun.objects.filter(contest=contest).order_by("-created_at", "-pk").first()


def certificates_of_entry_for_organiser(entry: Entry) -> list[Certificate]:
    """Every certificate issued for the entry (its authors'), the replaced and revoked ones too; one query."""
    return list(
        Certificate.objects.filter(entry=entry)
        .select_related("replaced_by", "revoked_by__profile")
        .order_by("kind", "full_name", "issued_at", "pk")
    )
