"""Signals the contest app sends for the apps above it, which it never imports."""

from __future__ import annotations

from django.dispatch import Signal

#: An entry was submitted, withdrawn or submitted again; sent inside the change's transaction with
#: ``entry_id``. Judging keeps the rounds that follow submissions in step (``judging.receivers``).
entry_submission_changed = Signal()
