"""A round's results: how it is ranked, finalising its awards, and changing an award afterwards.

Finalising freezes the places 1–3 of every nomination by the round's ranking (SPEC §4) together with
the special awards the organiser names, and keeps the ranking's ``content_hash()``: anyone can later
check that the awards were chosen from exactly that table. A finalised award changes only with a
reason, and every change is kept (who, when, why, before and after); when the awards are already on
the blog, the posts are brought up to date in the background.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.activity_log import bulk_create_logged
from config.enqueue import task_send
from config.exceptions import BaigeError
from contest.models import Entry
from contest.services import Actor, contest_ensure_organiser
from contest.slugs import unique_slug
from contest.texts import TEXT_LANGUAGES
from judging.coverage import unjudged_ensure_confirmed
from judging.enums import ParticipantView, RankingMethod, RoundStatus, TieBreaker
from judging.models import Award, AwardChange, Results, Round, RoundEntry
from judging.ranking import round_ranking

#: Places 1 to this one of each nomination become awards.
AWARDED_PLACES = 3
#: Longest slug of a special award's key (``special/<slug>`` fits the key's 200 characters).
SPECIAL_SLUG_LENGTH = 80


class ResultsRefused(BaigeError):
    """The results cannot be finalised, or an award changed, in the round's present state."""

    status_code = 409
    code = "results_refused"


@dataclass(frozen=True)
class SpecialAwardData:
    """A named award given to one entry of the round, beside the places: its name in each language."""

    entry_code: str
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""

    def names(self) -> dict[str, str]:
        return {language: getattr(self, f"name_{language}").strip() for language in TEXT_LANGUAGES}


# --- Writes -------------------------------------------------------------------------------------


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


def _round_locked(actor: Actor | None, round: Round) -> Round:
    # ``None``: the operator, from the command line.
    if actor is not None:
        contest_ensure_organiser(actor, round.contest)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    locked.contest = round.contest
    return locked


def _ensure_not_finalised(round: Round) -> None:
    if Results.objects.filter(round=round).exists():
        raise ResultsRefused(
            _("The results of round “%(round)s” are already final; change an award instead.") % {"round": round},
            code="results_final",
        )


@transaction.atomic
def round_ranking_configure(*, actor: Actor, round: Round, method: str, tie_breakers: Sequence[str]) -> Round:
    """Choose how the round's entries are placed: the ranking method and the tie-breakers, in order."""
    round = _round_locked(actor, round)
    _ensure_not_finalised(round)
    if method not in RankingMethod.values:
        raise BaigeError(_("Unknown ranking method: %(name)s.") % {"name": method})
    unknown = [name for name in tie_breakers if name not in TieBreaker.values]
    if unknown:
        raise BaigeError(_("Unknown tie-breaker: %(name)s.") % {"name": ", ".join(unknown)})
    if len(set(tie_breakers)) != len(tie_breakers):
        raise BaigeError(_("Each tie-breaker may be given only once."))
    round.ranking_method = method
    round.tie_breakers = list(tie_breakers)
    round.save(update_fields=["ranking_method", "tie_breakers"])
    return round


def _special_key(names: Mapping[str, str], taken: set[str]) -> str:
    text = names["en"] or next((names[language] for language in TEXT_LANGUAGES if names[language]), "")
    return "special/" + unique_slug(text, taken=taken, max_length=SPECIAL_SLUG_LENGTH, fallback="award")


def _round_entries(round: Round, codes: Iterable[str]) -> dict[str, Entry]:
    """The round's entries by code among ``codes``; a code the round does not have is refused by name."""
    wanted = {code.strip().upper() for code in codes}
    found = {
        link.entry.code: link.entry
        for link in RoundEntry.objects.filter(round=round, entry__code__in=wanted).select_related("entry")
    }
    unknown = sorted(wanted - found.keys())
    if unknown:
        raise BaigeError(
            _("Round “%(round)s” has no entry with the code %(codes)s.")
            % {"round": round, "codes": ", ".join(unknown)},
            code="unknown_entry",
        )
    disqualified = sorted(code for code, entry in found.items() if entry.is_disqualified)
    if disqualified:
        raise BaigeError(
            _("A disqualified entry cannot be given an award: %(codes)s") % {"codes": ", ".join(disqualified)},
            code="disqualified",
        )
    return found


