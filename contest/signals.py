"""Signals the contest app sends for the apps above it, which it never imports."""

from __future__ import annotations

from django.dispatch import Signal

#: Entries were submitted, withdrawn or submitted again (or imported); sent inside the change's
#: transaction with ``entry_ids``. Judging keeps the rounds that follow submissions in step
#: (``judging.receivers``).
entries_status_changed = Signal()

#: A draft entry is about to be deleted; sent inside the deletion's transaction with ``entry`` (still in the
#: database). The media pipeline removes the entry's stored files once the deletion commits
#: (``media_pipeline.receivers``).
entry_deleting = Signal()

#: An organiser disqualified an entry or reinstated it; sent inside the change's transaction with ``entry`` (its
#: new state saved) and ``disqualified``. Judging refuses, by raising, to disqualify an entry that holds an award,
#: and takes the entry out of the rounds that are not closed, or brings it back (``judging.receivers``).
entry_eligibility_changed = Signal()
