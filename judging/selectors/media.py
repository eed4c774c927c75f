"""The entry whose media a juror may watch, reached through their assignment (which renditions: media_pipeline)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from contest.models import Entry
from judging.enums import RoundStatus
from judging.models import Round
from judging.selectors.panel import get_assignment_for_juror


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
