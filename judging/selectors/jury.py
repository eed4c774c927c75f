"""The jury and its conflicts: a person's seat, who wrote which entry, why a juror may not review one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contest.models import CoAuthor, Contest, Entry
from judging.models import Conflict, Juror


def juror_of(user: Any, contest: Contest) -> Juror | None:
    """The user's seat on the contest's jury, if they have one."""
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(contest=contest, user=user).first()


def entry_universities(entry_ids: Iterable[int] | QuerySet[Any]) -> dict[int, set[int]]:
    """The universities of every author of each entry, as the entry records them (2 queries).

    The author's university is the one taken when the entry was submitted (``Entry.author_university``), never
    the author's profile, which may change afterwards; the co-authors' are on the entry's own co-author rows.
    """
    ids = entry_ids if isinstance(entry_ids, QuerySet) else list(entry_ids)
    universities: dict[int, set[int]] = defaultdict(set)
    for entry_id, university_id in Entry.objects.filter(pk__in=ids).values_list("pk", "author_university_id"):
        found = universities.setdefault(entry_id, set())  # every entry has a key, even without a university
        if university_id is not None:
            found.add(university_id)
    coauthors = CoAuthor.objects.filter(entry_id__in=ids, university__isnull=False)
    for entry_id, university_id in coauthors.values_list("entry_id", "university_id"):
        universities[entry_id].add(university_id)
    return dict(universities)


def _addresses_of(user_ids: Collection[int]) -> dict[int, set[str]]:
    """Every e-mail address of each person in lower case, the account's own and every one allauth keeps (1 query)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .annotate(own=Lower("email"), kept=Lower("emailaddress__email"))
        .values_list("pk", "own", "kept")
    )
    for user_id, own, kept in rows:
        found[user_id].update(address for address in (own, kept) if address)
    return found


def _entrants(jurors: Iterable[Juror], entries: Iterable[int] | QuerySet[Any]) -> dict[tuple[int, int], str]:
    """(juror id, entry id) → the entry's code, where the juror wrote or co-wrote the entry (3 queries)."""
    seats = list(jurors)
    if not seats:
        return {}
    ids = entries if isinstance(entries, QuerySet) else list(entries)
    by_user: dict[int, set[int]] = defaultdict(set)
    for seat in seats:
        by_user[seat.user_id].add(seat.pk)
    by_address: dict[str, set[int]] = defaultdict(set)
    for user_id, addresses in _addresses_of(set(by_user)).items():
        for address in addresses:
            by_address[address] |= by_user[user_id]
    found: dict[tuple[int, int], str] = {}
    authored = (
        Entry.objects.filter(pk__in=ids)
        .annotate(address=Lower("author__email"))
        .filter(Q(author_id__in=list(by_user)) | Q(address__in=list(by_address)))
        .values_list("pk", "code", "author_id", "address")
    )
    for entry_id, code, author_id, address in authored:
        for juror_id in by_user.get(author_id, set()) | by_address.get(address, set()):
            found[(juror_id, entry_id)] = code
    if by_address:
        coauthors = (
            CoAuthor.objects.filter(entry_id__in=ids)
            .annotate(address=Lower("email"))
            .filter(address__in=list(by_address))
            .values_list("entry_id", "entry__code", "address")
        )
        for entry_id, code, address in coauthors:
            found.update(((juror_id, entry_id), code) for juror_id in by_address[address])
    return found


def entrant_pairs(jurors: Iterable[Juror], entries: Iterable[int] | QuerySet[Any]) -> set[tuple[int, int]]:
    """(juror id, entry id) pairs where the juror wrote or co-wrote the entry, among ``entries`` (3 queries).

    A juror is an entrant of an entry when their account is its author's, or when one of their e-mail
    addresses (the account's, or any allauth keeps for it, verified or not; case aside) is the author's or
    a co-author's.
    """
    return set(_entrants(jurors, entries))


def entrant_condition(user_id: int, *, entry_id: str = "pk", author_id: str = "author_id") -> Q:
    """The rule of :func:`entrant_pairs` for one person, as a condition on entries checked inside any query.

    ``entry_id`` and ``author_id`` name the entry's id and its author's id in the queried model: on
    assignments, ``entry_id`` and ``entry__author_id``.
    """
    own = get_user_model().objects.filter(pk=user_id).exclude(email="").annotate(address=Lower("email"))
    kept = EmailAddress.objects.filter(user_id=user_id).exclude(email="").annotate(address=Lower("email"))

    def named(people: QuerySet[Any]) -> QuerySet[Any]:
        addresses = people.annotate(address=Lower("email")).order_by()
        return addresses.filter(Q(address__in=own.values("address")) | Q(address__in=kept.values("address")))

    author = get_user_model().objects.filter(pk=OuterRef(author_id))
    coauthors = CoAuthor.objects.filter(entry_id=OuterRef(entry_id))
    return Q(**{author_id: user_id}) | Q(Exists(named(author))) | Q(Exists(named(coauthors)))


