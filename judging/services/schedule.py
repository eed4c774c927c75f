"""Rounds that keep their own times: opened and closed by the clock, through the same services as the buttons.

Each due round is claimed under ``select_for_update(skip_locked=True)`` and its status read again once
locked, so two beat instances or two workers never open or close the same round twice. A round whose
checks refuse it stays as it is; its organisers are e-mailed once per problem, and the rounds page says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError
from contest.enums import Role
from contest.mail import mail_person, person_language
from contest.models import ContestRole
from contest.services import contest_format_time
from judging.enums import RoundStatus
from judging.models import Round
from judging.services.reminders import jurors_remind_closing
from judging.services.rounds import round_close, round_open

logger = logging.getLogger(__name__)

#: What each refusal of an automatic opening or closing means, by its code, in the reader's language.
SCHEDULE_PROBLEMS: dict[str, Promise] = {
    "no_rubric": _("Add the rubric's criteria before opening a round."),
    "no_entries": _("The round has no entries."),
    "no_jurors": _("The round has no jurors."),
    "closing_passed": _("The round's closing time has already passed."),
    "unjudged_entries": _(
        "Some submitted entries are in no round and would never be judged: close the round yourself to confirm."
    ),
}
UNKNOWN_PROBLEM = _("Its checks refused it: open or close it yourself to see why.")


def schedule_problem_text(round: Round) -> str:
    """Why the round did not open or close by itself, in the active language; empty when nothing is wrong."""
    if not round.schedule_problem:
        return ""
    return str(SCHEDULE_PROBLEMS.get(round.schedule_problem, UNKNOWN_PROBLEM))


@dataclass
class Advance:
    """What :func:`rounds_advance` did, as lists of round ids."""

    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    reminded: int = 0


def _advance_one(pk: int, *, opening: bool, now: datetime) -> str | None:
    """Open (or close) one due round if no one else holds it and it is still due; what happened, or ``None``."""
    status = RoundStatus.DRAFT if opening else RoundStatus.OPEN
    moment = "opens_at__lte" if opening else "closes_at__lte"
    with transaction.atomic():
        # Locked here and read again: a round another worker holds is skipped, one it already moved is not found.
        round = (
            Round.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("contest")
            .filter(pk=pk, status=status, **{moment: now})
            .first()
        )
        if round is None:
            return None
        try:
            with transaction.atomic():
                if opening:
                    round_open(actor=None, round=round, now=now)
                else:
                    round_close(actor=None, round=round, now=now)
        except BaigeError as refused:
            code = refused.code if refused.code in SCHEDULE_PROBLEMS else "unknown"
            logger.info("round %s did not %s by itself: %s", pk, "open" if opening else "close", code)
            if round.schedule_problem != code:
                round.schedule_problem = code
                round.save(update_fields=["schedule_problem"])
                enqueue_on_commit("judging.send_round_schedule_problem", round_id=pk, opening=opening)
            return "refused"
        return "opened" if opening else "closed"


def rounds_advance(*, now: datetime | None = None) -> Advance:
    """Open every draft round whose opening time has come and close every open round whose closing time has.

    Also reminds, once, the jurors with unfinished reviews of rounds that close within two days.
    """
    now = now or timezone.now()
    done = Advance()
    due = [
        *(
            (pk, True)
            for pk in Round.objects.filter(status=RoundStatus.DRAFT, opens_at__lte=now).values_list("pk", flat=True)
        ),
        *(
            (pk, False)
            for pk in Round.objects.filter(status=RoundStatus.OPEN, closes_at__lte=now).values_list("pk", flat=True)
        ),
    ]
    for pk, opening in sorted(due):
        outcome = _advance_one(pk, opening=opening, now=now)
        if outcome == "opened":
            done.opened.append(pk)
        elif outcome == "closed":
            done.closed.append(pk)
        elif outcome == "refused":
            done.refused.append(pk)
    done.reminded = jurors_remind_closing(now=now)
    return done


def round_schedule_problem_send(*, round: Round, opening: bool) -> int:
    """E-mail each organiser of the round's contest, in their language, why it did not open or close; how many."""
    if not round.schedule_problem:
        return 0
    contest = round.contest
    organisers = [
        role.user
        for role in ContestRole.objects.filter(contest=contest, role=Role.ORGANISER)
        .select_related("user__profile")
        .order_by("user_id")
    ]
    for user in organisers:
        language = person_language(user)
        with translation.override(language):
            link = settings.SITE_URL + reverse("frontend:organiser_rounds", kwargs={"slug": contest.slug})

        def context(link: str = link) -> dict[str, object]:
            moment = round.opens_at if opening else round.closes_at
            return {
                "contest": contest,
                "round": round,
                "opening": opening,
                "moment": contest_format_time(contest, moment) if moment else "",
                "problem": schedule_problem_text(round),
                "link": link,
            }

        mail_person(user, "judging/email/round_schedule_problem", context, language=language)
    return len(organisers)
