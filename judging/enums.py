"""Choices used by the judging models."""

from django.db import models
from django.utils.translation import pgettext_lazy


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round status", "Being prepared")
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Submitted")
    #: Submitted, then set aside by an organiser (a conflict of interest): kept for the record, never counted.
    SET_ASIDE = "set_aside", pgettext_lazy("review status", "Set aside")


class ConflictState(models.TextChoices):
    """Whether the organisers have acted on a declared conflict of interest."""

    PENDING = "pending", pgettext_lazy("conflict state", "Waiting for the organisers")
    RESOLVED = "resolved", pgettext_lazy("conflict state", "Taken into account")


class ConflictReviewDecision(models.TextChoices):
    """What became of the submitted reviews a conflict touched."""

    NONE = "", pgettext_lazy("conflict reviews", "No submitted review was affected")
    KEPT = "kept", pgettext_lazy("conflict reviews", "Submitted reviews kept")
    SET_ASIDE = "set_aside", pgettext_lazy("conflict reviews", "Submitted reviews set aside")


class AssignmentOrigin(models.TextChoices):
    AUTOMATIC = "automatic", pgettext_lazy("assignment origin", "Automatic")
    MANUAL = "manual", pgettext_lazy("assignment origin", "By hand")


class ReviewChangeKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("review history", "Submitted")
    REVISED = "revised", pgettext_lazy("review history", "Revised")


class ParticipantView(models.TextChoices):
    """What the entrants of a round see of its results on their own pages, once they are published."""

    NOTHING = "nothing", pgettext_lazy("results shared", "Nothing")
    OUTCOME = "outcome", pgettext_lazy("results shared", "The outcome: shortlisted or not, place and award")
    SCORES = "scores", pgettext_lazy("results shared", "The outcome, the total and each criterion's mean")
    FEEDBACK = (
        "feedback",
        pgettext_lazy("results shared", "The outcome, the scores and the jurors' feedback, anonymised"),
    )


class RankingMethod(models.TextChoices):
    """How a round's entries are ranked from the totals ``T`` of their submitted reviews (SPEC §4)."""

    MEAN = "mean", pgettext_lazy("ranking method", "Mean")
    MEDIAN = "median", pgettext_lazy("ranking method", "Median")
    TRIMMED = "trimmed", pgettext_lazy("ranking method", "Trimmed mean")
    NORMALISED = "normalised", pgettext_lazy("ranking method", "Normalised per juror")


class TieBreaker(models.TextChoices):
    """What separates entries that tie on the round's ranking method, tried in the round's order."""

    MEDIAN = "median", pgettext_lazy("tie-breaker", "Higher median")
    MEAN = "mean", pgettext_lazy("tie-breaker", "Higher mean")
    TRIMMED = "trimmed", pgettext_lazy("tie-breaker", "Higher trimmed mean")
    NORMALISED = "normalised", pgettext_lazy("tie-breaker", "Higher normalised value")
    HEAVIEST_CRITERION = "heaviest_criterion", pgettext_lazy("tie-breaker", "Higher mean of the heaviest criterion")
    EARLIER_SUBMISSION = "earlier_submission", pgettext_lazy("tie-breaker", "Earlier submission")


#: The tie-breakers of a new round: median ``T``, then the heaviest criterion's mean, then the earlier submission.
DEFAULT_TIE_BREAKERS = (
    TieBreaker.MEDIAN.value,
    TieBreaker.HEAVIEST_CRITERION.value,
    TieBreaker.EARLIER_SUBMISSION.value,
)


class RoundNoticeKind(models.TextChoices):
    """The e-mails a juror gets at most once per round."""

    OPENED = "opened", pgettext_lazy("round notice", "The round opened")
    CLOSING = "closing", pgettext_lazy("round notice", "The round closes soon")
