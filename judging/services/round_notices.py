"""The e-mails a juror gets at most once per round: that it opened (by a click or by its time), or closes soon.

Each is claimed by a :class:`~judging.models.JurorRoundNotice` row in the transaction that queues it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from config.enqueue import enqueue_on_commit
from contest.mail import mail_person
from contest.services import contest_format_time
from judging.enums import RoundNoticeKind, RoundStatus
from judging.models import Assignment, Juror, JurorRoundNotice, Round

logger = logging.getLogger(__name__)


def juror_language(juror: Juror) -> str:
    """The language a juror is written to in: the first one they read, else their profile's, else the site's."""
    if juror.languages:
        return str(juror.languages[0])
    profile = getattr(juror.user, "profile", None)
    return profile.preferred_language if profile is not None else settings.LANGUAGE_CODE


def jury_panel_link(*, round: Round, language: str) -> str:
    """The absolute link to the round in the jury panel, in ``language``."""
    with translation.override(language):
        path = reverse("frontend:jury_round", kwargs={"round_id": round.pk})
    return settings.SITE_URL + path


def claim_notice(*, round: Round, juror: Juror, kind: str, now: datetime) -> bool:
    """Record that ``juror`` is told ``kind`` about ``round`` unless they were already; whether it is recorded now."""
    # Of two concurrent claims the second waits on the unique row of the first, then finds it.
    _notice, created = JurorRoundNotice.objects.get_or_create(
        round=round, juror=juror, kind=kind, defaults={"sent_at": now}
    )
    return created


def round_opened_notify(*, round: Round, now: datetime | None = None) -> list[Juror]:
    """Queue the one e-mail each juror of a round that has just opened gets (sent once the opening commits)."""
    now = now or timezone.now()
    told = []
    for juror in Juror.objects.filter(round_links__round=round).order_by("pk"):
        if claim_notice(round=round, juror=juror, kind=RoundNoticeKind.OPENED, now=now):
            told.append(juror)
            enqueue_on_commit("judging.send_round_opened", round_id=round.pk, juror_id=juror.pk)
    return told


def juror_round_opened_send(*, round: Round, juror: Juror) -> bool:
    """E-mail one juror, in their language, that the round is open: their entries, the link and the closing time."""
    if round.status != RoundStatus.OPEN:
        logger.info("no opening e-mail for juror %s in round %s: not open", juror.pk, round.pk)
        return False
    language = juror_language(juror)
    profile = getattr(juror.user, "profile", None)
    assigned = Assignment.objects.filter(round=round, juror=juror).count()

    def context() -> dict[str, object]:
        return {
            "full_name": profile.full_name if profile is not None else "",
            "contest": round.contest,
            "round": round,
            "assigned": assigned,
            "closes": contest_format_time(round.contest, round.closes_at) if round.closes_at else "",
            "link": jury_panel_link(round=round, language=language),
        }

    mail_person(juror.user, "judging/email/round_opened", context, language=language)
    return True
