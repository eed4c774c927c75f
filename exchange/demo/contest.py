"""The demo's contest side: the timeline moved to today, the accounts, the participants' profiles and the entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from contest.enums import EntryStatus
from contest.models import CoAuthor, Contest, Entry, Nomination, ParticipantProfile, Platform, University
from exchange.demo.plan import DemoPerson, DemoPlan

#: Where today falls in the demo's timeline: submissions opened a month ago and close in a month.
OPENED_DAYS_AGO = 30
CLOSES_IN_DAYS = 30
RESULTS_IN_DAYS = 45


def demo_timeline(timeline: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The file's timeline moved to ``today``: opened 30 days ago, closing in 30, results in 45 (same times of day)."""
    moved = dict(timeline)
    for key, days in (
        ("submissions_open", -OPENED_DAYS_AGO),
        ("submissions_close", CLOSES_IN_DAYS),
        ("results_publish_at", RESULTS_IN_DAYS),
    ):
        original = datetime.fromisoformat(str(timeline[key]))
        moved[key] = datetime.combine(today + timedelta(days=days), original.time()).isoformat(timespec="minutes")
    return moved


def demo_users_ensure(*, people: list[tuple[str, bool]], password_hash: str) -> dict[str, Any]:
    """Demo accounts by e-mail, created if missing, with the demo password and a verified address."""
    user_model = get_user_model()
    emails = [email for email, _staff in people]
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    missing = [
        user_model(
            username=email.split("@")[0], email=email, password=password_hash, is_staff=staff, is_superuser=staff
        )
        for email, staff in people
        if email not in users
    ]
    user_model.objects.bulk_create(missing)
    existing = list(users.values())
    for user in existing:
        # Running the demo again gives every account its demo password back.
        user.password = password_hash
        user.is_active = True
    user_model.objects.bulk_update(existing, ["password", "is_active"])
    user_model.objects.filter(email__in=[email for email, staff in people if staff]).update(
        is_staff=True, is_superuser=True
    )
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    addresses = {(a.user_id, a.email) for a in EmailAddress.objects.filter(user__in=users.values())}
    EmailAddress.objects.filter(user__in=users.values(), email__in=emails).update(verified=True)
    with_primary = set(
        EmailAddress.objects.filter(user__in=users.values(), primary=True).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=email, verified=True, primary=user.pk not in with_primary)
        for email, user in users.items()
        if (user.pk, email) not in addresses
    )
    return users


def demo_profiles_ensure(
    *, people: list[DemoPerson], users: dict[str, Any], universities: dict[str, University]
) -> None:
    """A participant profile for each demo person who has none."""
    has_profile = set(ParticipantProfile.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            user=users[person.email],
            full_name=person.full_name,
            university=universities[person.university],
            programme=person.programme,
            country=person.country,
            preferred_language=person.language,
        )
        for person in people
        if users[person.email].pk not in has_profile
    )


def demo_entries_create(
    *, contest: Contest, plan: DemoPlan, users: dict[str, Any], now: datetime
) -> tuple[dict[str, Entry], list[Entry]]:
    """The planned entries that are missing; returns all planned entries by code and the new ones."""
    nominations = {n.slug: n for n in Nomination.objects.filter(contest=contest)}
    platforms = {p.slug: p for p in Platform.objects.filter(contest=contest)}
    universities = {p.user_id: p.university_id for p in ParticipantProfile.objects.filter(user__in=users.values())}
    codes = [entry.code for entry in plan.entries]
    existing = {e.code: e for e in Entry.objects.filter(contest=contest, code__in=codes).select_related("contest")}
    span = now - contest.submissions_open
    created: list[Entry] = []
    for item in plan.entries:
        if item.code in existing:
            continue
        moment = contest.submissions_open + span * item.progress
        entry = Entry(
            contest=contest,
            author=users[item.author],
            code=item.code,
            title=item.title,
            description=item.description,
            nomination=nominations[item.nomination],
            other_platform=item.other_platform,
            live_url=item.live_url,
            consent_to_publish=item.consent,
            status=item.status,
            submitted_at=moment if item.status != EntryStatus.DRAFT else None,
            # As entry_submit records it: the author's university when the entry was submitted.
            author_university_id=universities.get(users[item.author].pk) if item.status != EntryStatus.DRAFT else None,
        )
        created.append(entry)
    Entry.objects.bulk_create(created)
    by_code = {e.code: e for e in created}
    links, coauthors = [], []
    for item in plan.entries:
        if item.code not in by_code:
            continue
        entry = by_code[item.code]
        # Started a little before it was submitted, never before the contest opened.
        started = max(contest.submissions_open, contest.submissions_open + span * item.progress - timedelta(hours=30))
        entry.created_at, entry.updated_at = started, entry.submitted_at or started
        links += [Entry.platforms.through(entry=entry, platform=platforms[slug]) for slug in item.platforms]
        coauthors += [
            CoAuthor(entry=entry, full_name=name, university_id=universities.get(entry.author_id), order=order)
            for order, name in enumerate(item.coauthors)
        ]
    Entry.objects.bulk_update(created, ["created_at", "updated_at"])
    Entry.platforms.through.objects.bulk_create(links)
    CoAuthor.objects.bulk_create(coauthors)
    return {**existing, **by_code}, created
