"""What every visitor may read of a contest's judging: the rubric once submissions open, the published results.

Nothing here depends on who asks except the rubric before submissions open, which only the contest's
organisers see. Results are read from the published blog posts, so the contest page and the results API
show exactly what the blog shows: an award only once its post is published, names only with consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from blog.models import Post, PostStatus
from contest.enums import SubmissionWindow
from contest.models import Contest, Nomination, Platform
from judging.models import Criterion, Round
from judging.selectors.rubric import rubric_criteria


@dataclass(frozen=True)
class PublicCriterion:
    """A criterion of the rubric as visitors read it: with its share of the total."""

    criterion: Criterion
    #: The criterion's weight as a percentage of all the weights, to one decimal.
    share: Decimal


def rubric_for_visitor(contest: Contest, user: Any, *, now: datetime | None = None) -> list[PublicCriterion]:
    """The contest's criteria with their levels, for anyone once submissions open, before that for organisers only.

    Empty when there is no rubric yet or the visitor may not see it; two queries (one more for a signed-in
    visitor before submissions open).
    """
    if contest.submission_window(now) == SubmissionWindow.UPCOMING and not (
        user.is_authenticated and user.has_perm("contest.manage_contest", contest)
    ):
        return []
    criteria = rubric_criteria(contest)
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    return [
        PublicCriterion(criterion=criterion, share=(100 * criterion.weight / total).quantize(Decimal("0.1")))
        for criterion in criteria
    ]


@dataclass(frozen=True)
class PublishedAward:
    """A published award as visitors see it: the blog post that publishes it and the round it was given in."""

    post: Post
    round: Round


def published_awards(contest: Contest, *, with_platforms: bool = True) -> list[PublishedAward]:
    """The contest's published awards by round, then places by nomination (1st, 2nd, 3rd), then special awards.

    Three queries whatever their number (two without the posts' platforms); names only with consent, as the
    blog shows them.
    """
    rounds = {
        round.number: round for round in Round.objects.filter(contest=contest, results__published_at__isnull=False)
    }
    if not rounds:
        return []
    posts = Post.objects.filter(
        contest=contest, status=PostStatus.PUBLISHED, key__regex=r"^round-[0-9]+/"
    ).select_related("contest", "nomination", "entry")
    if with_platforms:
        posts = posts.prefetch_related(
            Prefetch("platforms", queryset=Platform.objects.order_by("is_other", "order", "name"))
        )
    found = []
    for post in posts:
        round = rounds.get(int(post.key.split("/", 1)[0].removeprefix("round-")))
        if round is not None:
            found.append(PublishedAward(post=post, round=round))

    def order(award: PublishedAward) -> tuple[int, bool, int, int, int, str]:
        nomination = award.post.nomination
        return (
            award.round.number,
            award.post.place is None,  # places first, then special awards
            nomination.order if nomination is not None else 0,
            nomination.pk if nomination is not None else 0,
            award.post.place or 0,
            award.post.key,
        )

    return sorted(found, key=order)


@dataclass(frozen=True)
class PublishedGroup:
    """The published awards of one nomination of a round (``nomination`` None: the round's special awards)."""

    round: Round
    nomination: Nomination | None
    awards: list[PublishedAward]


def published_results(contest: Contest) -> list[PublishedGroup]:
    """The contest's published awards grouped by round and nomination, the special awards after the places."""
    groups: list[PublishedGroup] = []
    for award in published_awards(contest, with_platforms=False):
        nomination = award.post.nomination if award.post.place is not None else None
        last = groups[-1] if groups else None
        if (
            last is None
            or last.round.pk != award.round.pk
            or (last.nomination.pk if last.nomination else None) != (nomination.pk if nomination else None)
        ):
            last = PublishedGroup(round=award.round, nomination=nomination, awards=[])
            groups.append(last)
        last.awards.append(award)
    return groups
