"""A contest with people in every group a message can go to, for the messaging tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from contest.enums import EntryStatus
from contest.models import CoAuthor, Contest, Entry, Nomination, University
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Award, Juror, Results, Review, Round, RoundEntry
from tests.factories import EntryFactory, NominationFactory, ProfileFactory, UniversityFactory, UserFactory
from tests.judging import juror_in, round_of


@dataclass
class People:
    """Who is in which group.

    - ``drafter`` (kk, Abai, Design) has a draft; ``withdrawer`` only a withdrawn entry.
    - ``asel`` (ru, Abai) has two submitted entries: ``fractions`` (Design), shortlisted in round 1, a finalist
      (round 2) and a winner; and ``songs`` (Games), not shortlisted.
    - ``bolat`` (en, Zhetysu) has ``maps`` (Games), not shortlisted. Its co-authors: Dana, whose address an
      account confirmed (kk), and Erlan, who has no account; ``fractions`` names Bolat as a co-author.
    - Jurors: ``behind`` has an unfinished entry in the open round 3, ``done`` has scored everything.
    """

    contest: Contest
    abai: University
    zhetysu: University
    design: Nomination
    games: Nomination
    drafter: Any
    withdrawer: Any
    asel: Any
    bolat: Any
    dana: Any
    draft: Entry
    fractions: Entry
    songs: Entry
    maps: Entry
    screening: Round
    final: Round
    judging: Round
    behind: Juror
    done: Juror
    closes: datetime


def person(name: str, university: University | None, language: str, email: str) -> Any:
    return ProfileFactory(
        full_name=name, university=university, preferred_language=language, user=UserFactory(email=email)
    ).user


def entry(
    contest: Contest, author: Any, nomination: Nomination, title: str, status: str = EntryStatus.SUBMITTED
) -> Entry:
    submitted = status != EntryStatus.DRAFT
    return EntryFactory(
        contest=contest,
        author=author,
        nomination=nomination,
        title=title,
        status=status,
        submitted_at=timezone.now() if submitted else None,
        author_university=author.profile.university if submitted else None,
    )


def people_of(contest: Contest) -> People:
    """Fill ``contest`` with :class:`People`."""
    abai = UniversityFactory(name="Abai University", name_en="Abai University")
    zhetysu = UniversityFactory(name="Zhetysu University", name_en="Zhetysu University")
    contest.universities.add(abai, zhetysu)
    design = NominationFactory(contest=contest, name="Design", name_en="Design")
    games = NominationFactory(contest=contest, name="Games", name_en="Games")
    drafter = person("Dias Draft", abai, "kk", "dias@example.org")
    withdrawer = person("Wanda Gone", abai, "en", "wanda@example.org")
    asel = person("Asel Seitkali", abai, "ru", "asel@example.org")
    bolat = person("Bolat Nurlanov", zhetysu, "en", "Bolat@Example.org")
    dana = person("Dana Account", None, "kk", "dana@example.org")
    draft = entry(contest, drafter, design, "Draft lesson", EntryStatus.DRAFT)
    entry(contest, withdrawer, design, "Gone lesson", EntryStatus.WITHDRAWN)
    fractions = entry(contest, asel, design, "Fractions")
    songs = entry(contest, asel, games, "Songs")
    maps = entry(contest, bolat, games, "Maps")
    CoAuthor.objects.create(entry=maps, full_name="Dana as co-author", email="DANA@example.org", order=1)
    CoAuthor.objects.create(entry=maps, full_name="Erlan Plain", email="erlan@example.org", order=2)
    CoAuthor.objects.create(entry=maps, full_name="No Address", email="", order=3)
    CoAuthor.objects.create(entry=fractions, full_name="Bolat as co-author", email="bolat@example.org", order=1)
    screening = round_of(contest, [fractions, songs, maps], [], status=RoundStatus.CLOSED, number=1)
    RoundEntry.objects.filter(round=screening, entry=fractions).update(shortlisted=True)
    final = round_of(contest, [fractions], [], status=RoundStatus.CLOSED, number=2)
    final.source_round = screening
    final.save(update_fields=["source_round"])
    results = Results.objects.create(round=final, content_hash="0" * 64, finalised_at=timezone.now())
    Award.objects.create(
        results=results, key="nomination-design/place-1/1", nomination=design, place=1, entry=fractions
    )
    behind = juror_in(contest, name="Juror Behind")
    done = juror_in(contest, name="Juror Done")
    profile = done.user.profile
    profile.preferred_language = "ru"
    profile.save(update_fields=["preferred_language"])
    closes = timezone.now() + timedelta(days=3)
    judging = round_of(contest, [maps, songs], [behind, done], number=3)
    judging.opens_at = timezone.now() - timedelta(days=1)
    judging.closes_at = closes
    judging.save(update_fields=["opens_at", "closes_at"])
    for seat in (behind, done):
        Assignment.objects.create(round=judging, juror=seat, entry=maps)
    Review.objects.create(
        round=judging, juror=done, entry=maps, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    return People(
        contest=contest,
        abai=abai,
        zhetysu=zhetysu,
        design=design,
        games=games,
        drafter=drafter,
        withdrawer=withdrawer,
        asel=asel,
        bolat=bolat,
        dana=dana,
        draft=draft,
        fractions=fractions,
        songs=songs,
        maps=maps,
        screening=screening,
        final=final,
        judging=judging,
        behind=behind,
        done=done,
        closes=closes,
    )


class RefusingBackend(EmailBackend):
    """An outbox (like Django's test one) whose server refuses the addresses in ``refused``."""

    refused: set[str] = set()

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            if set(message.to) & self.refused:
                raise SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)
