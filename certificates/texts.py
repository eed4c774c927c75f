"""What a certificate says: the built-in texts in kk, ru and en, the placeholders each kind takes, and their checks.

A text is plain: a blank line starts a new paragraph, and ``{name}``-style placeholders are filled in for
each holder. Only the placeholders of the kind are allowed, with nothing after the name (no ``{name!r}``,
``{name:>9}``, ``{name.attr}``), so filling a text in can never reach anything but the values given.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from certificates.enums import CertificateKind
from contest.placeholders import placeholders_problems

#: The placeholders every kind takes, then each kind's own.
COMMON_PLACEHOLDERS = ("name", "contest", "date", "code")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    CertificateKind.WINNER: (*COMMON_PLACEHOLDERS, "entry_title", "entry_code", "award", "nomination"),
    CertificateKind.FINALIST: (*COMMON_PLACEHOLDERS, "entry_title", "entry_code", "nomination"),
    CertificateKind.PARTICIPANT: (*COMMON_PLACEHOLDERS, "entry_title", "entry_code", "nomination"),
    CertificateKind.JUROR: (*COMMON_PLACEHOLDERS, "entries_scored"),
}

#: What each placeholder stands for, for the organisers' form.
PLACEHOLDER_HELP: dict[str, Promise] = {
    "name": _("the holder's full name"),
    "contest": _("the contest's name"),
    "date": _("the date of issue"),
    "code": _("the verification code"),
    "entry_title": _("the entry's title"),
    "entry_code": _("the entry's code"),
    "award": _("the award: the place and nomination, or the special award"),
    "nomination": _("the nomination"),
    "entries_scored": _("how many entries the juror scored"),
}

DEFAULT_TITLES: dict[str, Promise] = {
    CertificateKind.WINNER: _("Diploma"),
    CertificateKind.FINALIST: _("Finalist's certificate"),
    CertificateKind.PARTICIPANT: _("Certificate of participation"),
    CertificateKind.JUROR: _("Letter of thanks"),
}

DEFAULT_BODIES: dict[str, Promise] = {
    CertificateKind.WINNER: _(
        "This diploma is awarded to\n\n{name}\n\nfor {award} in {contest}, for the entry “{entry_title}”."
    ),
    CertificateKind.FINALIST: _(
        "This certificate is awarded to\n\n{name}\n\nfinalist of {contest} in the nomination “{nomination}” "
        "with the entry “{entry_title}”."
    ),
    CertificateKind.PARTICIPANT: _(
        "This certificate confirms that\n\n{name}\n\ntook part in {contest} with the entry “{entry_title}” "
        "in the nomination “{nomination}”."
    ),
    CertificateKind.JUROR: _(
        "Dear {name},\n\nthe organisers of {contest} thank you for your work on the jury: you scored "
        "{entries_scored} entries."
    ),
}


def default_texts(kind: str, language: str) -> tuple[str, str]:
    """The built-in title and text of ``kind`` in ``language``."""
    with translation.override(language):
        return str(DEFAULT_TITLES[kind]), str(DEFAULT_BODIES[kind])


def placeholders_check(text: str, kind: str) -> list[str]:
    """What is wrong with the placeholders of ``text`` for ``kind``, one message each; empty when it is right."""
    return placeholders_problems(
        text, PLACEHOLDERS[kind], _("Unknown placeholder %(placeholder)s. This text can use: %(allowed)s.")
    )


def text_as_html(text: str, values: Mapping[str, object]) -> SafeString:
    """``text`` filled in as HTML paragraphs: everything escaped, a blank line between paragraphs.

    A paragraph that is only ``{name}`` is the holder's name, set larger (class ``holder``).
    """
    escaped = {name: escape(str(value)) for name, value in values.items()}
    paragraphs = []
    for part in escape(text).replace("\r\n", "\n").split("\n\n"):
        part = part.strip()
        if not part:
            continue
        filled = part.format_map(escaped).replace("\n", "<br>")
        paragraphs.append(f'<p class="holder">{filled}</p>' if part == "{name}" else f"<p>{filled}</p>")
    return mark_safe("".join(paragraphs))  # noqa: S308 (every value and the text itself are escaped)
