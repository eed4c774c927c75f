"""What an entry's authors see of its judging, once the contest's results are published: its story.

For each round the entry was in, in order: whether it was shortlisted (a round without results of its
own, such as a screening round) or reached the final (a round with finalised results) and its awards
there; then, as far as the round shares them (:class:`~judging.enums.ParticipantView`), the total
``T`` (0–100, by the round's ranking method, as the ranking computes it) and each criterion's mean;
and the jurors' feedback and comments on the criteria, signed "Juror A", "Juror B", ….

Nothing at all comes out before the contest's results are published: this module checks it, not its
callers. A round with results of its own shows once those are published, with the choice made when
they were finalised (:attr:`Results.participant_view`); a closed round without them that shortlisted
entries for another round (a screening round) shows once any results of the contest are published, with
its own setting (:attr:`Round.participant_view`, which no longer changes once the contest has finalised
results). A round that shares nothing, or a closed round whose results are not final yet, is left out.

Only submitted reviews count (never drafts, never reviews set aside). The letters are given per entry
by the id of each juror's first counted review of it in the rounds that share the jurors' words, so a
juror keeps their letter across those rounds, the order says nothing of who they are, and the letters
say nothing of the jurors of rounds that share less; no name, university or anything else
about a juror ever leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from string import ascii_uppercase

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from contest.models import Entry
from judging.enums import ParticipantView, ReviewStatus, RoundStatus
from judging.models import Award, Results, Review, Round, RoundEntry, Score
from judging.ranking import round_ranking

#: The views that show the scores, and the one that shows the jurors' words too.
VIEWS_WITH_SCORES = (ParticipantView.SCORES, ParticipantView.FEEDBACK)


@dataclass(frozen=True)
class CriterionMean:
    """One criterion's mean score of the entry in a round, out of the criterion's highest score."""

    name: str
    mean: float
    max_score: int


@dataclass(frozen=True)
class CriterionComment:
    name: str
    text: str


@dataclass(frozen=True)
class JurorNote:
    """What one juror wrote for the entrant in a round, signed with their letter only."""

    juror: str
    feedback: str
    comments: list[CriterionComment]


@dataclass(frozen=True)
class AwardShown:
    """An award of the entry: its place and nomination, or the special award's name."""

    place: int | None
    nomination: str
    name: str


@dataclass(frozen=True)
class RoundStory:
    """The entry in one round, as the round shares it."""

    round_id: int
    round_number: int
    round_name: str
    view: str
    #: The round has finalised results of its own (the entry reached it, whatever the award).
    final: bool
    shortlisted: bool
    #: The round took its entries from another round's shortlist.
    from_shortlist: bool
    awards: list[AwardShown] = field(default_factory=list)
    total: float | None = None
    criteria: list[CriterionMean] = field(default_factory=list)
    notes: list[JurorNote] = field(default_factory=list)

    @property
    def shows_scores(self) -> bool:
        return self.view in VIEWS_WITH_SCORES

    @property
    def shows_feedback(self) -> bool:
        return self.view == ParticipantView.FEEDBACK

    @property
    def outcome(self) -> str:
        """The outcome in a sentence of the active language: the awards, reached the final, shortlisted or not."""
        if self.awards:
            return "; ".join(award_text(award) for award in self.awards)
        if self.final and not self.from_shortlist:
            return _("No award this time.")
        if self.final:
            return _("Reached the final round “%(round)s”; no award this time.") % {"round": self.round_name}
        if self.shortlisted:
            return _("Shortlisted in round “%(round)s”: it went on to the next round.") % {"round": self.round_name}
        return _("Not shortlisted in round “%(round)s”.") % {"round": self.round_name}


def award_text(award: AwardShown) -> str:
    """ "1st place in the nomination “Design”", or the special award's name, in the active language."""
    if award.place is None:
        return _("Special award “%(award)s”") % {"award": award.name}
    places = {1: _("1st place"), 2: _("2nd place"), 3: _("3rd place")}
    return _("%(place)s in the nomination “%(nomination)s”") % {
        "place": places.get(award.place, str(award.place)),
        "nomination": award.nomination,
    }


def juror_letter(index: int) -> str:
    """A, B, …, Z, then AA, AB, …: the ``index``-th juror's letter (from 0)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(ascii_uppercase))
        letters = ascii_uppercase[rest] + letters
    return letters


def contests_published(contest_ids: Iterable[int]) -> set[int]:
    """Those of the contests with at least one round's results published."""
    return set(
        Results.objects.filter(round__contest_id__in=set(contest_ids), published_at__isnull=False).values_list(
            "round__contest_id", flat=True
        )
    )


def _visible_links(entries: Sequence[Entry]) -> list[RoundEntry]:
    """The round memberships of the entries whose round shares something now; one query (two with awards)."""
    published = contests_published(entry.contest_id for entry in entries)
    candidates = [entry.pk for entry in entries if entry.contest_id in published]
    if not candidates:
        return []
    links = (
        RoundEntry.objects.filter(entry_id__in=candidates, round__status=RoundStatus.CLOSED)
        .annotate(shortlists=Exists(Round.objects.filter(source_round=OuterRef("round_id"))))
        .select_related("round__results")
        .order_by("entry_id", "round__number")
    )
    visible: list[RoundEntry] = []
    for link in links:
        results = getattr(link.round, "results", None)
        if results is not None and results.published_at is None:
            continue
        # A closed round without results of its own tells something only if it shortlisted for another round;
        # otherwise its results are simply not final yet.
        if results is None and not link.shortlists:
            continue
        view = results.participant_view if results is not None else link.round.participant_view
        if view != ParticipantView.NOTHING:
            visible.append(link)
    return visible


