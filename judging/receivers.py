"""What judging does when something happens elsewhere: the apps below it and allauth send signals, judging listens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver

from config.enqueue import enqueue_on_commit
from contest.models import Entry
from contest.signals import entries_status_changed, entry_eligibility_changed
from judging.coverage import entry_eligibility_follow
from judging.models import Juror
from judging.selectors.eligibility import awards_ensure_none


@receiver(entries_status_changed, dispatch_uid="judging.entries_rounds_follow")
def entries_rounds_follow_on_commit(*, sender: type[Entry], entry_ids: Sequence[int], **kwargs: Any) -> None:
    """Once the entries' change commits, bring the rounds that follow submissions in line with it (a task)."""
    ids = sorted(entry_ids)
    if ids:
        enqueue_on_commit("judging.entries_rounds_follow", entry_ids=ids)


@receiver(entry_eligibility_changed, dispatch_uid="judging.entry_eligibility_follow")
def entry_eligibility_rounds_follow(*, sender: type[Entry], entry: Entry, disqualified: bool, **kwargs: Any) -> None:
    """Refuse to disqualify an entry that holds an award; else take it out of the open rounds or bring it back."""
    # At once, inside the organiser's transaction: what the confirmation said is what is done, or nothing is.
    if disqualified:
        awards_ensure_none(entry)
    entry_eligibility_follow(entry)


@receiver(password_reset, dispatch_uid="judging.juror_email_verified_on_password_reset")
def juror_email_verify_on_password_reset(*, user: Any, **kwargs: Any) -> None:
    """Mark a juror's e-mail verified once they set a password through a link sent to it (the invitation)."""
    # Following the link proves the juror reads that mailbox; without this, their first login
    # would stop at a second, needless e-mail confirmation.
    if Juror.objects.filter(user=user).exists():
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
