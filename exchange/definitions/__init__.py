"""Contest definitions as files: check a definition, load it into the database, dump it back.

A definition is plain data (read from YAML or JSON by ``exchange.definitions.files``) describing
one contest: its texts in Kazakh, Russian and English, timeline, file limits, universities,
nominations and platforms (``exchange.definitions.contest``), and optionally its rubric and rounds
(``exchange.definitions.judging``) and who signs its certificates and their texts
(``exchange.definitions.certificates``). The format is documented in ``docs/contest-definition.md``.
Checking is strict and happens before anything is written (``exchange.definitions.schema``): every
problem is reported with the path of the field at fault and a refused definition changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from contest.models import Contest
from exchange.definitions.certificates import (
    CertificatesDefinition,
    certificates_dump,
    certificates_load,
    certificates_parse,
)
from exchange.definitions.contest import (
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
    ContestPart,
    DefinitionLoadReport,
    contest_part_dump,
    contest_part_load,
    contest_part_parse,
)
from exchange.definitions.judging import (
    CriterionDefinition,
    RoundDefinition,
    rounds_dump,
    rounds_load,
    rounds_parse,
    rubric_dump,
    rubric_load,
    rubric_parse,
)
from exchange.definitions.schema import DefinitionInvalid, DefinitionProblems, fields_check

#: The top-level keys of the judging part, in the order they are checked, loaded and dumped.
JUDGING_KEYS = ("rubric", "rounds")
#: The top-level key of the certificates part.
CERTIFICATES_KEY = "certificates"


@dataclass(frozen=True)
class ContestDefinition:
    """A checked definition: the contest's own part, and its rubric and rounds when the file has them."""

    contest: ContestPart
    rubric: list[CriterionDefinition] | None = None
    rounds: list[RoundDefinition] | None = None
    certificates: CertificatesDefinition | None = None


def definition_parse(data: Any) -> ContestDefinition:
    """Check raw definition data (as read from YAML or JSON); raise DefinitionInvalid listing every problem."""
    problems = DefinitionProblems()
    raw = fields_check(
        data, "", problems, required=REQUIRED_KEYS, optional=(*OPTIONAL_KEYS, *JUDGING_KEYS, CERTIFICATES_KEY)
    )
    if raw is None:
        raise DefinitionInvalid(problems.errors)
    contest = contest_part_parse(raw, problems)
    rubric = rubric_parse(raw["rubric"], "rubric", problems) if raw.get("rubric") is not None else None
    rounds = rounds_parse(raw["rounds"], "rounds", problems) if raw.get("rounds") is not None else None
    certificates = None
    if raw.get(CERTIFICATES_KEY) is not None:
        certificates = certificates_parse(raw[CERTIFICATES_KEY], CERTIFICATES_KEY, problems)
    if problems.errors or contest is None:
        raise DefinitionInvalid(problems.errors)
    return ContestDefinition(contest=contest, rubric=rubric, rounds=rounds, certificates=certificates)


@transaction.atomic
def contest_definition_load(
    *, definition: ContestDefinition, prune: bool = False, dry_run: bool = False
) -> DefinitionLoadReport:
    """Create or update the contest a checked definition describes, in one transaction.

    Rows are matched by slug (rounds by number); what the database has and the definition does not
    is kept and reported, or with ``prune`` deleted where unused. ``dry_run`` reports and then rolls back.
    """
    report = contest_part_load(definition=definition.contest, prune=prune, dry_run=dry_run)
    if definition.rubric is not None:
        report.changes.extend(rubric_load(contest=report.contest, items=definition.rubric))
    if definition.rounds is not None:
        report.changes.extend(rounds_load(contest=report.contest, items=definition.rounds))
    if definition.certificates is not None:
        report.changes.extend(certificates_load(contest=report.contest, definition=definition.certificates))
    if dry_run:
        transaction.set_rollback(True)
    return report


def contest_definition_dump(*, contest: Contest) -> dict[str, Any]:
    """The definition of a contest as plain data; loading it back changes nothing."""
    data = contest_part_dump(contest=contest)
    rubric = rubric_dump(contest=contest)
    if rubric is not None:
        data["rubric"] = rubric
    rounds = rounds_dump(contest=contest)
    if rounds is not None:
        data["rounds"] = rounds
    certificates = certificates_dump(contest=contest)
    if certificates is not None:
        data[CERTIFICATES_KEY] = certificates
    return data