def _view(link: RoundEntry) -> str:
    results = getattr(link.round, "results", None)
    return str(results.participant_view if results is not None else link.round.participant_view)


def _awards(links: Sequence[RoundEntry]) -> dict[tuple[int, int], list[AwardShown]]:
    """The awards by (results' round, entry)."""
    pairs = [link for link in links if getattr(link.round, "results", None) is not None]
    if not pairs:
        return {}
    found: dict[tuple[int, int], list[AwardShown]] = defaultdict(list)
    awards = (
        Award.objects.filter(
            results__in={link.round.results.pk for link in pairs}, entry_id__in={link.entry_id for link in pairs}
        )
        .select_related("nomination", "entry__nomination", "results")
        .order_by("order", "pk")
    )
    for award in awards:
        nomination = award.nomination or award.entry.nomination
        found[(award.results.round_id, award.entry_id)].append(
            AwardShown(place=award.place, nomination=nomination.name, name=award.name or "")
        )
    return found


def entries_story(entries: Sequence[Entry], *, scores: bool = False) -> dict[int, list[RoundStory]]:
    """Each entry's story by id: the outcome of each round it was in, empty before publication.

    Without ``scores``, only the outcomes (for a list, in three queries whatever its length); with them,
    the totals, means and the jurors' words as each round shares them.
    """
    links = _visible_links(entries)
    awards = _awards(links)
    stories: dict[int, list[RoundStory]] = {entry.pk: [] for entry in entries}
    for link in links:
        stories[link.entry_id].append(
            RoundStory(
                round_id=link.round_id,
                round_number=link.round.number,
                round_name=str(link.round),
                view=_view(link),
                final=getattr(link.round, "results", None) is not None,
                shortlisted=link.shortlisted,
                from_shortlist=link.round.source_round_id is not None,
                awards=awards.get((link.round_id, link.entry_id), []),
            )
        )
    if scores:
        for entry in entries:
            stories[entry.pk] = _with_scores(entry, stories[entry.pk])
    return stories


def entry_story(entry: Entry) -> list[RoundStory]:
    """The entry's story, round by round, with what each round shares; empty before publication."""
    return entries_story([entry], scores=True)[entry.pk]


def _with_scores(entry: Entry, story: list[RoundStory]) -> list[RoundStory]:
    shared = [item for item in story if item.shows_scores]
    if not shared:
        return story
    rounds = {link.round_id: link.round for link in RoundEntry.objects.filter(entry=entry).select_related("round")}
    figures: dict[int, tuple[float | None, list[CriterionMean]]] = {}
    for item in shared:
        ranking = round_ranking(rounds[item.round_id])
        row = next((row for row in ranking.rows() if row.entry_id == entry.pk), None)
        if row is None or not row.reviews:
            figures[item.round_id] = (None, [])
            continue
        means = [
            CriterionMean(name=criterion.name, mean=mean, max_score=criterion.max_score)
            for criterion, mean in zip(ranking.criteria, row.criterion_means, strict=True)
            if mean is not None
        ]
        figures[item.round_id] = (row.value(rounds[item.round_id].ranking_method), means)
    notes = _notes(entry, [item.round_id for item in story if item.shows_feedback])
    told = []
    for item in story:
        total, means = figures.get(item.round_id, (None, []))
        told.append(
            replace(
                item,
                total=total if item.shows_scores else None,
                criteria=means if item.shows_scores else [],
                notes=notes.get(item.round_id, []) if item.shows_feedback else [],
            )
        )
    return told


def _notes(entry: Entry, round_ids: Sequence[int]) -> dict[int, list[JurorNote]]:
    """The jurors' feedback and comments of the rounds, by round, signed with letters stable for the entry."""
    if not round_ids:
        return {}
    counted = Review.objects.filter(
        entry=entry, status=ReviewStatus.SUBMITTED, round__status=RoundStatus.CLOSED, round_id__in=round_ids
    )
    # The letters: by each juror's first counted review of the entry in the rounds that share words, so that
    # they say nothing of the jurors of the rounds that do not.
    positions: dict[int, int] = {}
    for juror_id in counted.order_by("pk").values_list("juror_id", flat=True):
        positions.setdefault(juror_id, len(positions))
    scores = Score.objects.exclude(comment="").select_related("criterion").order_by("criterion__order", "criterion_id")
    reviews = (
        counted.only("pk", "round_id", "juror_id", "feedback")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("pk")
    )
    found: dict[int, list[tuple[int, JurorNote]]] = defaultdict(list)
    for review in reviews:
        comments = [
            CriterionComment(name=str(score.criterion.name), text=score.comment.strip())
            for score in review.scores.all()
        ]
        comments = [comment for comment in comments if comment.text]
        feedback = review.feedback.strip()
        if not feedback and not comments:
            continue
        position = positions[review.juror_id]
        juror = _("Juror %(letter)s") % {"letter": juror_letter(position)}
        found[review.round_id].append((position, JurorNote(juror=juror, feedback=feedback, comments=comments)))
    # In the letters' order, never in any order of the jurors themselves.
    return {
        round_id: [note for _position, note in sorted(pairs, key=lambda pair: pair[0])]
        for round_id, pairs in found.items()
    }
