"""Placeholders: the known ones are filled in, anything else is refused when the message is saved."""

from __future__ import annotations

import pytest

from config.exceptions import BaigeError
from messaging.audiences import Audience
from messaging.models import Message
from messaging.placeholders import placeholders_check, placeholders_fill
from messaging.services import message_save

ALLOWED = "{name}, {entry_code}, {entry_title}, {deadline}, {contest}"


def test_known_placeholders_and_doubled_braces_pass():
    assert placeholders_check("Dear {name}, {entry_code} «{entry_title}» {deadline} {contest} {{braces}}") == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Hello {nmae}", "{nmae}"),
        ("{name.__class__}", "{name.__class__}"),
        ("{name.__class__.__init__.__globals__}", "{name.__class__.__init__.__globals__}"),
        ("{name[0]}", "{name[0]}"),
        ("{name!r}", "{name!r}"),
        ("{name:>99}", "{name:>99}"),
        ("{0}", "{0}"),
        ("{}", "{}"),
    ],
)
def test_unknown_placeholders_and_attribute_access_are_refused(text, shown):
    assert placeholders_check(text) == [f"Unknown placeholder {shown}. A message can use: {ALLOWED}."]


@pytest.mark.parametrize("text", ["Hello {name", "Hello name}", "{", "}"])
def test_a_broken_brace_is_refused(text):
    assert placeholders_check(text) == [
        "A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}."
    ]


def test_filling_in_reads_only_the_values_and_leaves_markup_as_text():
    values = {"name": "<b>Asel</b> {entry_code}", "entry_code": "K7M2QX"}
    assert placeholders_fill("Hi {name}: {entry_code} {{x}}", values) == "Hi <b>Asel</b> {entry_code}: K7M2QX {x}"
    # Even a text that slipped past the check reaches nothing but the values.
    assert placeholders_fill("{name.__class__}", values) == "{name.__class__}"


def test_saving_a_message_with_an_unknown_placeholder_is_refused_and_nothing_is_kept(contest, organiser):
    with pytest.raises(BaigeError) as refused:
        message_save(
            actor=organiser,
            contest=contest,
            subjects={"en": "Hello {name.__class__}"},
            bodies={"en": "Body {oops"},
            audience=Audience(jurors=True),
        )
    assert str(refused.value) == (
        f"English: Unknown placeholder {{name.__class__}}. A message can use: {ALLOWED}. "
        "English: A brace is not closed: write a placeholder as {name}, and a brace itself as {{ or }}."
    )
    assert Message.objects.count() == 0


def test_a_subject_without_a_text_or_no_language_at_all_is_refused(contest, organiser):
    with pytest.raises(BaigeError) as refused:
        message_save(actor=organiser, contest=contest, subjects={"kk": "Тақырып"}, bodies={}, audience=Audience())
    assert str(refused.value) == (
        "Қазақша: write both the subject and the text, or neither. "
        "Write the subject and the text in at least one language. "
        "Choose at least one group of people to write to."
    )
