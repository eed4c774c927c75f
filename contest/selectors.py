"""Reads: querysets and look-ups that also check who is asking."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from config.exceptions import NotAllowed
from contest.coauthor_links import coauthor_of_token, coauthor_token_read
from contest.enums import EntryStatus, Role
from contest.models import (
    CoAuthor,
    Contest,
    Entry,
    EntryEligibilityEvent,
    Nomination,
    ParticipantProfile,
    Platform,
    University,
)


def platforms_in_order() -> Prefetch[Any]:
    """The platforms of each entry (or post) fetched in the order pages show them, the "other" ones last."""
    return Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name"))


def contests_visible() -> QuerySet[Contest]:
    return Contest.objects.all()


def contest_current() -> Contest | None:
    """The contest a visitor most likely means, in one query: the open one closing first, else the latest."""
    now = timezone.now()
    is_open = Q(submissions_open__lte=now, submissions_close__gt=now)
    return (
        Contest.objects.alias(open_closes=Case(When(is_open, then=F("submissions_close"))))
        .order_by(F("open_closes").asc(nulls_last=True), "-submissions_open")
        .first()
    )


def entries_of_author(user: Any, *, contest: Contest | None = None) -> QuerySet[Entry]:
    """A participant's own entries, with everything their list shows, in a fixed number of queries."""
    # The queryset form of contest.rules.is_entry_author: the signed-in author's own entries, nobody else's.
    if not user.is_authenticated:
        return Entry.objects.none()
    queryset = (
        Entry.objects.filter(author=user)
        .select_related("contest", "nomination", "media")
        .prefetch_related(platforms_in_order())
        .order_by("-created_at")
    )
    if contest is not None:
        queryset = queryset.filter(contest=contest)
    return queryset


