"""Judging: the rubric, rounds, jurors and their conflicts, assignments, reviews and their history."""

from judging.models.jury import Conflict, Juror
from judging.models.results import Award, AwardChange, ResultNotice, Results
from judging.models.reviews import JurorReminder, JurorRoundNotice, Review, ReviewChange, Score
from judging.models.rounds import (
    MAX_FEEDBACK_MIN_LENGTH,
    Assignment,
    AssignmentRemoval,
    Round,
    RoundEntry,
    RoundJuror,
    default_tie_breakers,
    validate_tie_breakers,
)
from judging.models.rubric import MAX_SCALE, Criterion, CriterionLevel, Rubric

__all__ = [
    "Assignment",
    "AssignmentRemoval",
    "Award",
    "AwardChange",
    "Conflict",
    "Criterion",
    "CriterionLevel",
    "Juror",
    "JurorReminder",
    "JurorRoundNotice",
    "MAX_FEEDBACK_MIN_LENGTH",
    "MAX_SCALE",
    "ResultNotice",
    "Results",
    "Review",
    "ReviewChange",
    "Round",
    "RoundEntry",
    "RoundJuror",
    "Rubric",
    "Score",
    "default_tie_breakers",
    "validate_tie_breakers",
]
