"""The filters of the contest's activity log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity.selectors import ActivityFilters, action_choices, activity_people, kind_choices
from contest.models import Contest
from contest.names import person_name

ANY = ("", _("Any"))


class ActivityFilterForm(forms.Form):
    """Whose writes, what kind of object, which action, between which days (the contest's), and text in the object."""

    person = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.TypedChoiceField(label=_("What"), required=False, coerce=int, empty_value=None)
    action = forms.TypedChoiceField(label=_("Action"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Object contains"), required=False, max_length=200, strip=True)

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [ANY, *((p.pk, person_name(p)) for p in activity_people(contest))]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [ANY, *kind_choices()]  # type: ignore[attr-defined]
        self.fields["action"].choices = [ANY, *action_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day cannot be before the first."))
        return data

    def filters(self) -> ActivityFilters:
        """The filters asked for; a field given wrongly filters nothing (the form shows why)."""
        if not self.is_bound:
            return ActivityFilters()
        self.is_valid()
        data = self.cleaned_data
        return ActivityFilters(
            person=data.get("person"),
            kind=data.get("kind"),
            action=data.get("action"),
            since=data.get("since"),
            until=data.get("until") if "until" not in self.errors else None,
            text=data.get("q") or "",
        )
