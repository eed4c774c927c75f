"""What judging does when something happens in the apps below it: they send signals, judging listens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from contest.models import Entry
from contest.signals import entry_submission_changed
from judging import tasks


@receiver(entry_submission_changed, dispatch_uid="judging.entry_rounds_follow")
def entry_rounds_follow_on_commit(*, sender: type[Entry], entry_id: int, **kwargs: Any) -> None:
    """Once the entry's change commits, bring the rounds that follow submissions in line with it (a task)."""
    transaction.on_commit(lambda: tasks.entry_rounds_follow.delay(entry_id=entry_id))