def _check_names(names: Mapping[str, str]) -> None:
    if not any(names.values()):
        raise BaigeError(_("Give the special award a name in at least one language."), code="award_unnamed")


def _special_award(results: Results, special: SpecialAwardData, entry: Entry, taken: set[str], order: int) -> Award:
    names = special.names()
    _check_names(names)
    award = Award(results=results, key=_special_key(names, taken), entry=entry, order=order)
    for language, text in names.items():
        setattr(award, f"name_{language}", text)
    # The untranslated column holds the English (or first) name, as in every translated model.
    award.name = names["en"] or next(text for text in names.values() if text)
    return award


@transaction.atomic
def results_finalise(
    *,
    actor: Actor | None,
    round: Round,
    special_awards: Sequence[SpecialAwardData] = (),
    now: datetime | None = None,
    confirm_unjudged: bool = False,
    participant_view: str | None = None,
) -> Results:
    """Fix the places 1–3 of each nomination from the round's ranking and the special awards, once, for good.

    ``participant_view`` (:class:`~judging.enums.ParticipantView`, the round's setting unless given) is
    what the round's entrants will see of these results once published; it never changes afterwards.
    ``actor`` is an organiser, or ``None`` for the operator (the ``results_finalise`` command). While a
    submitted entry of the contest is in no round, it is refused with their list
    (:class:`judging.coverage.UnjudgedEntries`) unless ``confirm_unjudged``.
    """
    round = _round_locked(actor, round)
    if round.status != RoundStatus.CLOSED:
        raise ResultsRefused(
            _("Close round “%(round)s” before finalising its results.") % {"round": round}, code="round_not_closed"
        )
    _ensure_not_finalised(round)
    view = participant_view or round.participant_view
    if view not in ParticipantView.values:
        raise BaigeError(_("Unknown choice of what entrants see: %(name)s.") % {"name": view}, code="unknown_view")
    ranking = round_ranking(round)
    if not any(row.place is not None for row in ranking.rows()):
        raise ResultsRefused(
            _("No entry of round “%(round)s” has a submitted review: there is nothing to finalise.") % {"round": round},
            code="no_reviews",
        )
    entries = _round_entries(round, (special.entry_code for special in special_awards))
    unjudged_ensure_confirmed(round.contest, confirm_unjudged=confirm_unjudged)
    try:
        with transaction.atomic():
            results = Results.objects.create(
                round=round,
                content_hash=ranking.content_hash(),
                finalised_by=_user(actor),
                finalised_at=now or timezone.now(),
                participant_view=view,
            )
    except IntegrityError as twice:
        # Only reached if the lock was bypassed (another database connection without it): still one Results.
        raise ResultsRefused(_("The results of round “%(round)s” are already final.") % {"round": round}) from twice
    awards: list[Award] = []
    for group in ranking.nominations:
        sharing: dict[int, int] = defaultdict(int)
        for row in group.rows:
            if row.place is None or row.place > AWARDED_PLACES:
                continue
            sharing[row.place] += 1
            awards.append(
                Award(
                    results=results,
                    key=f"nomination-{group.nomination.slug}/place-{row.place}/{sharing[row.place]}",
                    nomination=group.nomination,
                    place=row.place,
                    entry_id=row.entry_id,
                    order=len(awards),
                )
            )
    taken: set[str] = set()
    for special in special_awards:
        entry = entries[special.entry_code.strip().upper()]
        awards.append(_special_award(results, special, entry, taken, order=len(awards)))
    bulk_create_logged(Award, awards)
    return results


