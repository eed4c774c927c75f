"""A contest's organisers: seating them by e-mail (finding or creating their accounts), telling them, removing them.

A contest always keeps at least one organiser: removals lock every organiser row of the contest first,
so two removals at once cannot leave it with none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.enqueue import enqueue_on_commit
from config.exceptions import BaigeError, NotAllowed
from contest.enums import Language, Role
from contest.mail import mail_person, person_language
from contest.models import Contest, ContestRole
from contest.people import NewPerson, person_find_or_create
from contest.services import Actor, contest_ensure_organiser, contest_settings_check
from contest.texts import texts_set


def contest_ensure_staff(actor: Actor) -> None:
    """Refuse unless ``actor`` is staff: only staff found new contests."""
    if not actor.is_authenticated or not cast(Any, actor).has_perm("contest.create_contest"):
        raise NotAllowed(_("Only staff can create contests."))


def organisers_of(contest: Contest) -> QuerySet[ContestRole]:
    """The organiser roles of a contest with their people, oldest first."""
    return (
        ContestRole.objects.filter(contest=contest, role=Role.ORGANISER).select_related("user__profile").order_by("pk")
    )


def organiser_emails_check(emails: Iterable[str]) -> list[str]:
    """The addresses cleaned of blanks and repeats (any case), in order; refused with every bad one named."""
    cleaned: dict[str, str] = {}
    bad = []
    for raw in emails:
        email = raw.strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
            continue
        cleaned.setdefault(email.lower(), email)
    if bad:
        raise BaigeError(_("These are not e-mail addresses: %(emails)s") % {"emails": ", ".join(bad)}, code="bad_email")
    return list(cleaned.values())


def organisers_seat(*, contest: Contest, emails: Sequence[str], language: str) -> list[Any]:
    """Make the people of these addresses organisers of ``contest``; the accounts newly seated, each told by e-mail.

    The caller checks who acts. Someone without an account gets one (no password: the e-mail's link
    chooses it) written to in ``language``; an existing account is found by address and never changed.
    """
    if language not in Language.values:
        raise BaigeError(_("Unknown language: %(language)s.") % {"language": language})
    seated = []
    for email in organiser_emails_check(emails):
        person = NewPerson(email=email, full_name="", university=None, country="", language=language)
        user, _created = person_find_or_create(person)
        _role, created = ContestRole.objects.get_or_create(contest=contest, user=user, role=Role.ORGANISER)
        if created:
            seated.append(user)
            enqueue_on_commit("contest.send_organiser_notice", contest_id=contest.pk, user_id=user.pk)
    return seated


@transaction.atomic
def contest_organiser_add(*, actor: Actor, contest: Contest, email: str, language: str) -> Any:
    """An organiser of the contest adds a co-organiser by e-mail; the account, or ``None`` if they were one already."""
    contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can add organisers."))
    if not organiser_emails_check([email]):
        raise BaigeError(_("Give an e-mail address."), code="bad_email")
    seated = organisers_seat(contest=contest, emails=[email], language=language)
    return seated[0] if seated else None


@transaction.atomic
def contest_organiser_remove(*, actor: Actor, contest: Contest, user: Any) -> None:
    """Take ``user``'s organiser role in the contest away (their own too), never the last one's."""
    contest_ensure_organiser(actor, contest, refusal=_("Only the contest's organisers can remove organisers."))
    # Every organiser row locked: a second removal waits here and then counts what is left.
    roles = list(ContestRole.objects.select_for_update().filter(contest=contest, role=Role.ORGANISER).order_by("pk"))
    if not cast(Any, actor).is_superuser and all(role.user_id != actor.pk for role in roles):
        # Removed by someone else while this request waited for the lock.
        raise NotAllowed(_("Only the contest's organisers can remove organisers."))
    mine = [role for role in roles if role.user_id == user.pk]
    if not mine:
        raise NotAllowed(_("This person is not an organiser of this contest."))
    if len(roles) <= 1:
        raise BaigeError(
            _("A contest keeps at least one organiser: add another one before removing this one."),
            code="last_organiser",
        )
    mine[0].delete()


def organiser_notice_link(*, user: Any, contest: Contest, language: str) -> str:
    """The contest's organiser dashboard, behind a one-time link to choose a password for an account without one."""
    with translation.override(language):
        dashboard = reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})
        if user.has_usable_password():
            return settings.SITE_URL + dashboard
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
    return settings.SITE_URL + path + "?" + urlencode({"next": dashboard})


def organiser_notice_send(*, contest: Contest, user: Any) -> bool:
    """E-mail a person, in their language, that they organise the contest now; nothing if they no longer do."""
    if not ContestRole.objects.filter(contest=contest, user=user, role=Role.ORGANISER).exists():
        return False
    language = person_language(user)
    profile = getattr(user, "profile", None)
    context = {
        "contest": contest,
        "full_name": profile.full_name if profile is not None else "",
        "has_password": user.has_usable_password(),
        "email": user.email,
        "link": organiser_notice_link(user=user, contest=contest, language=language),
    }
    mail_person(user, "contest/email/organiser_notice", context, language=language)
    return True


@transaction.atomic
def contest_create(
    *,
    actor: Actor,
    slug: str,
    names: Mapping[str, str],
    timezone: str,
    submissions_open: datetime,
    submissions_close: datetime,
    organiser_emails: Sequence[str],
    language: str,
) -> Contest:
    """Staff found a blank contest with its names, slug and timeline, and name its first organisers by e-mail."""
    contest_ensure_staff(actor)
    if not organiser_emails_check(organiser_emails):
        raise BaigeError(_("Name at least one organiser by e-mail."), code="no_organisers")
    contest_slug_ensure_free(slug)
    contest = Contest(
        slug=slug, timezone=timezone, submissions_open=submissions_open, submissions_close=submissions_close
    )
    texts_set(contest, "name", names)
    contest_settings_check(contest)
    try:
        with transaction.atomic():
            contest.save()
    except IntegrityError as taken:
        # Another contest took the address between the check and the save.
        raise contest_slug_taken(slug) from taken
    organisers_seat(contest=contest, emails=organiser_emails, language=language)
    return contest


def contest_slug_taken(slug: str) -> BaigeError:
    """The refusal of an address another contest has."""
    return BaigeError(
        _("Another contest already has the address “%(slug)s”: choose another one.") % {"slug": slug},
        code="slug_taken",
    )


def contest_slug_ensure_free(slug: str) -> None:
    """Refuse an address (slug) another contest has, whatever its case."""
    if Contest.objects.filter(slug__iexact=slug).exists():
        raise contest_slug_taken(slug)
