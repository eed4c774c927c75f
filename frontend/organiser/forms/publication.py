"""The organiser's confirmation of a publication of results to the blog."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    """Confirm the publication; before the announced results time, confirm that too."""

    confirm = forms.BooleanField(
        label=_("I have checked what becomes public and who is e-mailed: publish the results now."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
    early = forms.BooleanField(
        label=_("Publish before the announced time."),
        required=False,
    )

    def __init__(self, *args: Any, early: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if early:
            self.fields["early"].required = True
            self.fields["early"].error_messages["required"] = _(
                "Tick the box to publish before the announced time, or wait for it."
            )
        else:
            del self.fields["early"]
