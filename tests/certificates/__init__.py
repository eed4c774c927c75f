"""A contest whose final round's results are published, with finalists, jurors and co-authors, for certificates."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from contest.models import CoAuthor, Contest, Entry
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Juror, Review, Round
from judging.services.publication import results_publish
from tests.factories import ProfileFactory, UserFactory
from tests.judging import entry_from, juror_in, round_of
from tests.judging.test_publication import NOW, Finalised, finalised_round

KAZAKH_NAME = "Әйгерім Құдайбергенқызы"


@dataclass
class Published:
    """Round 1 screens five entries; round 2 (from its shortlist) gives gold, silver and a special award."""

    finalised: Finalised
    contest: Contest
    screening: Round
    #: In round 1 only: a participant, not a finalist.
    screened: Entry
    #: A co-author of gold with an account (verified e-mail, Russian), and one without.
    coauthor: CoAuthor
    coauthor_user: object
    juror: Juror
    #: A juror whose one review was set aside: no letter.
    idle_juror: Juror


def review(round: Round, juror: Juror, entry: Entry, status: str = ReviewStatus.SUBMITTED) -> Review:
    extra = {}
    if status == ReviewStatus.SET_ASIDE:
        extra = {"set_aside_at": timezone.now(), "set_aside_reason": "conflict"}
    return Review.objects.create(
        round=round, juror=juror, entry=entry, status=status, submitted_at=timezone.now(), **extra
    )


def finalised_contest(contest: Contest) -> Published:
    """The contest with its results finalised, not published."""
    finalised = finalised_round(contest, number=2)
    screened = entry_from(contest, None, title="Only screened")
    entries = [finalised.gold, finalised.silver, finalised.special, finalised.loser]
    screening = round_of(contest, [*entries, screened], [], status=RoundStatus.CLOSED, number=1)
    finalised.round.source_round = screening
    finalised.round.save(update_fields=["source_round"])
    profile = finalised.gold.author.profile
    profile.full_name = KAZAKH_NAME
    profile.preferred_language = "kk"
    profile.save(update_fields=["full_name", "preferred_language"])
    coauthor_user = ProfileFactory(
        full_name="Dana Co", preferred_language="ru", user=UserFactory(email="dana@example.org")
    ).user
    coauthor = CoAuthor.objects.create(entry=finalised.gold, full_name="Dana Co", email="Dana@Example.org", order=5)
    juror = juror_in(contest, name="Juror One")
    idle_juror = juror_in(contest, name="Juror Two")
    for entry in [*entries, screened]:
        review(screening, juror, entry)
    for entry in entries:
        review(finalised.round, juror, entry)
    review(screening, idle_juror, screened, status=ReviewStatus.SET_ASIDE)
    return Published(finalised, contest, screening, screened, coauthor, coauthor_user, juror, idle_juror)


def published_contest(contest: Contest) -> Published:
    """:func:`finalised_contest` with round 2's results published."""
    scenario = finalised_contest(contest)
    results_publish(actor=None, results=scenario.finalised.results, now=NOW)
    return scenario
