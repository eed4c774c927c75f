"""The ``certificates`` part of a contest definition: who signs them and the organisers' own titles and texts.

The images of the design (background, logo, signature) are files, not data: a definition leaves them
out, and a copy of a contest copies them itself (:mod:`exchange.contest_copy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from certificates.enums import CertificateKind
from certificates.models import CertificateDesign, CertificateText
from certificates.texts import placeholders_check
from contest.models import Contest
from exchange.definitions.schema import (
    LANGUAGES,
    DefinitionProblems,
    Texts,
    fields_check,
    items_check,
    path_at,
    string_check,
    texts_check,
    texts_dump,
    values_assign,
)


@dataclass(frozen=True)
class CertificateTextDefinition:
    kind: str
    language: str
    title: str
    body: str


@dataclass(frozen=True)
class CertificatesDefinition:
    """Who signs the contest's certificates, and its own texts by kind and language."""

    signatory: Texts
    texts: tuple[CertificateTextDefinition, ...]


def certificates_parse(value: Any, path: str, problems: DefinitionProblems) -> CertificatesDefinition | None:
    """Check the ``certificates`` section."""
    data = fields_check(value, path, problems, required=(), optional=("signatory", "texts"))
    if data is None:
        return None
    signatory = texts_check(data.get("signatory"), path_at(path, "signatory"), problems, max_length=255, required=False)
    texts, seen = [], set()
    for at, item in items_check(data.get("texts"), path_at(path, "texts"), problems, required=False):
        fields = fields_check(item, at, problems, required=("kind", "language", "title", "body"))
        if fields is None:
            continue
        kind = string_check(fields.get("kind", ""), path_at(at, "kind"), problems)
        language = string_check(fields.get("language", ""), path_at(at, "language"), problems)
        title = string_check(fields.get("title", ""), path_at(at, "title"), problems, max_length=200)
        body = string_check(fields.get("body", ""), path_at(at, "body"), problems)
        if kind not in CertificateKind.values:
            problems.add(
                path_at(at, "kind"),
                _("unknown kind (use %(choices)s)") % {"choices": ", ".join(CertificateKind.values)},
            )
            continue
        if language not in LANGUAGES:
            problems.add(path_at(at, "language"), _("unknown language (use kk, ru or en)"))
            continue
        if (kind, language) in seen:
            problems.add(at, _("this kind and language are given twice"))
        seen.add((kind, language))
        if not title or not body:
            problems.add(at, _("needs both a title and a text"))
        for message in placeholders_check(title, kind) + placeholders_check(body, kind):
            problems.add(at, message)
        texts.append(CertificateTextDefinition(kind=kind, language=language, title=title, body=body))
    return CertificatesDefinition(signatory=signatory, texts=tuple(texts))


def certificates_load(*, contest: Contest, definition: CertificatesDefinition) -> list[str]:
    """Set who signs and create or update the texts the definition gives; texts it leaves out are kept."""
    changes = []
    design, _created = CertificateDesign.objects.get_or_create(contest=contest)
    changed = values_assign(design, definition.signatory.columns("signatory"))
    if changed:
        design.save()
        changes.append(
            _("updated %(thing)s: %(fields)s") % {"thing": _("certificate design"), "fields": ", ".join(changed)}
        )
    for item in definition.texts:
        text, created = CertificateText.objects.get_or_create(
            contest=contest, kind=item.kind, language=item.language, defaults={"title": item.title, "body": item.body}
        )
        label = _("certificate text %(kind)s/%(language)s") % {"kind": item.kind, "language": item.language}
        if created:
            changes.append(_("created %(thing)s") % {"thing": label})
            continue
        changed = values_assign(text, {"title": item.title, "body": item.body})
        if changed:
            text.save()
            changes.append(_("updated %(thing)s: %(fields)s") % {"thing": label, "fields": ", ".join(changed)})
    return changes


def certificates_dump(*, contest: Contest) -> dict[str, Any] | None:
    """Who signs the contest's certificates and its own texts, or ``None`` when it has neither."""
    data: dict[str, Any] = {}
    design = CertificateDesign.objects.filter(contest=contest).first()
    signatory = texts_dump(design, "signatory") if design is not None else None
    if signatory is not None:
        data["signatory"] = signatory
    texts = CertificateText.objects.filter(contest=contest).order_by("kind", "language")
    dumped = [{"kind": t.kind, "language": t.language, "title": t.title, "body": t.body} for t in texts]
    if dumped:
        data["texts"] = dumped
    return data or None