def award_snapshot(award: Award) -> dict[str, Any]:
    """What an award gives to whom, as kept in its history: ``{"entry", "place", "name", "name_kk", …}``."""
    snapshot: dict[str, Any] = {"entry": award.entry.code, "place": award.place, "name": award.name or ""}
    for language in TEXT_LANGUAGES:
        snapshot[f"name_{language}"] = getattr(award, f"name_{language}") or ""
    return snapshot


def _queue_publication(results: Results) -> None:
    """Bring the blog posts up to date after the change commits, if the awards are already published."""
    if results.published_at is None:
        return
    results_id = results.pk

    def publish() -> None:
        task_send("judging.publish_results", results_id=results_id)

    transaction.on_commit(publish)


def _ensure_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise BaigeError(_("Say why the award changes: the reason is kept with the change."), code="reason_missing")
    return reason


def _results_locked(actor: Actor, results: Results) -> Results:
    round = Round.objects.select_related("contest").get(pk=results.round_id)
    contest_ensure_organiser(actor, round.contest)
    locked = Results.objects.select_for_update().get(pk=results.pk)
    locked.round = round
    return locked


@transaction.atomic
def award_change(
    *,
    actor: Actor,
    award: Award,
    entry: Entry | None = None,
    place: int | None = None,
    name: Mapping[str, str] | None = None,
    reason: str,
) -> Award:
    """Give a finalised award to another entry, another place or (a special award) another name; kept with a reason."""
    results = _results_locked(actor, award.results)
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("entry", "nomination")
        .get(pk=award.pk, results=results)
    )
    reason = _ensure_reason(reason)
    before = award_snapshot(award)
    if entry is not None and entry.pk != award.entry_id:
        entry = _round_entries(results.round, [entry.code])[entry.code]
        if award.nomination_id is not None and entry.nomination_id != award.nomination_id:
            raise BaigeError(
                _("Entry %(code)s is not in the nomination “%(nomination)s”.")
                % {"code": entry.code, "nomination": award.nomination},
                code="other_nomination",
            )
        award.entry = entry
    if place is not None and place != award.place:
        if award.place is None:
            raise BaigeError(_("A special award has no place."), code="special_award_place")
        if not 1 <= place <= AWARDED_PLACES:
            raise BaigeError(_("A place is 1, 2 or 3."), code="place_range")
        award.place = place
    if name is not None and award.place is None:
        names = {language: (name.get(language) or "").strip() for language in TEXT_LANGUAGES}
        _check_names(names)
        for language, text in names.items():
            setattr(award, f"name_{language}", text)
        award.name = names["en"] or next(text for text in names.values() if text)
    after = award_snapshot(award)
    if after == before:
        raise BaigeError(_("Nothing changes: the award already is like that."), code="unchanged")
    award.save(update_fields=["entry", "place", "name", *(f"name_{language}" for language in TEXT_LANGUAGES)])
    AwardChange.objects.create(award=award, changed_by=_user(actor), reason=reason, old=before, new=after)
    _queue_publication(results)
    return award


@transaction.atomic
def award_add(*, actor: Actor, results: Results, special: SpecialAwardData, reason: str) -> Award:
    """Add a special award to finalised results; kept in its history with the reason, as every change."""
    results = _results_locked(actor, results)
    reason = _ensure_reason(reason)
    entry = _round_entries(results.round, [special.entry_code])[special.entry_code.strip().upper()]
    existing = list(Award.objects.filter(results=results).values_list("key", "order"))
    taken = {key.removeprefix("special/") for key, _order in existing if key.startswith("special/")}
    order = max((position for _key, position in existing), default=-1) + 1
    award = _special_award(results, special, entry, taken, order=order)
    award.save()
    AwardChange.objects.create(award=award, changed_by=_user(actor), reason=reason, old={}, new=award_snapshot(award))
    _queue_publication(results)
    return award
