"""A judged contest for the tests of what entrants see: a screening round, a final with results, reviews with words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from contest.models import CoAuthor, Contest, Entry, Nomination
from judging.enums import ParticipantView, ReviewStatus, RoundStatus
from judging.models import Award, Criterion, Juror, Results, Review, Round, RoundEntry, Score
from tests.factories import NominationFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

NOW = timezone.now().replace(microsecond=0)


@dataclass
class Judged:
    """Round 1 shortlists ``winner`` and ``finalist`` (not ``cut``); round 2, the final, gives ``winner`` 1st place."""

    contest: Contest
    design: Nomination
    criteria: list[Criterion]
    jurors: list[Juror]
    screening: Round
    final: Round
    results: Results
    winner: Entry
    finalist: Entry
    cut: Entry
    set_aside: Review

    def publish(self) -> None:
        self.results.published_at = NOW
        self.results.save(update_fields=["published_at"])


def review(
    round: Round,
    juror: Juror,
    entry: Entry,
    values: Sequence[int],
    *,
    feedback: str = "",
    comments: Sequence[str] = (),
    status: str = ReviewStatus.SUBMITTED,
) -> Review:
    """A review with one value (and optionally a comment) per criterion, in the rubric's order."""
    made = Review.objects.create(
        round=round,
        juror=juror,
        entry=entry,
        status=status,
        feedback=feedback,
        submitted_at=None if status == ReviewStatus.DRAFT else NOW,
        set_aside_at=NOW if status == ReviewStatus.SET_ASIDE else None,
        set_aside_reason="A conflict of interest" if status == ReviewStatus.SET_ASIDE else "",
    )
    criteria = Criterion.objects.filter(rubric__contest=round.contest).order_by("order", "id")
    texts = list(comments) + [""] * len(values)
    Score.objects.bulk_create(
        Score(review=made, criterion=criterion, value=value, max_score=criterion.max_score, comment=text)
        for criterion, value, text in zip(criteria, values, texts[: len(values)], strict=True)
    )
    return made


def judged_contest(contest: Contest, *, view: str = ParticipantView.FEEDBACK, blind: bool = True) -> Judged:
    """The contest judged in two rounds, results finalised (``view`` shared) but not published."""
    contest.submissions_open = NOW - timedelta(days=40)
    contest.submissions_close = NOW - timedelta(days=10)
    contest.save()
    design = NominationFactory(contest=contest, slug="design", name_en="Design", name_kk="Дизайн", name_ru="Дизайн")
    criteria = criteria_for(contest, 5, 10)
    Criterion.objects.filter(pk=criteria[0].pk).update(name_kk="Мазмұны", name_en="Content", name_ru="Содержание")
    Criterion.objects.filter(pk=criteria[1].pk).update(name_kk="Дизайны", name_en="Design work", name_ru="Оформление")
    secret = UniversityFactory(name="Secret Juror University", name_en="Secret Juror University")
    jurors = [juror_in(contest, secret, name=f"Juror Person {n}") for n in ("Alpha", "Bravo", "Charlie")]
    winner = entry_from(contest, UniversityFactory(), title="Fractions with Wordwall")
    finalist = entry_from(contest, UniversityFactory(), title="Maps with Canva")
    cut = entry_from(contest, UniversityFactory(), title="Not this time")
    for entry in (winner, finalist, cut):
        entry.nomination = design
        entry.save(update_fields=["nomination"])
    CoAuthor.objects.create(entry=winner, full_name="Asel Karimova", email="Asel@Example.org")
    screening = round_of(contest, [winner, finalist, cut], jurors[:2], status=RoundStatus.CLOSED, number=1)
    Round.objects.filter(pk=screening.pk).update(participant_view=ParticipantView.OUTCOME, blind=blind)
    final = round_of(contest, [winner, finalist], jurors[1:], status=RoundStatus.CLOSED, number=2)
    Round.objects.filter(pk=final.pk).update(source_round=screening, blind=blind)
    RoundEntry.objects.filter(round=screening, entry__in=[winner, finalist]).update(shortlisted=True)
    # Screening: jurors Alpha and Bravo score everyone.
    review(screening, jurors[0], winner, [5, 8], feedback="Screening: a clear plan.")
    review(screening, jurors[1], winner, [4, 10])
    review(screening, jurors[0], finalist, [3, 6])
    review(screening, jurors[1], finalist, [3, 4])
    review(screening, jurors[0], cut, [1, 2], feedback="Too short for the task.")
    review(screening, jurors[1], cut, [2, 2])
    # The final: Bravo and Charlie; a review of Alpha's, set aside, never counts.
    review(final, jurors[1], winner, [5, 9], feedback="Lovely pacing.", comments=["Rich content", ""])
    review(final, jurors[2], winner, [4, 10], feedback="", comments=["", "Clean slides"])
    review(final, jurors[1], finalist, [3, 5], feedback="Keep going.")
    review(final, jurors[2], finalist, [2, 5])
    set_aside = review(
        final,
        jurors[0],
        winner,
        [0, 0],
        feedback="SET ASIDE WORDS",
        comments=["SET ASIDE COMMENT", ""],
        status=ReviewStatus.SET_ASIDE,
    )
    results = Results.objects.create(round=final, content_hash="0" * 64, finalised_at=NOW, participant_view=view)
    Award.objects.create(results=results, key="nomination-design/place-1/1", nomination=design, place=1, entry=winner)
    screening.refresh_from_db()
    final.refresh_from_db()
    return Judged(contest, design, criteria, jurors, screening, final, results, winner, finalist, cut, set_aside)
