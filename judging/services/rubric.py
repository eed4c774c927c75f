"""Writes of the contest's rubric: its criteria, their weights, scales and level descriptors, until the first score.

The texts of Baige's three languages are filled and checked here for the other judging services too.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from config.activity_log import bulk_create_logged
from config.exceptions import BaigeError, NotAllowed, full_clean_or_refuse
from contest.models import Contest
from contest.services import Actor, contest_ensure_organiser, contest_format_time
from contest.slugs import unique_slug
from contest.texts import has_text, texts_set
from judging.models import MAX_SCALE, Criterion, CriterionLevel, Rubric


def _rubric_locked(contest: Contest) -> Rubric:
    Rubric.objects.get_or_create(contest=contest)
    return Rubric.objects.select_for_update().get(contest=contest)


def rubric_ensure_editable(rubric: Rubric) -> None:
    """Refuse once jurors have started scoring: from the first saved score on, the rubric is frozen."""
    if rubric.frozen_at is not None:
        raise BaigeError(
            _(
                "The rubric can no longer be changed: jurors have been scoring with it since %(date)s. "
                "Changing criteria, weights or scales now would make their scores incomparable."
            )
            % {"date": contest_format_time(rubric.contest, rubric.frozen_at)},
            code="rubric_frozen",
        )


@transaction.atomic
def rubric_criterion_save(
    *,
    actor: Actor,
    contest: Contest,
    criterion: Criterion | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    weight: Decimal | int | str = 1,
    max_score: int = 5,
    order: int = 0,
    slug: str = "",
    levels: Mapping[int, Mapping[str, str]] | None = None,
) -> Criterion:
    """Add a criterion to the contest's rubric, or change one, until the first score is saved.

    ``levels`` maps a score (0..max_score) to its descriptor by language; given, it replaces the
    criterion's descriptors. Lowering ``max_score`` drops the descriptors above it.
    """
    contest_ensure_organiser(actor, contest)
    rubric = _rubric_locked(contest)
    rubric_ensure_editable(rubric)
    if criterion is None:
        criterion = Criterion(rubric=rubric)
    else:
        locked = Criterion.objects.select_for_update().filter(pk=criterion.pk, rubric=rubric).first()
        if locked is None:
            raise NotAllowed(_("This criterion belongs to another contest."))
        criterion = locked
    names = {"kk": name_kk, "ru": name_ru, "en": name_en}
    texts_set(criterion, "name", names)
    if not has_text(criterion, "name"):
        raise BaigeError(_("Give the criterion's name in at least one language."))
    texts_set(criterion, "description", {"kk": description_kk, "ru": description_ru, "en": description_en})
    try:
        criterion.weight = Decimal(str(weight))
    except InvalidOperation as wrong:
        raise BaigeError(_("The weight must be a number.")) from wrong
    if not criterion.weight.is_finite() or criterion.weight <= 0:
        raise BaigeError(_("The weight must be greater than zero."))
    if isinstance(max_score, bool) or not isinstance(max_score, int) or not 1 <= max_score <= MAX_SCALE:
        raise BaigeError(_("The highest score must be a whole number from 1 to %(max)d.") % {"max": MAX_SCALE})
    criterion.max_score = max_score
    criterion.order = order
    taken = set(Criterion.objects.filter(rubric=rubric).exclude(pk=criterion.pk).values_list("slug", flat=True))
    if slug.strip():
        if slug.strip() in taken:
            raise BaigeError(_("The short name “%(slug)s” is already used in this rubric.") % {"slug": slug.strip()})
        criterion.slug = slug.strip()
    elif not criterion.slug:
        source = names["en"].strip() or names["ru"].strip() or names["kk"].strip()
        criterion.slug = unique_slug(source, taken=taken, max_length=80, fallback="criterion")
    full_clean_or_refuse(criterion, exclude=["rubric"], validate_constraints=False)
    criterion.save()
    if levels is not None:
        if any(not isinstance(score, int) or not 0 <= score <= max_score for score in levels):
            raise BaigeError(
                _("Descriptors can only be given for scores from 0 to %(max)d.") % {"max": max_score},
            )
        criterion.levels.all().delete()
        made = []
        for score, texts in sorted(levels.items()):
            level = CriterionLevel(criterion=criterion, score=score)
            texts_set(level, "descriptor", texts)
            if has_text(level, "descriptor"):
                made.append(level)
        bulk_create_logged(CriterionLevel, made)
    else:
        criterion.levels.filter(score__gt=max_score).delete()
    return criterion


@transaction.atomic
def rubric_criterion_delete(*, actor: Actor, criterion: Criterion) -> None:
    """Delete a criterion while the rubric is not frozen."""
    contest = criterion.rubric.contest
    contest_ensure_organiser(actor, contest)
    rubric_ensure_editable(_rubric_locked(contest))
    criterion.delete()
