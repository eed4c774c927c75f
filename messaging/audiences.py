"""Whom a message goes to: the groups an organiser chooses, and the people they are, each once.

Groups of entries (their union): drafts, submitted entries, entries shortlisted or not shortlisted in a
round, finalists (entries of a round built from a shortlist), award winners (entries given an award in
finalised results). Withdrawn entries are in none of them. The entries may be narrowed to universities
(the author's university for the entry) and nominations; the message goes to their authors, their
co-authors, or both. Jurors are a group of their own: all of the contest's, or those of a round with
reviews still to submit. Accounts an administrator deactivated are left out.

A person in several groups is written to once. A co-author whose address an account has confirmed is
that account's person; another co-author is written to at the address the entry gives, in the language
of the entry's author.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from contest.enums import EntryStatus
from contest.mail import person_language
from contest.models import CoAuthor, Contest, Entry, Nomination, University
from contest.names import person_name
from contest.selectors import entry_university_of_author, universities_of_contest
from judging.enums import RoundStatus
from judging.models import Award, Juror, Round, RoundEntry
from judging.progress import unfinished_jurors

#: The groups of entries, in the order the form and the summaries show them.
ENTRY_GROUPS = ("drafts", "submitted", "finalists", "winners")
ROUND_GROUPS = ("shortlisted_round", "not_shortlisted_round")


@dataclass(frozen=True)
class Audience:
    """The groups a message goes to, as stored in ``Message.audience``."""

    drafts: bool = False
    submitted: bool = False
    finalists: bool = False
    winners: bool = False
    shortlisted_round: int | None = None
    not_shortlisted_round: int | None = None
    universities: tuple[int, ...] = ()
    nominations: tuple[int, ...] = ()
    authors: bool = True
    coauthors: bool = False
    jurors: bool = False
    jurors_behind_round: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Audience:
        """The audience stored as ``data``; anything unknown or malformed is left out."""
        data = data or {}

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def numbers(key: str) -> tuple[int, ...]:
            values = data.get(key) or []
            return tuple(sorted({v for v in values if isinstance(v, int) and not isinstance(v, bool)}))

        return cls(
            **{name: data.get(name) is True for name in (*ENTRY_GROUPS, "coauthors", "jurors")},
            authors=data.get("authors", True) is True,
            shortlisted_round=number("shortlisted_round"),
            not_shortlisted_round=number("not_shortlisted_round"),
            jurors_behind_round=number("jurors_behind_round"),
            universities=numbers("universities"),
            nominations=numbers("nominations"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in (*ENTRY_GROUPS, *ROUND_GROUPS, "authors", "coauthors")},
            "universities": list(self.universities),
            "nominations": list(self.nominations),
            "jurors": self.jurors,
            "jurors_behind_round": self.jurors_behind_round,
        }

    @property
    def has_entries(self) -> bool:
        """Whether a group of entries is chosen."""
        return any(getattr(self, name) for name in ENTRY_GROUPS) or any(
            getattr(self, name) is not None for name in ROUND_GROUPS
        )

    @property
    def has_jurors(self) -> bool:
        return self.jurors or self.jurors_behind_round is not None


def audience_check(contest: Contest, audience: Audience) -> list[str]:
    """What is wrong with ``audience`` for ``contest``, one message each; empty when it is right."""
    problems: list[str] = []
    if not audience.has_entries and not audience.has_jurors:
        problems.append(_("Choose at least one group of people to write to."))
    if audience.has_entries and not (audience.authors or audience.coauthors):
        problems.append(_("Choose whom of these entries to write to: their authors, their co-authors or both."))
    if not audience.has_entries and (audience.universities or audience.nominations or audience.coauthors):
        problems.append(_("Universities, nominations and co-authors narrow a group of entries: choose one too."))
    rounds = {
        pk
        for pk in (audience.shortlisted_round, audience.not_shortlisted_round, audience.jurors_behind_round)
        if pk is not None
    }
    if rounds and Round.objects.filter(contest=contest, pk__in=rounds).count() != len(rounds):
        problems.append(_("Choose a round of this contest."))
    nominations = Nomination.objects.filter(contest=contest, pk__in=audience.nominations).count()
    if nominations != len(audience.nominations):
        problems.append(_("Choose nominations of this contest."))
    universities = universities_of_contest(contest).filter(pk__in=audience.universities).count()
    if universities != len(audience.universities):
        problems.append(_("Choose universities of this contest."))
    return problems


@dataclass
class Person:
    """Someone a message goes to, with what its placeholders say for them."""

    address: str
    name: str
    language: str
    user_id: int | None = None
    entries: list[Entry] = field(default_factory=list)
    deadline: datetime | None = None

    @property
    def key(self) -> str:
        """Who they are among the message's people: their address in lower case."""
        return self.address

    def add_entry(self, entry: Entry) -> None:
        if all(entry.pk != mine.pk for mine in self.entries):
            self.entries.append(entry)
            self.entries.sort(key=lambda mine: mine.code)

    def values(self) -> dict[str, str]:
        """The values of the placeholders but the contest's and the deadline's (which depend on the language)."""
        return {
            "name": self.name,
            "entry_code": ", ".join(entry.code for entry in self.entries),
            "entry_title": "; ".join(entry.title for entry in self.entries),
            "deadline": self.deadline.isoformat() if self.deadline else "",
        }


