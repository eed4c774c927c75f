"""Forms of the organiser's jury pages: inviting a juror, changing their seat, and deciding on a declared conflict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.enums import Language
from contest.models import University
from judging.enums import ConflictReviewDecision
from judging.models import Juror


class JurorSeatForm(forms.Form):
    """Where a juror comes from, what they read and how much they can take."""

    university = forms.ModelChoiceField(
        label=_("University"),
        queryset=University.objects.order_by("name"),
        help_text=_("A juror never judges entries of their own university."),
    )
    primary_language = forms.ChoiceField(
        label=_("Main language"),
        choices=Language.choices,
        help_text=_("The language of the invitation and of the juror's pages."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Also reads"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    max_load = forms.IntegerField(
        label=_("Most entries per round"),
        min_value=1,
        required=False,
        help_text=_("Empty: no limit."),
    )

    @classmethod
    def for_juror(cls, juror: Juror) -> JurorSeatForm:
        languages = list(juror.languages)
        return cls(
            initial={
                "university": juror.university,
                "primary_language": languages[0] if languages else "",
                "languages": languages[1:],
                "max_load": juror.max_load,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        primary = data.get("primary_language")
        if primary:
            # The main language first: the juror is written to and lands in it.
            others = [code for code in Language.values if code in data.get("languages", []) and code != primary]
            data["languages"] = [primary, *others]
        return data

    def seat_fields(self) -> dict[str, Any]:
        """The fields as the services take them."""
        return {name: self.cleaned_data[name] for name in ("university", "languages", "max_load")}


class JurorInviteForm(JurorSeatForm):
    """A person to invite to the jury: their e-mail and name, then their seat."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        required=False,
        help_text=_("Needed for a person without an account; an existing account keeps its own name."),
    )

    field_order = ["email", "full_name", "university", "primary_language", "languages", "max_load"]


class ConflictResolveForm(forms.Form):
    """The organiser's decision on a pending declaration: what becomes of the submitted reviews it touches, and why."""

    reviews = forms.ChoiceField(
        label=_("Submitted reviews it touches"),
        choices=[
            (ConflictReviewDecision.KEPT.value, _("Keep them: they count, and the juror keeps those entries")),
            (ConflictReviewDecision.SET_ASIDE.value, _("Set them aside: they no longer count anywhere")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
