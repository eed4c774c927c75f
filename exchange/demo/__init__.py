"""The demo: the contest Baige was made for, with people and entries to try every role.

``demo_seed`` loads ``demo_contest.yaml`` (next to this module) with its dates moved so that
submissions are open today, then adds an organiser, three jurors, about a hundred participants
(as many per university as the real contest had) with their entries, a few small media files,
and the judging: a rubric, the jury and an open first round. Everything is drawn from a fixed
random seed, so every run plans the same demo, and running it again creates nothing twice.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from contest.enums import EntryStatus, Role
from contest.models import Contest, ContestRole, Entry, ParticipantProfile, Platform, University
from exchange.definitions import contest_definition_load, definition_parse
from exchange.definitions.contest import DefinitionLoadReport
from exchange.definitions.files import definition_read
from exchange.definitions.schema import LANGUAGES
from exchange.demo.contest import demo_entries_create, demo_profiles_ensure, demo_timeline, demo_users_ensure
from exchange.demo.judging import judging_demo_seed
from exchange.demo.media import demo_media_attach
from exchange.demo.plan import ADMIN_EMAIL, JURORS, ORGANISER, ORGANISER_EMAIL, PARTICIPANT_EMAIL, demo_plan

DEMO_DEFINITION = Path(__file__).resolve().parent / "demo_contest.yaml"
DEMO_PASSWORD = "baige-demo"  # noqa: S105 - printed for people trying the demo


@dataclass
class DemoSummary:
    """What the demo holds after seeding, for the person who ran it."""

    contest: Contest
    definition: DefinitionLoadReport
    participants: int = 0
    entries: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_added: int = 0
    video_skipped: bool = False
    password: str = DEMO_PASSWORD
    organiser: str = ORGANISER_EMAIL
    jurors: tuple[str, ...] = tuple(j.email for j in JURORS)
    participant: str = PARTICIPANT_EMAIL
    admin: str = ADMIN_EMAIL


def demo_seed(*, now: datetime | None = None) -> DemoSummary:
    """Create or complete the demo contest, its people and entries; safe to run again."""
    now = now or timezone.now()
    raw = definition_read(DEMO_DEFINITION.read_text(encoding="utf-8"), source=DEMO_DEFINITION.name, fmt="yaml")
    today = now.astimezone(zoneinfo.ZoneInfo(raw["timeline"]["timezone"])).date()
    raw["timeline"] = demo_timeline(raw["timeline"], today=today)
    definition = definition_parse(raw)
    password_hash = make_password(DEMO_PASSWORD)

    with transaction.atomic():
        report = contest_definition_load(definition=definition)
        contest = report.contest
        platform_names = {
            p.slug: {language: getattr(p, f"name_{language}") or p.name for language in LANGUAGES}
            for p in Platform.objects.filter(contest=contest)
        }
        plan = demo_plan(platform_names=platform_names)
        universities = {
            u.slug: u for u in University.objects.filter(slug__in=[u.slug for u in definition.contest.universities])
        }
        staff = [ORGANISER, *JURORS]
        accounts = [(ADMIN_EMAIL, True)] + [(p.email, False) for p in [*staff, *plan.participants]]
        users = demo_users_ensure(people=accounts, password_hash=password_hash)
        demo_profiles_ensure(people=[*staff, *plan.participants], users=users, universities=universities)
        ContestRole.objects.bulk_create(
            [ContestRole(contest=contest, user=users[ORGANISER_EMAIL], role=Role.ORGANISER)]
            + [ContestRole(contest=contest, user=users[juror.email], role=Role.JUROR) for juror in JURORS],
            ignore_conflicts=True,
        )
        entries, _created = demo_entries_create(contest=contest, plan=plan, users=users, now=now)
        summary = DemoSummary(contest=contest, definition=report)
        summary.media_added, summary.video_skipped = demo_media_attach(plan=plan, entries=entries, users=users)
        judging_demo_seed(
            contest=contest, organiser=users[ORGANISER_EMAIL], jurors=[users[j.email] for j in JURORS], now=now
        )

    in_contest = Entry.objects.filter(contest=contest)
    summary.participants = ParticipantProfile.objects.filter(user__entries__contest=contest).distinct().count()
    summary.entries = {status: in_contest.filter(status=status).count() for status in EntryStatus.values}
    summary.media_files = in_contest.filter(media__isnull=False).count()
    return summary