def audience_entries(contest: Contest, audience: Audience) -> QuerySet[Entry]:
    """The entries of the chosen groups, narrowed to the chosen universities and nominations."""
    if not audience.has_entries:
        return Entry.objects.none()
    groups = Q(pk__in=[])
    submitted = Q(status=EntryStatus.SUBMITTED)
    if audience.drafts:
        groups |= Q(status=EntryStatus.DRAFT)
    if audience.submitted:
        groups |= submitted
    if audience.shortlisted_round is not None:
        links = RoundEntry.objects.filter(round_id=audience.shortlisted_round, shortlisted=True)
        groups |= submitted & Q(pk__in=links.values("entry_id"))
    if audience.not_shortlisted_round is not None:
        links = RoundEntry.objects.filter(round_id=audience.not_shortlisted_round, shortlisted=False)
        groups |= submitted & Q(pk__in=links.values("entry_id"))
    if audience.finalists:
        links = RoundEntry.objects.filter(round__contest=contest, round__source_round__isnull=False)
        groups |= submitted & Q(pk__in=links.values("entry_id"))
    if audience.winners:
        groups |= submitted & Q(pk__in=Award.objects.filter(results__round__contest=contest).values("entry_id"))
    entries = Entry.objects.filter(groups, contest=contest)
    if audience.nominations:
        entries = entries.filter(nomination_id__in=audience.nominations)
    if audience.universities:
        entries = entries.alias(university=entry_university_of_author()).filter(university__in=audience.universities)
    return entries.select_related("author__profile").order_by("code")


def _confirmed_accounts(addresses: Iterable[str]) -> dict[str, Any]:
    """The accounts that confirmed each of ``addresses`` (lower case), by address."""
    found = (
        EmailAddress.objects.annotate(lower=Lower("email"))
        .filter(verified=True, lower__in=list(addresses))
        .select_related("user__profile")
    )
    return {row.lower: row.user for row in found}


class _People:
    """The people found so far, each once, by their address."""

    def __init__(self) -> None:
        self.by_address: dict[str, Person] = {}

    def account(self, user: Any, *, deadline: datetime | None) -> Person | None:
        address = (user.email or "").strip().lower()
        # An account an administrator deactivated is written to no more.
        if not address or not user.is_active:
            return None
        if address not in self.by_address:
            self.by_address[address] = Person(
                address=address,
                name=person_name(user),
                language=person_language(user),
                user_id=user.pk,
                deadline=deadline,
            )
        return self.by_address[address]

    def address(self, address: str, *, name: str, language: str, deadline: datetime | None) -> Person:
        if address not in self.by_address:
            self.by_address[address] = Person(address=address, name=name, language=language, deadline=deadline)
        return self.by_address[address]


def _jurors_deadline(contest: Contest, audience: Audience) -> datetime | None:
    """The closing time of the round the jurors are written to about, else of the contest's latest open round."""
    rounds = Round.objects.filter(contest=contest, closes_at__isnull=False)
    behind = audience.jurors_behind_round
    if behind is not None:
        rounds = rounds.filter(pk=behind)
    else:
        rounds = rounds.filter(status=RoundStatus.OPEN).order_by("-number")
    return rounds.values_list("closes_at", flat=True).first()


