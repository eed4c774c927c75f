"""Who may see what of background processing."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_site_operator(user: Any) -> bool:
    """Staff and superusers run the site: they may see work that belongs to no contest."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


# Failed tasks of no contest (beat jobs, daily reminders, rows since deleted) carry tracebacks and
# arguments of every contest's work: only the site's operators see them, never a contest's organisers.
rules.add_perm("monitoring.view_site_failures", is_site_operator)
