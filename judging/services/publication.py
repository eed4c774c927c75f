"""Publishing a round's finalised results: a blog post per award, and an e-mail to every participant.

Results are published at the contest's announced time (the ``judging.publish_due_results`` beat task) or
when an organiser clicks, and again whenever an award changes afterwards. The :class:`Results` row is
locked while its posts are written, so two publishers run one after the other and the second finds
nothing left to do; the blog's unique award key backs this up. A post is written only when what it
should say differs from what it says, so publishing again changes nothing but what changed.

Names and universities reach the blog only when the entry's author consented to publication
(``Entry.consent_to_publish``); the blog's database refuses them otherwise.

Participants are told the contest's results once, at its first publication: one e-mail per contest and
address to every author and co-author of a judged entry (:mod:`judging.services.result_notices`), queued
when the publication commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blog.models import Post, PostStatus
from blog.services import post_publish, post_unpublish, post_upsert, posts_ensure_may_publish
from config.exceptions import BaigeError
from contest.models import CoAuthor, Entry, Nomination, University
from contest.services import Actor, contest_format_time
from contest.texts import TEXT_LANGUAGES
from judging.coverage import unjudged_ensure_confirmed
from judging.models import Award, Results, Round
from judging.services.result_notices import result_notices_claim, result_notices_pending

logger = logging.getLogger(__name__)


@dataclass
class PublishReport:
    """What :func:`results_publish` did to the blog, post by post."""

    created: list[Post] = field(default_factory=list)
    updated: list[Post] = field(default_factory=list)
    unchanged: list[Post] = field(default_factory=list)
    unpublished: list[Post] = field(default_factory=list)
    #: Whether this publication told the participants their results (only the first one does).
    notified: bool = False

    @property
    def changed(self) -> list[Post]:
        """Posts that visitors now see differently: new, corrected or withdrawn."""
        return [*self.created, *self.updated, *self.unpublished]


def round_post_prefix(round: Round) -> str:
    """The start of the keys of a round's posts: ``round-<n>/``."""
    return f"round-{round.number}/"


def award_post_key(award: Award, round: Round) -> str:
    """The key of the blog post that publishes ``award``: the round's prefix and the award's own key."""
    return f"{round_post_prefix(round)}{award.key}"


def place_name(place: int) -> str:
    """ "1st place", "2nd place", "3rd place" in the active language."""
    names = {1: _("1st place"), 2: _("2nd place"), 3: _("3rd place")}
    return names.get(place) or _("Place %(place)d") % {"place": place}


def award_name(award: Award) -> str:
    """The award in the active language: its place, or the special award's name."""
    return place_name(award.place) if award.place is not None else (award.name or "")


def award_in_nomination(place: int | None, nomination: Nomination | None, name: str = "") -> str:
    """An award in the active language as lists name it: "1st place · Design", or the special award's name."""
    if place is None:
        return name or _("Special award")
    return f"{place_name(place)} · {nomination.name}" if nomination is not None else place_name(place)


def entry_authors(entry: Entry) -> list[str]:
    """The names of the entry's author and co-authors, in their order (co-authors must be prefetched)."""
    profile = getattr(entry.author, "profile", None)
    names = [profile.full_name if profile is not None else ""]
    names += [coauthor.full_name for coauthor in entry.coauthors.all()]
    return [name for name in names if name]


def entry_universities_named(entry: Entry) -> list[str]:
    """The names of the universities of the entry's authors, each once, in the order the authors come."""
    # The universities as the entry recorded them when it was submitted, not the author's profile now.
    universities: list[University | None] = [entry.author_university]
    universities += [coauthor.university for coauthor in entry.coauthors.all()]
    names: list[str] = []
    for university in universities:
        if university is not None and university.name and university.name not in names:
            names.append(university.name)
    return names


