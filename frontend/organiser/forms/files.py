"""The organiser's form asking for a ZIP of the entries' files."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from media_pipeline.enums import FilesArchiveKind


class FilesArchiveForm(forms.Form):
    """Which files to put in the ZIP: the original uploads, or what the jury sees."""

    kind = forms.ChoiceField(
        label=_("Which files"),
        choices=[
            (FilesArchiveKind.ORIGINALS.value, _("The original uploads, as the participants sent them")),
            (FilesArchiveKind.JURY.value, _("What the jury sees: the processed video, or the pages of the slides")),
        ],
        initial=FilesArchiveKind.ORIGINALS.value,
        widget=forms.RadioSelect,
    )
