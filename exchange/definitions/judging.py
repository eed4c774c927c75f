"""The ``rubric`` and ``rounds`` parts of a contest definition file (see ``docs/contest-definition.md``).

Loading matches criteria by slug and rounds by number and creates or updates them; what the
database has and the file does not is kept. A frozen rubric (one with scores) refuses every
change with the path of the field at fault; a closed round likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from config.activity_log import bulk_create_logged
from contest.models import Contest
from exchange.definitions.schema import (
    LANGUAGES,
    DefinitionInvalid,
    DefinitionProblems,
    Texts,
    bool_check,
    fields_check,
    items_check,
    moment_dump,
    path_at,
    slug_check,
    slugs_unique_check,
    texts_check,
    texts_dump,
    values_assign,
    whole_number_check,
)
from judging.enums import DEFAULT_TIE_BREAKERS, ParticipantView, RankingMethod, RoundStatus, TieBreaker
from judging.models import MAX_FEEDBACK_MIN_LENGTH, MAX_SCALE, Criterion, CriterionLevel, Round, Rubric

#: The largest weight the column holds (six digits, two after the point).
MAX_WEIGHT = Decimal("9999.99")
ALL = "all"


@dataclass(frozen=True)
class CriterionDefinition:
    path: str
    slug: str
    name: Texts
    description: Texts
    weight: Decimal
    max_score: int
    levels: dict[int, Texts]
    order: int


@dataclass(frozen=True)
class RoundDefinition:
    path: str
    number: int
    name: Texts
    opens: datetime | None
    closes: datetime | None
    blind: bool
    reviews_per_entry: int | None
    ranking_method: str
    tie_breakers: tuple[str, ...]
    feedback_required: bool = False
    feedback_min_length: int = 0
    participant_view: str = ParticipantView.OUTCOME.value
    #: The number of the earlier round whose shortlist this one judges; ``None``: as it is in the database.
    from_round: int | None = None


# --- Checking ---------------------------------------------------------------------------


def _weight(value: Any, path: str, problems: DefinitionProblems) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.add(path, _("must be a number"))
        return Decimal(1)
    try:
        weight = Decimal(str(value).strip())
    except InvalidOperation:
        problems.add(path, _("must be a number"))
        return Decimal(1)
    if not weight.is_finite() or weight <= 0:
        problems.add(path, _("must be greater than zero"))
    elif weight > MAX_WEIGHT:
        problems.add(path, _("must be at most %(maximum)s") % {"maximum": MAX_WEIGHT})
    elif weight != weight.quantize(Decimal("0.01")):
        problems.add(path, _("may have at most two digits after the decimal point"))
    return weight


def _levels(value: Any, path: str, problems: DefinitionProblems, max_score: int) -> dict[int, Texts]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(path, _("must be a mapping of scores to descriptors"))
        return {}
    levels: dict[int, Texts] = {}
    for key, texts in value.items():
        # JSON keys are always strings.
        score = int(key) if isinstance(key, str) and key.strip().isdigit() else key
        at = path_at(path, str(key))
        if isinstance(score, bool) or not isinstance(score, int):
            problems.add(at, _("must be a score (a whole number)"))
            continue
        if not 0 <= score <= max_score:
            problems.add(at, _("must be a score from 0 to %(max)d") % {"max": max_score})
            continue
        if score in levels:
            problems.add(at, _("score %(score)d is given twice") % {"score": score})
            continue
        levels[score] = texts_check(texts, at, problems, max_length=None, required=True)
    return dict(sorted(levels.items()))


def rubric_parse(value: Any, path: str, problems: DefinitionProblems) -> list[CriterionDefinition]:
    """Check the ``rubric`` section: a list of criteria."""
    result, slugs = [], []
    for position, (at, item) in enumerate(items_check(value, path, problems, required=False), start=1):
        data = fields_check(
            item,
            at,
            problems,
            required=("slug", "name"),
            optional=("description", "weight", "max_score", "levels", "order"),
        )
        if data is None:
            continue
        slug = slug_check(data.get("slug"), path_at(at, "slug"), problems, max_length=80) if "slug" in data else ""
        name = Texts()
        if "name" in data:
            name = texts_check(data["name"], path_at(at, "name"), problems, max_length=255, required=True)
        description = texts_check(
            data.get("description"), path_at(at, "description"), problems, max_length=None, required=False
        )
        weight = (
            _weight(data["weight"], path_at(at, "weight"), problems) if data.get("weight") is not None else Decimal(1)
        )
        max_score = 5
        if data.get("max_score") is not None:
            max_score = whole_number_check(data["max_score"], path_at(at, "max_score"), problems)
            if max_score > MAX_SCALE:
                problems.add(path_at(at, "max_score"), _("must be at most %(maximum)d") % {"maximum": MAX_SCALE})
        levels = _levels(data.get("levels"), path_at(at, "levels"), problems, max_score)
        order = position
        if data.get("order") is not None:
            order = whole_number_check(data["order"], path_at(at, "order"), problems, minimum=0)
        slugs.append((path_at(at, "slug"), slug))
        result.append(
            CriterionDefinition(
                path=at,
                slug=slug,
                name=name,
                description=description,
                weight=weight,
                max_score=max_score,
                levels=levels,
                order=order,
            )
        )
    slugs_unique_check(slugs, problems)
    return result


def _local_moment(value: Any, path: str, problems: DefinitionProblems) -> datetime | None:
    """An ISO date and time; one without an offset is read later in the contest's time zone."""
    moment = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and "T" in value.strip().replace(" ", "T"):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        problems.add(path, _("must be a date and time such as 2025-03-01T09:00"))
    return moment