def _texts(award: Award, entry: Entry, contest_name: str) -> dict[str, str]:
    """The post's texts in the active language."""
    nomination = award.nomination or entry.nomination
    name = award_name(award)
    if award.place is not None:
        title = _("%(place)s · %(nomination)s · %(entry)s") % {
            "place": name,
            "nomination": nomination.name,
            "entry": entry.title,
        }
        summary = _("“%(entry)s” takes the %(place)s in the nomination “%(nomination)s” of %(contest)s.") % {
            "entry": entry.title,
            "place": name,
            "nomination": nomination.name,
            "contest": contest_name,
        }
    else:
        title = _("%(award)s · %(entry)s") % {"award": name, "entry": entry.title}
        summary = _("“%(entry)s” receives the special award “%(award)s” of %(contest)s.") % {
            "entry": entry.title,
            "award": name,
            "contest": contest_name,
        }
    return {"title": title, "summary": summary, "body": entry.description, "award": name}


def award_post_fields(award: Award, round: Round) -> dict[str, Any]:
    """What the award's post says, as :func:`blog.services.post_upsert` takes it (texts in kk, ru and en)."""
    entry = award.entry
    texts: dict[str, dict[str, str]] = {name: {} for name in ("title", "summary", "body", "award")}
    for language in TEXT_LANGUAGES:
        with translation.override(language):
            for name, text in _texts(award, entry, round.contest.name).items():
                texts[name][language] = (text or "").strip()
    consent = entry.consent_to_publish
    # People's names as they typed them, the universities named in each language; without the author's consent,
    # neither.
    authors = ", ".join(entry_authors(entry)) if consent else ""
    universities: dict[str, str] = {}
    for language in TEXT_LANGUAGES:
        with translation.override(language):
            universities[language] = ", ".join(entry_universities_named(entry)) if consent else ""
    return {
        **texts,
        "place": award.place,
        "nomination": award.nomination or entry.nomination,
        "platforms": sorted(entry.platforms.all(), key=lambda platform: platform.pk),
        "entry": entry,
        "live_url": entry.live_url,
        "show_authors": consent,
        "authors_text": authors,
        "university_text": universities,
    }


def _post_says(post: Post, fields: dict[str, Any]) -> bool:
    """Whether the published ``post`` already says exactly ``fields``."""
    if post.status != PostStatus.PUBLISHED:
        return False
    for name, value in fields.items():
        if name in ("title", "summary", "body", "award", "university_text"):
            if any((getattr(post, f"{name}_{language}") or "") != value[language] for language in TEXT_LANGUAGES):
                return False
        elif name == "platforms":
            if sorted(platform.pk for platform in post.platforms.all()) != [platform.pk for platform in value]:
                return False
        elif name in ("nomination", "entry"):
            if getattr(post, f"{name}_id") != (value.pk if value is not None else None):
                return False
        elif getattr(post, name) != value:
            return False
    return True


def results_awards(results: Results) -> QuerySet[Award]:
    """The awards of ``results`` in their order, with what their posts and e-mails show of entries and authors."""
    return (
        Award.objects.filter(results=results)
        .select_related("nomination", "entry__nomination", "entry__author__profile", "entry__author_university")
        .prefetch_related(
            "entry__platforms",
            Prefetch("entry__coauthors", queryset=CoAuthor.objects.select_related("university")),
        )
        .order_by("order", "pk")
    )


def results_publish_refusal(results: Results, *, now: datetime) -> str | None:
    """Why the results cannot be published at ``now`` whatever the organiser confirms, or ``None``."""
    contest = results.round.contest
    if now < contest.submissions_close:
        return _("The results cannot be published before submissions close on %(when)s: entries may still come in.") % {
            "when": contest_format_time(contest, contest.submissions_close)
        }
    return None


def results_publish_is_early(results: Results, *, now: datetime) -> bool:
    """Whether publishing at ``now`` is a first publication before the contest's announced results time."""
    announced = results.round.contest.results_publish_at
    return results.published_at is None and announced is not None and now < announced


def _ensure_publishable_now(results: Results, *, now: datetime, confirm_early: bool) -> None:
    refusal = results_publish_refusal(results, now=now)
    if refusal is not None:
        raise BaigeError(refusal, code="submissions_open")
    if results_publish_is_early(results, now=now) and not confirm_early:
        contest = results.round.contest
        assert contest.results_publish_at is not None
        raise BaigeError(
            _(
                "The results are announced for %(when)s. To publish them before that, confirm that you "
                "publish before the announced time."
            )
            % {"when": contest_format_time(contest, contest.results_publish_at)},
            code="before_announced_time",
        )


