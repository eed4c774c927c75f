"""The jury panel's look-ups: which panels a person may open, their rounds and assignments, each checking who asks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, Field, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404

from contest.enums import Role
from contest.models import CoAuthor, ContestRole, Entry, Platform
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Juror, Review, Round, RoundJuror


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
