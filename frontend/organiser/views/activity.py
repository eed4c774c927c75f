"""The contest's activity log for its organisers: who changed what and when, filtered, paged, and as a file.

Only the contest's organisers (and superusers) see it; for anyone else signed in the contest does not
exist (404), so that the page never tells whether a contest is there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from activity.selectors import (
    ActivityRow,
    activity_export_header,
    activity_export_rows,
    activity_for_contest,
    activity_rows,
)
from certificates.models import Certificate
from contest.models import Contest, Entry, Nomination, Platform
from contest.selectors import get_contest_managed
from exchange.api import export_file_response
from exchange.sheet_writers import Table
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.activity import ActivityFilterForm
from judging.models import Assignment, Award, Conflict, Criterion, Juror, Results, Round, RoundEntry, RoundJuror
from messaging.models import Message

ROWS_PER_PAGE = 50
FORMATS = ("csv", "xlsx")


def _by_pk(slug: str, name: str) -> Callable[[int, object], str]:
    return lambda pk, _value: reverse(f"frontend:{name}", args=[slug, pk])


#: Where each kind of object has its organiser page: the model, what to read of the rows, and the address.
def _link_makers(contest: Contest) -> dict[type[models.Model], tuple[str, Callable[[int, object], str]]]:
    slug = contest.slug

    def round_page(_pk: int, number: object) -> str:
        return reverse("frontend:organiser_round_edit", args=[slug, number])

    def results_page(_pk: int, number: object) -> str:
        return reverse("frontend:organiser_results", args=[slug, number])

    return {
        Contest: ("id", lambda _pk, _value: reverse("frontend:organiser_settings", args=[slug])),
        Platform: ("id", _by_pk(slug, "organiser_platform_edit")),
        Nomination: ("id", _by_pk(slug, "organiser_nomination_edit")),
        Criterion: ("id", _by_pk(slug, "organiser_criterion_edit")),
        Juror: ("id", _by_pk(slug, "organiser_juror")),
        Conflict: ("juror_id", lambda _pk, juror: reverse("frontend:organiser_juror", args=[slug, juror])),
        Round: ("number", round_page),
        Certificate: ("id", lambda _pk, _value: reverse("frontend:organiser_certificates", args=[slug])),
        **dict.fromkeys((Assignment, RoundEntry, RoundJuror), ("round__number", round_page)),
        Results: ("round__number", results_page),
        Award: ("results__round__number", results_page),
        Entry: ("code", lambda _pk, code: reverse("frontend:organiser_entry", args=[slug, code])),
        Message: ("id", _by_pk(slug, "organiser_message")),
    }


def _in_contest(model: type[models.Model], contest: Contest) -> dict[str, object]:
    if model is Contest:
        return {"pk": contest.pk}
    if model is Criterion:
        return {"rubric__contest": contest}
    if model is Conflict:
        return {"juror__contest": contest}
    if model in (Assignment, RoundEntry, RoundJuror, Results):
        return {"round__contest": contest}
    if model is Award:
        return {"results__round__contest": contest}
    return {"contest": contest}


def _links(contest: Contest, rows: Sequence[ActivityRow]) -> dict[int, str]:
    """Each row's link to its object's organiser page, for objects that still exist: one query per kind."""
    makers = _link_makers(contest)
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for row in rows:
        if row.model in makers and row.entry.object_id is not None:
            wanted[row.model].add(row.entry.object_id)
    found: dict[tuple[type[models.Model], int], str] = {}
    for model, ids in wanted.items():
        column, make = makers[model]
        values = model._default_manager.filter(pk__in=ids, **_in_contest(model, contest)).values_list("pk", column)
        # Each row's id and the column its address needs (the id again for most: Django gives it twice).
        for pk, value in values:
            found[(model, pk)] = make(pk, value)
    return {
        row.entry.pk: found[(row.model, row.entry.object_id)]
        for row in rows
        if row.model is not None and row.entry.object_id is not None and (row.model, row.entry.object_id) in found
    }


@login_required
@require_GET
def activity(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's log, newest first, 50 rows a page, with filters and downloads of what they show."""
    contest = get_contest_managed(request.user, slug=slug)
    form = ActivityFilterForm(request.GET or None, contest=contest)
    page = Paginator(activity_for_contest(contest, form.filters()), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = activity_rows(contest, list(page.object_list))
    links = _links(contest, rows)
    for row in rows:
        row.link = links.get(row.entry.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "contest": contest,
        "section": "activity",
        "form": form,
        "filtered": form.is_bound,
        "page": page,
        "rows": rows,
        "downloads": [
            (file_format, reverse("frontend:organiser_activity_download", args=[contest.slug, file_format]))
            for file_format in FORMATS
        ],
        "query": query.urlencode(),
    }
    return render(request, "frontend/organiser/activity.html", context)


@login_required
@require_GET
def activity_download(request: AuthenticatedHttpRequest, slug: str, file_format: str) -> HttpResponseBase:
    """The filtered log as CSV (UTF-8 with a byte-order mark) or XLSX: one line per changed field."""
    contest = get_contest_managed(request.user, slug=slug)
    if file_format not in FORMATS:
        raise Http404
    form = ActivityFilterForm(request.GET or None, contest=contest)
    table = Table(header=activity_export_header(), rows=activity_export_rows(contest, form.filters()))
    return export_file_response(
        contest=contest, table=table, what="activity", round_number=None, file_format=file_format
    )