@transaction.atomic
def results_publish(
    *,
    actor: Actor | None,
    results: Results,
    now: datetime | None = None,
    confirm_early: bool = False,
    confirm_unjudged: bool = False,
    by_hand: bool | None = None,
) -> PublishReport:
    """Publish one post per award of the finalised ``results`` and withdraw the round's posts of awards gone.

    ``actor`` is an organiser, or ``None`` when Baige publishes on its own (at the announced time, or
    after an award changes) or the operator publishes from the command line (``by_hand``). Posts already
    saying what they should are left alone. The first publication also e-mails every participant of
    the round their result, once the transaction commits. Nothing is published while submissions are
    open, and a first publication before the contest's announced results time needs ``confirm_early``.
    Publishing by hand (``by_hand``, by default when there is an actor: an organiser, or the operator's
    ``results_publish`` command) while a submitted entry of the contest is in no round is refused with their
    list (:class:`judging.coverage.UnjudgedEntries`) unless ``confirm_unjudged``; Baige publishing on its
    own goes on (the organiser confirmed when finalising).
    """
    now = now or timezone.now()
    results = Results.objects.select_related("round__contest").get(pk=results.pk)
    # Checked once here: the blog's writes below are told so, instead of checking again for every post.
    posts_ensure_may_publish(actor, results.round.contest)
    # The lock makes concurrent publishers of the same results take turns.
    results = Results.objects.select_for_update().select_related("round__contest").get(pk=results.pk)
    if results.finalised_at is None:
        raise BaigeError(_("The results of this round are not final yet."), code="results_not_final")
    _ensure_publishable_now(results, now=now, confirm_early=confirm_early)
    round = results.round
    contest = round.contest
    if by_hand is None:
        by_hand = actor is not None
    if by_hand:
        unjudged_ensure_confirmed(contest, confirm_unjudged=confirm_unjudged)
    report = PublishReport()
    keys = set()
    existing = {
        post.key: post
        for post in Post.objects.filter(contest=contest, key__startswith=round_post_prefix(round)).prefetch_related(
            "platforms"
        )
    }
    for award in results_awards(results):
        key = award_post_key(award, round)
        keys.add(key)
        fields = award_post_fields(award, round)
        post = existing.get(key)
        if post is not None and _post_says(post, fields):
            report.unchanged.append(post)
            continue
        post, created = post_upsert(actor=actor, contest=contest, key=key, actor_checked=True, **fields)
        post = post_publish(actor=actor, post=post, now=now, actor_checked=True)
        (report.created if created else report.updated).append(post)
    for key, post in sorted(existing.items()):
        if key not in keys and post.status == PostStatus.PUBLISHED:
            report.unpublished.append(post_unpublish(actor=actor, post=post, actor_checked=True))
    update = ["published_at"]
    results.published_at = now
    if results.participants_notified_at is None:
        results.participants_notified_at = now
        update.append("participants_notified_at")
        report.notified = True
        result_notices_claim(contest)
    results.save(update_fields=update)
    logger.info(
        "published results of %s: %d created, %d updated, %d unchanged, %d withdrawn",
        round,
        len(report.created),
        len(report.updated),
        len(report.unchanged),
        len(report.unpublished),
    )
    return report


def results_publish_due(*, now: datetime | None = None) -> int:
    """Publish every finalised, unpublished round's results whose contest announced them for now or earlier.

    Each round's results are published in a transaction of their own, so one refusal leaves the others
    to go; how many were published.
    """
    now = now or timezone.now()
    due = Results.objects.filter(
        published_at__isnull=True,
        round__contest__results_publish_at__lte=now,
        # Never while entries may still come in (the service refuses it too).
        round__contest__submissions_close__lte=now,
    ).order_by("pk")
    published = 0
    for results in due:
        try:
            results_publish(actor=None, results=results, now=now)
        except BaigeError:
            logger.exception("the results of %s could not be published", results)
        else:
            published += 1
    return published