def get_entry_for_author(user: Any, *, contest_slug: str, code: str) -> Entry:
    """The author's entry, or 404: another person's entry looks exactly like a missing one."""
    entry = (
        entries_of_author(user)
        .select_related("author")
        .prefetch_related(Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university")))
        .filter(contest__slug=contest_slug, code=code)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def verified_emails(user: Any) -> list[str]:
    """The e-mail addresses of an account that it has confirmed (allauth), in lower case."""
    if not user.is_authenticated:
        return []
    return [
        email.lower() for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    ]


def entries_coauthored(user: Any, *, contest: Contest | None = None) -> QuerySet[Entry]:
    """Submitted entries that name one of the account's confirmed addresses as a co-author's; never its own."""
    emails = verified_emails(user)
    if not emails:
        return Entry.objects.none()
    named = Q()
    for email in emails:
        named |= Q(email__iexact=email)
    queryset = (
        Entry.objects.filter(status=EntryStatus.SUBMITTED, pk__in=CoAuthor.objects.filter(named).values("entry_id"))
        .exclude(author=user)
        .select_related("contest", "nomination", "media")
        .prefetch_related(platforms_in_order())
        .order_by("-created_at")
    )
    if contest is not None:
        queryset = queryset.filter(contest=contest)
    return queryset


def _entry_to_read(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    return queryset.select_related("author__profile").prefetch_related(
        Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university"))
    )


def get_entry_for_coauthor(user: Any, *, contest_slug: str, code: str) -> tuple[Entry, CoAuthor]:
    """A submitted entry the account co-authored (by a confirmed address) and that co-author, or 404 like a
    missing one."""
    entry = _entry_to_read(entries_coauthored(user)).filter(contest__slug=contest_slug, code=code).first()
    emails = set(verified_emails(user))
    coauthor = None
    if entry is not None:
        coauthor = next((person for person in entry.coauthors.all() if person.email.strip().lower() in emails), None)
    if entry is None or coauthor is None:
        raise Http404
    return entry, coauthor


def get_entry_for_coauthor_link(token: str) -> tuple[Entry, CoAuthor]:
    """The submitted entry a co-author's signed link opens and that co-author, or 404 when the link is forged,
    changed, or names an address no longer on the entry."""
    found = coauthor_token_read(token)
    if found is None:
        raise Http404
    entry_id, digest = found
    entry = (
        _entry_to_read(Entry.objects.filter(pk=entry_id, status=EntryStatus.SUBMITTED))
        .select_related("contest", "nomination", "media")
        .prefetch_related(platforms_in_order())
        .first()
    )
    coauthor = coauthor_of_token(entry, digest) if entry is not None else None
    if entry is None or coauthor is None:
        raise Http404
    return entry, coauthor


def get_contest(slug: str) -> Contest:
    """The contest with this slug, or 404."""
    return get_object_or_404(Contest, slug=slug)


def get_contest_for_organiser(
    user: Any, *, slug: str, permission: str = "contest.manage_contest", refusal: str = ""
) -> Contest:
    """The contest, if the person holds ``permission`` on it (manage it by default); anyone else is refused.

    Pages are refused with Django's 403 page; the API gives ``refusal``, the reason in the person's
    language, as a ``not_allowed`` error.
    """
    contest = get_contest(slug)
    if not user.has_perm(permission, contest):
        raise NotAllowed(refusal) if refusal else PermissionDenied
    return contest


def get_contest_with_choices(slug: str) -> Contest:
    """The contest with its nominations, platforms and listed universities (what its page shows), or 404."""
    return get_object_or_404(Contest.objects.prefetch_related("nominations", "platforms", "universities"), slug=slug)


def profile_of(user: Any) -> ParticipantProfile | None:
    """The person's participant profile, if they have one."""
    return ParticipantProfile.objects.filter(user=user).first()


def contests_organised_by(user: Any) -> QuerySet[Contest]:
    """The contests a person organises; a superuser manages them all."""
    # The queryset form of ``contest.manage_contest``: contest.rules.is_organiser or a superuser.
    if not user.is_authenticated:
        return Contest.objects.none()
    if user.is_superuser:
        return Contest.objects.order_by("-submissions_open")
    return Contest.objects.filter(roles__user=user, roles__role=Role.ORGANISER).order_by("-submissions_open")


def entries_for_organiser(contest: Contest) -> QuerySet[Entry]:
    """Every entry of a contest with what the organiser's table shows, in a fixed number of queries."""
    return (
        Entry.objects.filter(contest=contest)
        .select_related("author__profile__university", "author_university", "nomination", "media")
        .prefetch_related(platforms_in_order())
        .order_by(F("submitted_at").desc(nulls_last=True), "-created_at", "-pk")
    )


def get_contest_managed(user: Any, *, slug: str) -> Contest:
    """The contest if the person manages it; 404 for anyone else, exactly as for a missing contest."""
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None or not user.is_authenticated or not user.has_perm("contest.manage_contest", contest):
        raise Http404
    return contest


def get_entry_for_organiser(user: Any, *, slug: str, code: str) -> Entry:
    """An entry of a contest the person manages, with everything its organisers' page shows of it; else 404.

    Another contest's entry under this contest's address, and any entry for someone who does not manage the
    contest, look exactly like a missing one.
    """
    contest = get_contest_managed(user, slug=slug)
    entry = (
        Entry.objects.filter(contest=contest, code=code)
        .select_related(
            "author__profile__university", "author_university", "nomination", "media", "disqualified_by__profile"
        )
        .prefetch_related(
            platforms_in_order(), Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university"))
        )
        .first()
    )
    if entry is None:
        raise Http404
    entry.contest = contest
    return entry


def entry_code_find(contest: Contest, code: str) -> Entry | None:
    """The contest's entry with this code, whatever its case and the spaces around it; only this contest's."""
    code = "".join(code.split())
    if not code:
        return None
    return Entry.objects.filter(contest=contest, code__iexact=code).only("pk", "code").first()


def entry_eligibility_history(entry: Entry) -> list[EntryEligibilityEvent]:
    """The entry's disqualifications and reinstatements, oldest first, with who decided; one query."""
    return list(entry.eligibility_events.select_related("actor__profile").order_by("at", "pk"))


def entry_university_of_author() -> Case:
    """:attr:`Entry.university_of_author` in SQL: the recorded university once submitted, else the profile's."""
    return Case(
        When(submitted_at__isnull=False, then=F("author_university")),
        default=F("author__profile__university"),
    )


def contest_entry_counts(contest: Contest) -> dict[str, int]:
    """Entries by status (and the disqualified among them), the participants and universities behind them; one query."""
    counts = Entry.objects.filter(contest=contest).aggregate(
        total=Count("pk"),
        participants=Count("author", distinct=True),
        universities=Count(entry_university_of_author(), distinct=True),
        **{status: Count("pk", filter=Q(status=status)) for status in EntryStatus.values},
        disqualified=Count("pk", filter=Q(disqualified_at__isnull=False)),
    )
    return {name: value or 0 for name, value in counts.items()}


def universities_of_contest(contest: Contest) -> QuerySet[University]:
    """Universities listed for the contest or of a participant with an entry in it."""
    return (
        University.objects.filter(
            Q(contests=contest)
            | Q(participants__user__entries__contest=contest)
            | Q(pk__in=Entry.objects.filter(contest=contest).values("author_university"))
        )
        .distinct()
        .order_by("name")
    )


def platforms_with_usage(contest: Contest) -> QuerySet[Platform]:
    """The contest's platforms, each with ``entry_count``: how many entries use it."""
    return (
        Platform.objects.filter(contest=contest)
        .annotate(entry_count=Count("entries"))
        .order_by("is_other", "order", "name")
    )


def nominations_with_usage(contest: Contest) -> QuerySet[Nomination]:
    """The contest's nominations, each with ``entry_count``: how many entries use it."""
    return Nomination.objects.filter(contest=contest).annotate(entry_count=Count("entries")).order_by("order", "pk")


def get_platform_for_organiser(contest: Contest, pk: int) -> Platform:
    """A platform of the contest (with its contest); 404 for another contest's."""
    return get_object_or_404(Platform.objects.select_related("contest"), contest=contest, pk=pk)


def get_nomination_for_organiser(contest: Contest, pk: int) -> Nomination:
    """A nomination of the contest (with its contest); 404 for another contest's."""
    return get_object_or_404(Nomination.objects.select_related("contest"), contest=contest, pk=pk)
