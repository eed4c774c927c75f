"""What judging does when something happens in the apps below it: they send signals, judging listens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from config.enqueue import enqueue_on_commit
from contest.models import Entry
from contest.signals import entries_status_changed


@receiver(entries_status_changed, dispatch_uid="judging.entries_rounds_follow")
def entries_rounds_follow_on_commit(*, sender: type[Entry], entry_ids: Sequence[int], **kwargs: Any) -> None:
    """Once the entries' change commits, bring the rounds that follow submissions in line with it (a task)."""
    ids = sorted(entry_ids)
    if ids:
        enqueue_on_commit("judging.entries_rounds_follow", entry_ids=ids)