def _ranking_method(value: Any, path: str, problems: DefinitionProblems) -> str:
    if value not in RankingMethod.values:
        problems.add(path, _("must be one of: %(choices)s") % {"choices": ", ".join(RankingMethod.values)})
        return RankingMethod.MEAN.value
    return str(value)


def _tie_breakers(value: Any, path: str, problems: DefinitionProblems) -> tuple[str, ...]:
    result: list[str] = []
    for at, name in items_check(value, path, problems, required=False):
        if name not in TieBreaker.values:
            problems.add(at, _("must be one of: %(choices)s") % {"choices": ", ".join(TieBreaker.values)})
        elif name in result:
            problems.add(at, _("%(name)s is already listed") % {"name": name})
        else:
            result.append(name)
    return tuple(result)


def _feedback(data: dict[str, Any], at: str, problems: DefinitionProblems) -> tuple[bool, int, str]:
    """A round's ``feedback_required``, ``feedback_min_length`` and ``participant_view``."""
    required = False
    if data.get("feedback_required") is not None:
        required = bool_check(data["feedback_required"], path_at(at, "feedback_required"), problems)
    shortest = 0
    if data.get("feedback_min_length") is not None:
        where = path_at(at, "feedback_min_length")
        shortest = whole_number_check(data["feedback_min_length"], where, problems, minimum=0)
        if shortest > MAX_FEEDBACK_MIN_LENGTH:
            problems.add(where, _("must be at most %(maximum)d") % {"maximum": MAX_FEEDBACK_MIN_LENGTH})
        elif shortest and not required:
            problems.add(where, _("needs feedback_required: true"))
    view = ParticipantView.OUTCOME.value
    if data.get("participant_view") is not None:
        if data["participant_view"] not in ParticipantView.values:
            problems.add(
                path_at(at, "participant_view"),
                _("must be one of: %(choices)s") % {"choices": ", ".join(ParticipantView.values)},
            )
        else:
            view = str(data["participant_view"])
    return required, shortest, view