# --- What publishing would do, for the organiser to confirm ------------------------------------


@dataclass(frozen=True)
class AwardPreview:
    """An award as its post would publish it: whether the authors are named, and what the post would say."""

    award: Award
    name: str
    #: The authors and universities the post shows; empty when the authors did not consent.
    authors: str
    universities: str
    #: ``"new"``, ``"updated"`` or ``"unchanged"``: what publishing does to the award's post.
    post: str

    @property
    def named(self) -> bool:
        return self.award.entry.consent_to_publish


@dataclass(frozen=True)
class NominationPreview:
    """The awards of one nomination (``nomination`` None: the special awards)."""

    nomination: Nomination | None
    awards: list[AwardPreview]


@dataclass(frozen=True)
class PublishPreview:
    """What :func:`results_publish` would make public and whom it would e-mail, if run at ``now``."""

    results: Results
    nominations: list[NominationPreview]
    #: Published posts of the round's awards that are gone: publishing withdraws them.
    withdrawn: int
    #: Authors of the contest's judged entries e-mailed the results (none when told already).
    authors_emailed: int
    #: Co-authors e-mailed (one per address, none also an author's; none when told already).
    coauthors_emailed: int
    #: Co-authors of the round's submitted entries without an e-mail address: nobody can tell them.
    coauthors_without_email: int
    participants_notified: bool
    refusal: str | None
    early: bool

    @property
    def awards(self) -> list[AwardPreview]:
        return [award for group in self.nominations for award in group.awards]

    def count(self, post: str) -> int:
        return sum(1 for award in self.awards if award.post == post)

    @property
    def created(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def named(self) -> int:
        return sum(1 for award in self.awards if award.named)

    @property
    def anonymous(self) -> int:
        return sum(1 for award in self.awards if not award.named)


def results_publish_preview(results: Results, *, now: datetime | None = None) -> PublishPreview:
    """What publishing ``results`` now would put on the blog and whom it would e-mail; changes nothing."""
    now = now or timezone.now()
    results = Results.objects.select_related("round__contest").get(pk=results.pk)
    round = results.round
    existing = {
        post.key: post
        for post in Post.objects.filter(
            contest=round.contest, key__startswith=round_post_prefix(round)
        ).prefetch_related("platforms")
    }
    groups: dict[int | None, NominationPreview] = {}
    keys = set()
    for award in results_awards(results):
        key = award_post_key(award, round)
        keys.add(key)
        fields = award_post_fields(award, round)
        post = existing.get(key)
        state = "new" if post is None else "unchanged" if _post_says(post, fields) else "updated"
        nomination = award.nomination if award.place is not None else None
        group = groups.setdefault(
            nomination.pk if nomination is not None else None, NominationPreview(nomination=nomination, awards=[])
        )
        group.awards.append(
            AwardPreview(
                award=award,
                name=award_name(award),
                authors=fields["authors_text"],
                universities=", ".join(entry_universities_named(award.entry)) if fields["show_authors"] else "",
                post=state,
            )
        )
    withdrawn = sum(1 for key, post in existing.items() if key not in keys and post.status == PostStatus.PUBLISHED)
    notified = results.participants_notified_at is not None
    submitted = Entry.objects.filter(judging_rounds=round).eligible()
    pending = result_notices_pending(round.contest)
    return PublishPreview(
        results=results,
        # Nominations in their order, the special awards last.
        nominations=sorted(
            groups.values(),
            key=lambda group: (group.nomination is None, group.nomination.order if group.nomination else 0),
        ),
        withdrawn=withdrawn,
        authors_emailed=0 if notified else len(pending.authors),
        coauthors_emailed=0 if notified else len(pending.coauthors),
        coauthors_without_email=CoAuthor.objects.filter(entry__in=submitted, email="").count(),
        participants_notified=notified,
        refusal=results_publish_refusal(results, now=now),
        early=results_publish_is_early(results, now=now),
    )
