"""Who is due which certificate once a contest's results are published, and what each one says.

- Winners: every author and co-author of an entry given an award (a place in a nomination or a special
  award) in a round whose results are published; one diploma per award.
- Finalists: every author and co-author of an entry of a round built from a shortlist (a round with a
  source round) whose results are published, and which got no award: one certificate per entry.
- Participants: every author and co-author of a submitted entry with at least one submitted review
  (set-aside reviews do not count) in any round: one certificate per entry.
- Jurors: every juror with at least one submitted review: a letter of thanks with the number of
  entries they scored (each entry once, however many rounds it had).

A holder's language is their account's profile language; a co-author's is that of the account whose
verified e-mail is theirs, else the entry author's. Nothing is due before a result is published.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.enums import CertificateKind
from contest.enums import EntryStatus
from contest.mail import person_language
from contest.models import CoAuthor, Contest, Entry, Nomination
from contest.names import person_name
from contest.texts import TEXT_LANGUAGES
from judging.enums import ReviewStatus
from judging.models import Award, Juror, Results, RoundEntry
from judging.services.publication import award_name


@dataclass(frozen=True)
class Due:
    """A certificate someone is due: whose, for what, and what it says in every language."""

    kind: str
    key: str
    full_name: str
    email: str
    language: str
    details: dict[str, Any]
    user_id: int | None = None
    entry_id: int | None = None
    coauthor_id: int | None = None
    juror_id: int | None = None
    award_id: int | None = None

    @property
    def fingerprint(self) -> str:
        """A hash of what the certificate says: when it changes, the certificate is issued again."""
        said = {"kind": self.kind, "name": self.full_name, "language": self.language, "details": self.details}
        return hashlib.sha256(json.dumps(said, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def published_results(contest: Contest) -> list[Results]:
    """The contest's results that are published, with their rounds."""
    return list(
        Results.objects.filter(round__contest=contest, published_at__isnull=False)
        .select_related("round")
        .order_by("round__number")
    )


def _by_language(obj: Any, attribute: str) -> dict[str, str]:
    texts = {}
    for language in TEXT_LANGUAGES:
        with translation.override(language):
            texts[language] = str(getattr(obj, attribute) or "")
    return texts


def award_phrase(award: Award, nomination: Nomination) -> str:
    """What a winner's diploma is for, in the active language: the place and nomination, or the special award."""
    if award.place is not None:
        return _("%(place)s in the nomination “%(nomination)s”") % {
            "place": award_name(award),
            "nomination": nomination.name,
        }
    return _("the special award “%(award)s”") % {"award": award_name(award)}


def _phrases(award: Award, nomination: Nomination) -> dict[str, str]:
    phrases = {}
    for language in TEXT_LANGUAGES:
        with translation.override(language):
            phrases[language] = award_phrase(award, nomination)
    return phrases


@dataclass(frozen=True)
class _Holder:
    suffix: str
    full_name: str
    email: str
    language: str
    user_id: int | None = None
    coauthor_id: int | None = None


class _Languages:
    """The language of each co-author: their verified account's, else the entry author's; one query for all."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        emails = {c.email.strip().lower() for entry in entries for c in entry.coauthors.all() if c.email}
        self.of_email: dict[str, str] = {}
        if emails:
            for address in (
                EmailAddress.objects.annotate(lower=Lower("email"))
                .filter(verified=True, lower__in=emails)
                .select_related("user__profile")
                .order_by("pk")
            ):
                self.of_email.setdefault(address.email.lower(), person_language(address.user))

    def holders(self, entry: Entry) -> list[_Holder]:
        """The entry's author, then its co-authors, in their order."""
        author = entry.author
        language = person_language(author)
        holders = [
            _Holder(
                suffix=f"user-{author.pk}",
                full_name=person_name(author),
                email=author.email,
                language=language,
                user_id=author.pk,
            )
        ]
        for coauthor in entry.coauthors.all():
            email = coauthor.email.strip()
            holders.append(
                _Holder(
                    suffix=f"coauthor-{coauthor.pk}",
                    full_name=coauthor.full_name,
                    email=email,
                    language=self.of_email.get(email.lower(), language),
                    coauthor_id=coauthor.pk,
                )
            )
        return holders


