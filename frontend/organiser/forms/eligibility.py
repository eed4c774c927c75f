"""Forms of the organiser's eligibility page: disqualifying an entry with a reason, and reinstating it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.models import DISQUALIFICATION_REASON_LENGTH


class DisqualifyForm(forms.Form):
    """The reason the authors are told, and a ticked box: the page above it says what disqualifying does."""

    reason = forms.CharField(
        label=_("Reason (the authors receive it by e-mail and see it on their entry's page)"),
        max_length=DISQUALIFICATION_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(label=_("Yes, disqualify this entry as described above."))


class ReinstateForm(forms.Form):
    """A ticked box, so that one tap on a phone does not bring an entry back into the judging."""

    confirm = forms.BooleanField(label=_("Yes, reinstate this entry as described above."))
