"""Form fields of texts written in each of Baige's languages, and the form that starts with a name in each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.texts import TEXT_LANGUAGES, has_text, texts_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: A language's name, as a label beside a text written in it.
LANGUAGE_LABELS = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}
NAME_LABELS = {"kk": _("Name in Kazakh"), "ru": _("Name in Russian"), "en": _("Name in English")}
#: The longest name most models take.
NAME_MAX_LENGTH = 255


def name_fields(max_length: int = NAME_MAX_LENGTH) -> dict[str, forms.CharField]:
    """Optional fields ``name_kk``, ``name_ru`` and ``name_en``, in that order."""
    return {
        f"name_{language}": forms.CharField(label=NAME_LABELS[language], max_length=max_length, required=False)
        for language in TEXT_LANGUAGES
    }


class NamesForm(forms.Form):
    """A form whose first fields are a name in each language; ``name_required`` asks for one of them at least."""

    #: The longest name the form's model takes.
    name_max_length = NAME_MAX_LENGTH
    #: The error shown on ``name_en`` when no language has a name; ``None`` lets the names be left empty.
    name_required: StrOrPromise | None = None

    name_kk, name_ru, name_en = name_fields().values()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.name_max_length != NAME_MAX_LENGTH:
            # Replaced in place: the fields keep their order.
            self.fields.update(name_fields(self.name_max_length))

    def names(self) -> dict[str, str]:
        """The cleaned name in each language, ``{"kk": ..., "ru": ..., "en": ...}``."""
        return texts_of(self.cleaned_data, "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.name_required is not None and not has_text(data, "name"):
            self.add_error("name_en", self.name_required)
        return data