def audience_people(contest: Contest, audience: Audience) -> list[Person]:
    """Everyone ``audience`` names, each once, by name then address."""
    people = _People()
    entries = list(audience_entries(contest, audience))
    deadline = contest.submissions_close
    if audience.authors:
        for entry in entries:
            person = people.account(entry.author, deadline=deadline)
            if person is not None:
                person.add_entry(entry)
    if audience.coauthors and entries:
        by_id = {entry.pk: entry for entry in entries}
        coauthors = list(
            CoAuthor.objects.filter(entry_id__in=list(by_id)).exclude(email="").order_by("entry_id", "order", "pk")
        )
        accounts = _confirmed_accounts(coauthor.email.strip().lower() for coauthor in coauthors)
        for coauthor in coauthors:
            entry = by_id[coauthor.entry_id]
            address = coauthor.email.strip().lower()
            account = accounts.get(address)
            if account is not None and not account.is_active:
                continue
            found = people.account(account, deadline=deadline) if account is not None else None
            if found is None:
                found = people.address(
                    address,
                    name=coauthor.full_name,
                    language=person_language(entry.author),
                    deadline=deadline,
                )
            found.add_entry(entry)
    if audience.has_jurors:
        jurors: QuerySet[Juror]
        behind = audience.jurors_behind_round
        round = Round.objects.filter(contest=contest, pk=behind).first() if behind is not None else None
        if audience.jurors:
            jurors = Juror.objects.filter(contest=contest)
        elif round is not None:
            jurors = unfinished_jurors(round)
        else:
            # The round was deleted after the draft was written.
            jurors = Juror.objects.none()
        closes = _jurors_deadline(contest, audience)
        for juror in jurors.select_related("user__profile").order_by("pk"):
            people.account(juror.user, deadline=closes)
    return sorted(people.by_address.values(), key=lambda person: (person.name.lower(), person.address))


@dataclass(frozen=True)
class Names:
    """The names of a contest's rounds, universities and nominations, to describe audiences in 3 queries."""

    rounds: dict[int, str]
    universities: dict[int, str]
    nominations: dict[int, str]

    @classmethod
    def of(cls, contest: Contest) -> Names:
        return cls(
            rounds={round.pk: str(round) for round in Round.objects.filter(contest=contest)},
            universities={u.pk: str(u) for u in University.objects.filter(pk__in=universities_of_contest(contest))},
            nominations={n.pk: str(n) for n in Nomination.objects.filter(contest=contest)},
        )


def audience_summary(audience: Audience, names: Names) -> str:
    """The groups of ``audience`` in words, in the active language."""
    parts: list[str] = []
    labels = {
        "drafts": _("participants with drafts"),
        "submitted": _("participants with submitted entries"),
        "finalists": _("finalists"),
        "winners": _("award winners"),
    }
    parts.extend(str(labels[name]) for name in ENTRY_GROUPS if getattr(audience, name))
    if audience.shortlisted_round is not None:
        parts.append(_("shortlisted in %(round)s") % {"round": names.rounds.get(audience.shortlisted_round, "?")})
    if audience.not_shortlisted_round is not None:
        parts.append(
            _("not shortlisted in %(round)s") % {"round": names.rounds.get(audience.not_shortlisted_round, "?")}
        )
    narrowed: list[str] = []
    if audience.has_entries:
        if audience.universities:
            chosen = ", ".join(names.universities.get(pk, "?") for pk in audience.universities)
            narrowed.append(_("universities: %(names)s") % {"names": chosen})
        if audience.nominations:
            chosen = ", ".join(names.nominations.get(pk, "?") for pk in audience.nominations)
            narrowed.append(_("nominations: %(names)s") % {"names": chosen})
        if audience.coauthors and audience.authors:
            narrowed.append(_("authors and co-authors"))
        elif audience.coauthors:
            narrowed.append(_("co-authors only"))
    if narrowed:
        parts[-1] = f"{parts[-1]} ({'; '.join(narrowed)})" if parts else "; ".join(narrowed)
    if audience.jurors:
        parts.append(_("all jurors"))
    elif audience.jurors_behind_round is not None:
        parts.append(
            _("jurors with unfinished reviews in %(round)s")
            % {"round": names.rounds.get(audience.jurors_behind_round, "?")}
        )
    return "; ".join(parts)