def rounds_parse(value: Any, path: str, problems: DefinitionProblems) -> list[RoundDefinition]:
    """Check the ``rounds`` section: a list of rounds."""
    result: list[RoundDefinition] = []
    seen: dict[int, str] = {}
    for position, (at, item) in enumerate(items_check(value, path, problems, required=False), start=1):
        data = fields_check(
            item,
            at,
            problems,
            required=("name",),
            optional=(
                "number",
                "opens",
                "closes",
                "blind",
                "reviews_per_entry",
                "ranking_method",
                "tie_breakers",
                "feedback_required",
                "feedback_min_length",
                "participant_view",
                "from_round",
            ),
        )
        if data is None:
            continue
        number = position
        if data.get("number") is not None:
            number = whole_number_check(data["number"], path_at(at, "number"), problems)
        if number in seen:
            problems.add(
                path_at(at, "number"),
                _("%(number)d is already used by %(other)s") % {"number": number, "other": seen[number]},
            )
        seen.setdefault(number, at)
        name = Texts()
        if "name" in data:
            name = texts_check(data["name"], path_at(at, "name"), problems, max_length=255, required=True)
        opens = _local_moment(data["opens"], path_at(at, "opens"), problems) if data.get("opens") is not None else None
        closes = (
            _local_moment(data["closes"], path_at(at, "closes"), problems) if data.get("closes") is not None else None
        )
        if opens and closes and (opens.tzinfo is None) == (closes.tzinfo is None) and closes <= opens:
            problems.add(path_at(at, "closes"), _("must be after opens"))
        blind = bool_check(data["blind"], path_at(at, "blind"), problems) if data.get("blind") is not None else True
        reviews: int | None = 3
        raw = data.get("reviews_per_entry")
        if raw == ALL:
            reviews = None
        elif raw is not None:
            if isinstance(raw, bool) or not isinstance(raw, int):
                problems.add(path_at(at, "reviews_per_entry"), _('must be a whole number or "all"'))
            else:
                reviews = whole_number_check(raw, path_at(at, "reviews_per_entry"), problems)
                if reviews > 32767:
                    problems.add(
                        path_at(at, "reviews_per_entry"), _("must be at most %(maximum)d") % {"maximum": 32767}
                    )
        method = RankingMethod.MEAN.value
        if data.get("ranking_method") is not None:
            method = _ranking_method(data["ranking_method"], path_at(at, "ranking_method"), problems)
        breakers: tuple[str, ...] = DEFAULT_TIE_BREAKERS
        if data.get("tie_breakers") is not None:
            breakers = _tie_breakers(data["tie_breakers"], path_at(at, "tie_breakers"), problems)
        feedback_required, feedback_min_length, participant_view = _feedback(data, at, problems)
        from_round = None
        if data.get("from_round") is not None:
            from_round = whole_number_check(data["from_round"], path_at(at, "from_round"), problems)
            if from_round >= number:
                problems.add(path_at(at, "from_round"), _("must be the number of an earlier round"))
        result.append(
            RoundDefinition(
                path=at,
                number=number,
                name=name,
                opens=opens,
                closes=closes,
                blind=blind,
                reviews_per_entry=reviews,
                ranking_method=method,
                tie_breakers=breakers,
                feedback_required=feedback_required,
                feedback_min_length=feedback_min_length,
                participant_view=participant_view,
                from_round=from_round,
            )
        )
    return result


# --- Loading ----------------------------------------------------------------------------


def _criterion_values(item: CriterionDefinition) -> dict[str, Any]:
    return {
        **item.name.columns("name"),
        **item.description.columns("description"),
        "weight": item.weight,
        "max_score": item.max_score,
        "order": item.order,
    }


def _levels_of(criterion: Criterion) -> dict[int, tuple[str, ...]]:
    return {
        level.score: tuple(getattr(level, f"descriptor_{language}") or "" for language in LANGUAGES)
        for level in criterion.levels.all()
    }


def _levels_wanted(item: CriterionDefinition) -> dict[int, tuple[str, ...]]:
    return {score: tuple(getattr(texts, language) for language in LANGUAGES) for score, texts in item.levels.items()}