def _entries(queryset: Any) -> Any:
    return queryset.select_related("author__profile", "nomination").prefetch_related(
        Prefetch("coauthors", queryset=CoAuthor.objects.order_by("order", "pk"))
    )


def _entry_due(
    kind: str,
    key: str,
    holder: _Holder,
    entry: Entry,
    contest_names: dict[str, str],
    *,
    award_id: int | None = None,
    **details: Any,
) -> Due:
    return Due(
        kind=kind,
        key=f"{key}/{holder.suffix}",
        full_name=holder.full_name,
        email=holder.email,
        language=holder.language,
        user_id=holder.user_id,
        coauthor_id=holder.coauthor_id,
        entry_id=entry.pk,
        award_id=award_id,
        details={
            "contest": contest_names,
            "entry_title": entry.title,
            "entry_code": entry.code,
            "nomination": _by_language(entry.nomination, "name"),
            **details,
        },
    )


def certificates_due(contest: Contest, kind: str | None = None) -> list[Due]:
    """Every certificate due in ``contest`` (of ``kind`` only, when given), by kind; none before publication."""
    results = published_results(contest)
    if not results:
        return []
    contest_names = _by_language(contest, "name")
    kinds = [kind] if kind else list(CertificateKind.values)
    due: list[Due] = []
    awards = list(
        Award.objects.filter(results__in=results, entry__status=EntryStatus.SUBMITTED, entry__disqualified_at=None)
        .select_related("nomination", "entry__nomination", "entry__author__profile")
        .prefetch_related(Prefetch("entry__coauthors", queryset=CoAuthor.objects.order_by("order", "pk")))
        .order_by("results__round__number", "order", "pk")
    )
    if CertificateKind.WINNER in kinds:
        languages = _Languages(award.entry for award in awards)
        for award in awards:
            nomination = award.nomination or award.entry.nomination
            for holder in languages.holders(award.entry):
                due.append(
                    _entry_due(
                        CertificateKind.WINNER,
                        f"winner/award-{award.pk}",
                        holder,
                        award.entry,
                        contest_names,
                        award=_phrases(award, nomination),
                        award_id=award.pk,
                        nomination=_by_language(nomination, "name"),
                    )
                )
    if CertificateKind.FINALIST in kinds:
        awarded = {award.entry_id for award in awards}
        final_rounds = [item.round_id for item in results if item.round.source_round_id is not None]
        entry_ids = (
            RoundEntry.objects.filter(round_id__in=final_rounds).exclude(entry_id__in=awarded).values("entry_id")
        )
        entries = list(_entries(Entry.objects.filter(pk__in=entry_ids).eligible()).order_by("code"))
        languages = _Languages(entries)
        for entry in entries:
            for holder in languages.holders(entry):
                due.append(
                    _entry_due(CertificateKind.FINALIST, f"finalist/entry-{entry.pk}", holder, entry, contest_names)
                )
    if CertificateKind.PARTICIPANT in kinds:
        judged = Entry.objects.filter(contest=contest, reviews__status=ReviewStatus.SUBMITTED).eligible().values("pk")
        entries = list(_entries(Entry.objects.filter(pk__in=judged)).order_by("code"))
        languages = _Languages(entries)
        for entry in entries:
            for holder in languages.holders(entry):
                due.append(
                    _entry_due(
                        CertificateKind.PARTICIPANT, f"participant/entry-{entry.pk}", holder, entry, contest_names
                    )
                )
    if CertificateKind.JUROR in kinds:
        jurors = (
            Juror.objects.filter(contest=contest)
            .annotate(scored=Count("reviews__entry", filter=Q(reviews__status=ReviewStatus.SUBMITTED), distinct=True))
            .filter(scored__gt=0)
            .select_related("user__profile")
            .order_by("pk")
        )
        for juror in jurors:
            due.append(
                Due(
                    kind=CertificateKind.JUROR,
                    key=f"juror/juror-{juror.pk}",
                    full_name=person_name(juror.user),
                    email=juror.user.email,
                    language=person_language(juror.user),
                    user_id=juror.user_id,
                    juror_id=juror.pk,
                    details={"contest": contest_names, "entries_scored": juror.scored},
                )
            )
    return due
