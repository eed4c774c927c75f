"""Signals the contest app sends for the apps above it, which it never imports."""

from __future__ import annotations

from django.dispatch import Signal

#: Entries were submitted, withdrawn or submitted again (or imported); sent inside the change's
#: transaction with ``entry_ids``. Judging keeps the rounds that follow submissions in step
#: (``judging.receivers``).
entries_status_changed = Signal()
