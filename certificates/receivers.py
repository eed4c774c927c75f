"""Certificates follow the awards: once a contest's certificates are out, a changed award issues them again."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from certificates.models import Certificate
from certificates.services import issue_run_queue
from judging.models import Award


@receiver(post_save, sender=Award, dispatch_uid="certificates.reissue_on_award_change")
def reissue_on_award_change(sender: Any, instance: Award, created: bool, **kwargs: Any) -> None:
    """Queue a bulk issue when an award of a contest with certificates changes or is added.

    The issue replaces the diplomas that now say something else, issues the new ones, and revokes
    those no longer due (an award given to another entry); finalists' certificates follow too.
    """
    contest_id = instance.results.round.contest_id
    if Certificate.objects.filter(contest_id=contest_id).exists():
        issue_run_queue(contest=instance.results.round.contest)
