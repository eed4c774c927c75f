"""Background work of certificates: a bulk issue, queued by :func:`certificates.services.issue_run_start`."""

from __future__ import annotations

import logging

from celery import shared_task

from certificates.models import IssueRun
from certificates.services import issue_run_perform

logger = logging.getLogger(__name__)


@shared_task(name="certificates.issue_certificates")
def issue_certificates(*, issue_run_id: int) -> int:
    """Issue what is missing of a contest's certificates; how many were issued."""
    run = IssueRun.objects.select_related("contest").filter(pk=issue_run_id).first()
    if run is None:
        logger.info("certificate run %s is gone: nothing to issue", issue_run_id)
        return 0
    return issue_run_perform(run=run).issued