def _field_path(path: str, name: str) -> str:
    """``rubric[0].name.kk`` for the column ``name_kk``."""
    base, _sep, language = name.rpartition("_")
    return f"{path}.{base}.{language}" if language in LANGUAGES else path_at(path, name)


def rubric_load(*, contest: Contest, items: list[CriterionDefinition]) -> list[str]:
    """Create or update the contest's criteria; a frozen rubric refuses any change."""
    rubric, _created = Rubric.objects.select_for_update().get_or_create(contest=contest)
    existing = {c.slug: c for c in Criterion.objects.filter(rubric=rubric).prefetch_related("levels")}
    frozen = _("the rubric is frozen since the first score was saved; this cannot change any more")
    errors: list[str] = []
    changes: list[str] = []
    for item in items:
        label = _("criterion %(slug)s") % {"slug": item.slug}
        criterion = existing.get(item.slug)
        if criterion is None:
            if rubric.is_frozen:
                errors.append(f"{item.path}: {frozen}")
                continue
            criterion = Criterion(rubric=rubric, slug=item.slug)
            values_assign(criterion, _criterion_values(item))
            criterion.save()
            changed = ["created"]
        else:
            changed = values_assign(criterion, _criterion_values(item))
            if _levels_of(criterion) != _levels_wanted(item):
                changed.append("levels")
            if changed and rubric.is_frozen:
                errors.extend(f"{_field_path(item.path, name)}: {frozen}" for name in changed)
                continue
            if changed:
                criterion.save()
        if "created" in changed or "levels" in changed:
            criterion.levels.all().delete()
            bulk_create_logged(
                CriterionLevel,
                (
                    CriterionLevel(criterion=criterion, score=score, **texts.columns("descriptor"))
                    for score, texts in item.levels.items()
                ),
            )
        if changed == ["created"]:
            changes.append(_("created %(thing)s") % {"thing": label})
        elif changed:
            changes.append(_("updated %(thing)s: %(fields)s") % {"thing": label, "fields": ", ".join(changed)})
    if errors:
        raise DefinitionInvalid(list(dict.fromkeys(errors)))
    return changes


