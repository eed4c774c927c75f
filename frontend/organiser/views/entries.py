"""The organisers' page of one entry, and the search that goes straight to it by its code.

Everything is read through selectors that refuse whoever does not manage the contest as if the entry did
not exist, so neither the page nor the search tells another contest's organiser, a juror or the entry's
own author anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from certificates.selectors import certificates_of_entry_for_organiser
from contest.enums import EntryStatus
from contest.models import Entry
from contest.selectors import entry_code_find, get_contest_managed, get_entry_for_organiser
from frontend.http import AuthenticatedHttpRequest
from judging.selectors.entry_record import entry_judging
from media_pipeline.models import MediaAsset
from media_pipeline.reasons import reason_text
from media_pipeline.selectors import entry_assets, preview_of
from monitoring.enums import task_label
from monitoring.selectors import entry_task_failures


@dataclass(frozen=True)
class EntryEvent:
    """One moment of the entry's history that Baige can tell from what it stores."""

    at: datetime
    what: str
    detail: str = ""


def entry_history(entry: Entry, assets: list[MediaAsset]) -> list[EntryEvent]:
    """Creation, each upload, submission and withdrawal, oldest first, from the entry's and its files' times."""
    events = [EntryEvent(at=entry.created_at, what=pgettext("entry history", "Created"))]
    events += [
        EntryEvent(at=asset.created_at, what=pgettext("entry history", "File uploaded"), detail=asset.original_name)
        for asset in assets
    ]
    if entry.submitted_at is not None:
        events.append(EntryEvent(at=entry.submitted_at, what=pgettext("entry history", "Submitted")))
    if entry.status == EntryStatus.WITHDRAWN:
        # A withdrawal is the entry's last change: nothing can change a withdrawn entry but submitting it again.
        events.append(EntryEvent(at=entry.updated_at, what=pgettext("entry history", "Withdrawn")))
    return sorted(events, key=lambda event: event.at)


@login_required
@require_GET
def entry_page(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """The entry's data and history, its files and their processing, its judging, awards and certificates."""
    entry = get_entry_for_organiser(request.user, slug=slug, code=code)
    assets = entry_assets(entry)
    rounds = entry_judging(entry)
    current = next((asset for asset in assets if asset.pk == entry.media_id), None)
    context = {
        "contest": entry.contest,
        "section": "entry",
        "entry": entry,
        "history": entry_history(entry, assets),
        "assets": [
            (asset, reason_text(asset.reason_code, asset.reason_params) if asset.reason_code else "")
            for asset in assets
        ],
        "preview": preview_of(current, current.renditions.all()) if current is not None else None,
        "media_url": "frontend:organiser_entry_media",
        "media_scope": entry.contest.slug,
        "task_failures": [(failure, task_label(failure.task_name)) for failure in entry_task_failures(entry=entry)],
        "rounds": rounds,
        "awards": [(award, record.round) for record in rounds for award in record.awards],
        "certificates": certificates_of_entry_for_organiser(entry),
    }
    return render(request, "frontend/organiser/entry/page.html", context)


@login_required
@require_GET
def entry_find(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Straight to the entry with the code typed (any case, spaces ignored); back with a message when none has it."""
    contest = get_contest_managed(request.user, slug=slug)
    typed = request.GET.get("code", "")
    entry = entry_code_find(contest, typed)
    if entry is None:
        if typed.strip():
            messages.error(
                request, _("No entry of this contest has the code “%(code)s”.") % {"code": typed.strip()[:40]}
            )
        else:
            messages.error(request, _("Type an entry's code to find it."))
        return redirect("frontend:organiser_dashboard", slug=contest.slug)
    return redirect("frontend:organiser_entry", slug=contest.slug, code=entry.code)
