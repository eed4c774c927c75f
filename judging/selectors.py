"""Reads for judging: the rubric, rounds, a juror's work, and look-ups that check who is asking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Field,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, Contest, ContestRole, Entry, Platform
from contest.selectors import get_contest_for_organiser
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Criterion, CriterionLevel, Juror, Review, Round, RoundJuror, Rubric


def rubric_of(contest: Contest) -> Rubric | None:
    """The contest's rubric with its criteria and their level descriptors, or ``None``."""
    return (
        Rubric.objects.filter(contest=contest)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.order_by("order", "id").prefetch_related(
                    Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
                ),
            )
        )
        .first()
    )


def criteria_of(contest: Contest) -> QuerySet[Criterion]:
    return Criterion.objects.filter(rubric__contest=contest).order_by("order", "id")


def rubric_criteria(contest: Contest) -> list[Criterion]:
    """The criteria of the contest's rubric in order, with their level descriptors: what a juror scores (2 queries)."""
    levels = Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
    return list(criteria_of(contest).prefetch_related(levels))


def rounds_of(contest: Contest) -> QuerySet[Round]:
    """The contest's rounds in order, with how many entries, jurors and assignments each has."""
    return (
        Round.objects.filter(contest=contest)
        .annotate(
            entry_count=Count("round_entries", distinct=True),
            juror_count=Count("round_jurors", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("number")
    )


def entries_without_round(contest: Contest) -> list[Entry]:
    """The contest's submitted entries that no round of it judges, by code: they would never be judged."""
    return list(
        Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
        .exclude(round_links__round__contest=contest)
        .order_by("code")
    )


def round_entries_short(round: Round) -> list[tuple[Entry, int]]:
    """The round's entries with fewer jurors than it asks for (for "all jurors": none), each with its count."""
    entries = (
        Entry.objects.filter(round_links__round=round)
        .annotate(assigned=Count("jury_assignments", filter=Q(jury_assignments__round=round)))
        .order_by("code")
    )
    needed = round.reviews_per_entry or 1
    return [(entry, entry.assigned) for entry in entries if entry.assigned < needed]


def get_round_for_organiser(user: Any, *, contest_slug: str, number: int) -> Round:
    """A round of the contest, if the person may manage the contest's judging; 404 for a round it does not have."""
    contest = get_contest_for_organiser(user, slug=contest_slug, permission="judging.manage_judging")
    round = get_object_or_404(Round.objects.select_related("source_round"), contest=contest, number=number)
    round.contest = contest
    return round


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


def round_loads(round: Round) -> list[tuple[Juror, int]]:
    """Every juror of the round with the number of entries assigned to them, in the jury's order."""
    jurors = (
        Juror.objects.filter(round_links__round=round)
        .select_related("user__profile", "university")
        .annotate(load=Count("assignments", filter=Q(assignments__round=round)))
        .order_by("id")
    )
    return [(juror, juror.load) for juror in jurors]


def assignments_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round with their entries and review status, in a fixed number of queries."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(round=round, juror__user=user)
        .select_related("entry__media", "entry__nomination")
        .prefetch_related("entry__platforms")
        .order_by("entry__code")
    )


def juror_progress(user: Any, round: Round) -> tuple[int, int]:
    """(submitted reviews, assigned entries) of a juror in a round: "x of y scored", as the panel counts it."""
    worklist = juror_worklist(user, round)
    return worklist.scored, worklist.total


def get_assignment_for_juror(user: Any, *, round: Round, entry_code: str) -> Assignment:
    """The juror's assignment to an entry of the round, or 404: an entry not assigned to them looks missing."""
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.filter(round=round, juror__user=user, entry__code=entry_code)
        .select_related("entry", "juror", "round")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def get_opened_assignment_for_juror(user: Any, *, round_id: int, entry_code: str) -> Assignment:
    """In one query: the juror's assignment to an entry of a round that has been opened, or 404 like a missing one."""
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.filter(round_id=round_id, juror__user=user, entry__code=entry_code)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("entry", "juror", "round__contest")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def review_total(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> Decimal | None:
    """A review's total ``T = 100 · Σ w·s/M / Σ w`` (0–100) from scores by criterion id; ``None`` if one is missing."""
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        if criterion.pk not in scores:
            return None
        weighted += criterion.weight * Decimal(scores[criterion.pk]) / Decimal(criterion.max_score)
        weights += criterion.weight
    if weights == 0:
        return None
    return 100 * weighted / weights


# --- The jury panel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Panels:
    """The panels a person may open beside the participant's pages: the links of the menu."""

    jury: bool
    organiser: bool


@cache
def _panels_statement() -> str:
    """The statement of :func:`user_panels`, with the tables and columns the models name."""
    quote = connection.ops.quote_name

    def column(model: type[Juror | ContestRole], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column is not None
        return quote(field.column)

    seats, roles = quote(Juror._meta.db_table), quote(ContestRole._meta.db_table)
    seat_user, role_user, role = column(Juror, "user"), column(ContestRole, "user"), column(ContestRole, "role")
    # Only names from the models are formatted in; the values are bound parameters.
    return (
        f"SELECT EXISTS (SELECT 1 FROM {seats} WHERE {seat_user} = %s),"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {roles} WHERE {role_user} = %s AND {role} = %s)"
    )


def user_panels(user: Any) -> Panels:
    """Whether the person has a seat on some contest's jury and organises some contest, in one query.

    A visitor costs no query; a superuser organises every contest. Every page asks this for its menu,
    so it is one plain statement: built through the ORM, it would cost several times the query itself.
    """
    if not user.is_authenticated:
        return Panels(jury=False, organiser=False)
    with connection.cursor() as cursor:
        cursor.execute(_panels_statement(), [user.pk, user.pk, Role.ORGANISER.value])
        jury, organiser = cursor.fetchone()
    return Panels(jury=bool(jury), organiser=bool(organiser) or user.is_superuser)


def rounds_of_juror(user: Any) -> list[Round]:
    """The rounds the person judges that have been opened, with ``assigned`` and ``scored`` counts, newest first."""
    if not user.is_authenticated:
        return []
    # Unordered: the models' own ordering would join the contest, round and entry into each count.
    own = Assignment.objects.filter(round=OuterRef("pk"), juror__user=user).order_by()
    submitted = Review.objects.filter(
        round=OuterRef("pk"),
        juror__user=user,
        status=ReviewStatus.SUBMITTED,
        entry__round_links__round=OuterRef("pk"),  # a withdrawn entry's reviews are kept aside
    ).order_by()
    return list(
        Round.objects.filter(round_jurors__juror__user=user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("contest")
        .annotate(
            assigned=Coalesce(Subquery(own.values("round").annotate(n=Count("pk")).values("n")[:1]), 0),
            scored=Coalesce(Subquery(submitted.values("round").annotate(n=Count("pk")).values("n")[:1]), 0),
        )
        .order_by("-contest__submissions_open", "contest_id", "number")
    )


def get_round_for_juror(user: Any, *, round_id: int) -> Round:
    """A round the person sits on as a juror, once opened; 404 otherwise (a round being prepared too)."""
    if not user.is_authenticated:
        raise Http404
    round = (
        Round.objects.filter(pk=round_id, round_jurors__juror__user=user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("contest")
        .first()
    )
    if round is None:
        raise Http404
    return round


def _review_status() -> Subquery:
    """The status of the juror's own review of an assignment's entry, ``None`` before they start it."""
    own = Review.objects.filter(
        round_id=OuterRef("round_id"), juror_id=OuterRef("juror_id"), entry_id=OuterRef("entry_id")
    )
    # A juror has at most one review of an entry in a round: the reviews' own ordering would only add joins.
    return Subquery(own.order_by().values("status")[:1])


def worklist_of_juror(user: Any, round: Round) -> QuerySet[Assignment]:
    """A juror's assignments in a round annotated with ``review_status`` (``None``: not started), by entry code."""
    return assignments_of_juror(user, round).annotate(review_status=_review_status())


#: Narrows a juror's worklist to the assignments their list shows (the list's filters).
Narrowing = Callable[[QuerySet[Assignment]], QuerySet[Assignment]]


def _shown(user: Any, round: Round, narrow: Narrowing | None) -> Value | ExpressionWrapper:
    """Whether an assignment is one that ``narrow`` keeps of the juror's worklist; every one without it."""
    if narrow is None:
        return Value(True, output_field=BooleanField())
    kept = narrow(worklist_of_juror(user, round)).values("pk")
    return ExpressionWrapper(Q(pk__in=kept), output_field=BooleanField())


@dataclass(frozen=True)
class Worklist:
    """A juror's entries of a round as their list shows them, and "x of y scored" over all their entries."""

    assignments: list[Assignment]
    scored: int
    total: int


def juror_worklist(user: Any, round: Round, *, narrow: Narrowing | None = None) -> Worklist:
    """The assignments of :func:`worklist_of_juror` that ``narrow`` keeps, and the counts over them all.

    One query for the whole list (and one for the entries' platforms), whatever the filters.
    """
    rows = list(
        assignments_of_juror(user, round).annotate(review_status=_review_status(), shown=_shown(user, round, narrow))
    )
    return Worklist(
        assignments=[row for row in rows if row.shown],
        scored=sum(1 for row in rows if row.review_status == ReviewStatus.SUBMITTED),
        total=len(rows),
    )


@dataclass(frozen=True)
class WorklistPlace:
    """Where an entry stands in the juror's list: the entries before and after it, and "x of y scored"."""

    previous: str | None
    following: str | None
    scored: int
    total: int


def worklist_place(user: Any, round: Round, *, code: str, narrow: Narrowing | None = None) -> WorklistPlace:
    """In one query: the entries next to ``code`` among the assignments ``narrow`` keeps, and the counts over all."""
    rows = list(
        assignments_of_juror(user, round)
        .select_related(None)
        .prefetch_related(None)
        .annotate(review_status=_review_status(), shown=_shown(user, round, narrow))
        .values_list("entry__code", "review_status", "shown")
    )
    before = [other for other, _status, shown in rows if shown and other < code]
    after = [other for other, _status, shown in rows if shown and other > code]
    return WorklistPlace(
        previous=before[-1] if before else None,
        following=after[0] if after else None,
        scored=sum(1 for _code, status, _shown in rows if status == ReviewStatus.SUBMITTED),
        total=len(rows),
    )


def get_assignment_for_panel(user: Any, *, round_id: int, entry_code: str) -> Assignment:
    """In one query: the juror's assignment in an opened round they sit on, its round, contest and entry; else 404."""
    if not user.is_authenticated:
        raise Http404
    seat = RoundJuror.objects.filter(round=OuterRef("round_id"), juror__user=user)
    assignment = (
        Assignment.objects.filter(Exists(seat), round_id=round_id, juror__user=user, entry__code=entry_code)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round__contest", "juror", "entry__nomination", "entry__media")
        # At most one row: the assignments' own ordering would only cost joins.
        .order_by("pk")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def entry_for_jury(assignment: Assignment, *, authors: bool) -> Entry:
    """The assignment's entry with its platforms and, when ``authors``, who made it (1 query, or 4 with the authors).

    Without ``authors`` (a blind round) the authors are not even read.
    """
    entry = assignment.entry
    lookups: list[Prefetch[Any]] = [
        Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name"))
    ]
    if authors:
        lookups += [
            Prefetch("author", queryset=get_user_model().objects.select_related("profile")),
            Prefetch("author_university"),
            Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university").order_by("order", "id")),
        ]
    prefetch_related_objects([entry], *lookups)
    return entry


def own_review(assignment: Assignment) -> Review | None:
    """The juror's own review of the assigned entry, with its scores; another juror's is never read."""
    return (
        Review.objects.filter(round_id=assignment.round_id, juror_id=assignment.juror_id, entry_id=assignment.entry_id)
        .prefetch_related("scores")
        .order_by("pk")  # at most one row: the reviews' own ordering would only add joins
        .first()
    )


def get_entry_for_jury_media(user: Any, *, round_id: int, entry_code: str) -> Entry:
    """The entry whose media the person may watch in this round, or 404.

    A juror reaches it only through their assignment in an opened round; an organiser of the
    contest reaches any entry of the round, also while the round is being prepared.
    """
    if not user.is_authenticated:
        raise Http404
    round = Round.objects.filter(pk=round_id).select_related("contest").first()
    if round is None:
        raise Http404
    if user.has_perm("judging.manage_judging", round):
        entry = round.entries.filter(code=entry_code).select_related("media").first()
        if entry is None:
            raise Http404
        return entry
    if round.status == RoundStatus.DRAFT:
        raise Http404
    return get_assignment_for_juror(user, round=round, entry_code=entry_code).entry