def juror_is_entrant(juror: Juror, entry: Entry) -> bool:
    """Whether ``juror`` wrote or co-wrote ``entry``, as :func:`entrant_pairs` tells (one query)."""
    return Entry.objects.filter(entrant_condition(juror.user_id), pk=entry.pk).exists()


@dataclass(frozen=True)
class JurorEntrant:
    """A juror of the contest who is also an author or co-author of some of its entries."""

    juror: Juror
    codes: list[str]


def jurors_who_entered(contest: Contest, jurors: Iterable[Juror] | None = None) -> list[JurorEntrant]:
    """The contest's jurors (or ``jurors`` of it) who wrote or co-wrote one of its entries, with the entries' codes.

    Three queries, and one more for the jury when ``jurors`` is not given.
    """
    if jurors is None:
        jurors = Juror.objects.filter(contest=contest).select_related("user__profile").order_by("pk")
    seats = list(jurors)
    codes: dict[int, list[str]] = defaultdict(list)
    for (juror_id, _entry_id), code in _entrants(seats, Entry.objects.filter(contest=contest).values("pk")).items():
        codes[juror_id].append(code)
    return [JurorEntrant(juror=juror, codes=sorted(codes[juror.pk])) for juror in seats if juror.pk in codes]


def juror_conflict_reason(juror: Juror, entry: Entry) -> str | None:
    """Why ``juror`` may not review ``entry`` (they wrote it, share an author's university, declared it), else None."""
    if juror_is_entrant(juror, entry):
        return _("%(juror)s is an author or co-author of this entry.") % {"juror": juror}
    universities = entry_universities([entry.pk]).get(entry.pk, set())
    if juror.university_id is not None and juror.university_id in universities:
        return _("%(juror)s is from the same university as an author of this entry.") % {"juror": juror}
    declared = juror.conflicts.filter(Q(entry=entry) | Q(university_id__in=universities))
    if declared.exists():
        return _("%(juror)s has declared a conflict of interest with this entry.") % {"juror": juror}
    return None


def juror_has_accepted(juror: Juror) -> bool:
    """Whether the juror has taken their seat: opened the jury's welcome page after the invitation."""
    return juror.accepted_at is not None


def jury_of(contest: Contest) -> QuerySet[Juror]:
    """The contest's jurors with their person, university and declared conflicts, in the order they joined."""
    return (
        Juror.objects.filter(contest=contest)
        .select_related("user__profile", "university", "contest")
        .prefetch_related(
            Prefetch("conflicts", queryset=Conflict.objects.select_related("entry", "university").order_by("id"))
        )
        .order_by("id")
    )


def get_juror_for_organiser(contest: Contest, pk: int) -> Juror:
    """A juror of the contest as :func:`jury_of` reads them; 404 for a juror of another contest."""
    juror = get_object_or_404(jury_of(contest), pk=pk)
    juror.contest = contest
    return juror


def jurors_of_contest(contest: Contest) -> QuerySet[Juror]:
    """The contest's jurors with their person and university, in the order they joined (no conflicts)."""
    return Juror.objects.filter(contest=contest).select_related("user__profile", "university").order_by("pk")


def get_conflict_for_organiser(contest: Contest, pk: int) -> Conflict:
    """A declared conflict of a juror of the contest, with the juror's person; 404 for another contest's."""
    return get_object_or_404(Conflict.objects.select_related("juror__user__profile"), pk=pk, juror__contest=contest)


def has_jury_seat(user: Any) -> bool:
    """Whether the person sits on any contest's jury."""
    return bool(user.is_authenticated) and Juror.objects.filter(user=user).exists()


def seats_of(user: Any) -> list[Juror]:
    """The person's seats on juries, with their contests and declared conflicts, newest contest first."""
    if not user.is_authenticated:
        return []
    return list(
        Juror.objects.filter(user=user)
        .select_related("contest", "university")
        .prefetch_related(
            Prefetch("conflicts", queryset=Conflict.objects.select_related("entry", "university").order_by("id"))
        )
        .order_by("-contest__submissions_open", "contest_id")
    )
