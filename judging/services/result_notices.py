"""Who is told the contest's results, and the claim that tells each address only once.

Everyone named on a submitted entry that was judged in the contest (it was in at least one round:
winners, finalists and those not shortlisted alike), author or co-author, is e-mailed once per
contest and address, whatever the case of its letters. The first publication of any of the contest's
results takes a :class:`~judging.models.ResultNotice` for every address (the database keeps one per
contest and address) and queues the sending of each; the sending marks the notice sent under a row
lock, so two publications, two clicks or two workers never e-mail an address twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from config.enqueue import enqueue_on_commit
from contest.models import CoAuthor, Contest, Entry
from judging.models import ResultNotice, RoundEntry


@dataclass(frozen=True)
class Recipients:
    """The addresses to tell, in lower case: the authors' and the co-authors' who are not also authors."""

    authors: dict[str, str]
    coauthors: dict[str, str]

    def all(self) -> dict[str, str]:
        """Every address to tell, lower case to as given."""
        return {**self.coauthors, **self.authors}


def entries_judged(contest: Contest) -> list[Entry]:
    """The contest's eligible entries that were in at least one round (a disqualified entry's authors were told)."""
    in_a_round = RoundEntry.objects.filter(entry=OuterRef("pk"))
    return list(
        Entry.objects.filter(contest=contest)
        .eligible()
        .filter(Exists(in_a_round))
        .select_related("author")
        .order_by("code")
    )


def result_recipients(contest: Contest) -> Recipients:
    """Every address to tell the contest's results, each once (an author's address counts as the author's)."""
    entries = entries_judged(contest)
    authors: dict[str, str] = {}
    for entry in entries:
        if entry.author.email:
            authors.setdefault(entry.author.email.strip().lower(), entry.author.email.strip())
    coauthors: dict[str, str] = {}
    emails = CoAuthor.objects.filter(entry__in=entries).exclude(email="").order_by("pk").values_list("email", flat=True)
    for email in emails:
        key = email.strip().lower()
        if key not in authors:
            coauthors.setdefault(key, email.strip())
    return Recipients(authors=authors, coauthors=coauthors)


def result_notices_pending(contest: Contest) -> Recipients:
    """The addresses of :func:`result_recipients` not told yet (no claim taken for them)."""
    everyone = result_recipients(contest)
    taken = {email.lower() for email in ResultNotice.objects.filter(contest=contest).values_list("email", flat=True)}
    return Recipients(
        authors={key: value for key, value in everyone.authors.items() if key not in taken},
        coauthors={key: value for key, value in everyone.coauthors.items() if key not in taken},
    )


def result_notices_claim(contest: Contest) -> list[int]:
    """Take a claim for every address to tell and queue the e-mail of each unsent one, once the transaction commits.

    Safe to run again and at the same time as another run: the database keeps one claim per contest and
    address, and a claim already sent is not queued; returns the ids queued.
    """
    recipients = result_recipients(contest).all()
    ResultNotice.objects.bulk_create(
        [ResultNotice(contest=contest, email=email) for email in recipients.values()], ignore_conflicts=True
    )
    pending = list(
        ResultNotice.objects.filter(contest=contest, sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for notice_id in pending:
        enqueue_on_commit("judging.send_result_notice", notice_id=notice_id)
    return pending