def _aware(moment: datetime | None, contest: Contest, path: str, errors: list[str]) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    tz = contest.tzinfo
    local = moment.replace(tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        errors.append(f"{path}: " + _("does not exist in %(timezone)s (the clocks skip it)") % {"timezone": tz.key})
        return None
    return local


def rounds_load(*, contest: Contest, items: list[RoundDefinition]) -> list[str]:
    """Create or update the contest's rounds by number; a closed round refuses any change."""
    existing = {r.number: r for r in Round.objects.select_for_update().filter(contest=contest)}
    errors: list[str] = []
    changes: list[str] = []
    for item in items:
        opens = _aware(item.opens, contest, path_at(item.path, "opens"), errors)
        closes = _aware(item.closes, contest, path_at(item.path, "closes"), errors)
        if opens and closes and closes <= opens:
            errors.append(f"{path_at(item.path, 'closes')}: " + _("must be after opens"))
        values = {
            **item.name.columns("name"),
            "opens_at": opens,
            "closes_at": closes,
            "blind": item.blind,
            "reviews_per_entry": item.reviews_per_entry,
            "ranking_method": item.ranking_method,
            "tie_breakers": list(item.tie_breakers),
            "feedback_required": item.feedback_required,
            "feedback_min_length": item.feedback_min_length,
            "participant_view": item.participant_view,
        }
        label = _("round %(number)d") % {"number": item.number}
        round = existing.get(item.number)
        if round is None:
            round = Round(contest=contest, number=item.number)
            values_assign(round, values)
            if not errors:
                round.save()
            changes.append(_("created %(thing)s") % {"thing": label})
            continue
        changed = values_assign(round, values)
        if changed and round.status == RoundStatus.CLOSED:
            errors.append(f"{item.path}: " + _("the round is closed; it cannot change any more"))
        elif changed and not errors:
            round.save()
            changes.append(_("updated %(thing)s: %(fields)s") % {"thing": label, "fields": ", ".join(changed)})
    if not errors:
        changes.extend(_sources_load(contest, items, errors))
    if errors:
        raise DefinitionInvalid(errors)
    return changes


def _sources_load(contest: Contest, items: list[RoundDefinition], errors: list[str]) -> list[str]:
    """Link each round that names ``from_round`` to that earlier round of the contest, once every round exists."""
    rounds = {r.number: r for r in Round.objects.filter(contest=contest)}
    changes = []
    for item in items:
        if item.from_round is None:
            continue
        source = rounds.get(item.from_round)
        round = rounds[item.number]
        if source is None:
            errors.append(f"{path_at(item.path, 'from_round')}: " + _("the contest has no such round"))
            continue
        if round.source_round_id == source.pk:
            continue
        if round.status == RoundStatus.CLOSED:
            errors.append(f"{item.path}: " + _("the round is closed; it cannot change any more"))
            continue
        round.source_round = source
        round.save(update_fields=["source_round"])
        changes.append(
            _("updated %(thing)s: %(fields)s")
            % {"thing": _("round %(number)d") % {"number": item.number}, "fields": "from_round"}
        )
    return changes


# --- Dumping ----------------------------------------------------------------------------


def _weight_dump(weight: Decimal) -> int | float:
    return int(weight) if weight == weight.to_integral_value() else float(weight)


def rubric_dump(*, contest: Contest) -> list[dict[str, Any]] | None:
    """The contest's criteria as definition data, or ``None`` when it has none."""
    criteria = list(
        Criterion.objects.filter(rubric__contest=contest).prefetch_related("levels").order_by("order", "id")
    )
    if not criteria:
        return None
    result = []
    for position, criterion in enumerate(criteria, start=1):
        item: dict[str, Any] = {"slug": criterion.slug, "name": texts_dump(criterion, "name") or criterion.name}
        description = texts_dump(criterion, "description")
        if description is not None:
            item["description"] = description
        item["weight"] = _weight_dump(criterion.weight)
        item["max_score"] = criterion.max_score
        levels = {level.score: texts_dump(level, "descriptor") for level in criterion.levels.all()}
        levels = {score: texts for score, texts in levels.items() if texts is not None}
        if levels:
            item["levels"] = levels
        if criterion.order != position:
            item["order"] = criterion.order
        result.append(item)
    return result


def rounds_dump(*, contest: Contest) -> list[dict[str, Any]] | None:
    """The contest's rounds as definition data, or ``None`` when it has none."""
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    if not rounds:
        return None
    tz = contest.tzinfo
    numbers = {round.pk: round.number for round in rounds}
    result = []
    for round in rounds:
        item: dict[str, Any] = {"number": round.number, "name": texts_dump(round, "name") or round.name}
        if round.opens_at is not None:
            item["opens"] = moment_dump(round.opens_at, tz)
        if round.closes_at is not None:
            item["closes"] = moment_dump(round.closes_at, tz)
        item["blind"] = round.blind
        item["reviews_per_entry"] = ALL if round.reviews_per_entry is None else round.reviews_per_entry
        # Only when not a new round's: a round on the defaults dumps as it did before rankings could be chosen.
        if round.ranking_method != RankingMethod.MEAN:
            item["ranking_method"] = round.ranking_method
        if list(round.tie_breakers) != list(DEFAULT_TIE_BREAKERS):
            item["tie_breakers"] = list(round.tie_breakers)
        if round.feedback_required:
            item["feedback_required"] = True
        if round.feedback_min_length:
            item["feedback_min_length"] = round.feedback_min_length
        if round.participant_view != ParticipantView.OUTCOME:
            item["participant_view"] = round.participant_view
        if round.source_round_id is not None:
            item["from_round"] = numbers[round.source_round_id]
        result.append(item)
    return result
