"""Forms of the organiser's progress pages: reminding jurors, and giving a juror's entries to another."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.models import Entry
from judging.models import Juror, Round


class RemindForm(forms.Form):
    """Which juror to remind; empty: every juror who is behind."""

    juror = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    """One entry (or, empty, every unfinished one) and the juror to give it to (empty: the least loaded who may)."""

    entry = forms.CharField(required=False, widget=forms.HiddenInput)
    to = forms.ModelChoiceField(
        queryset=Juror.objects.none(),
        required=False,
        label=gettext_lazy("Give to"),
        empty_label=gettext_lazy("The least loaded juror without a conflict"),
    )

    def __init__(self, *args: object, round: Round, juror: Juror, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.round = round
        self.juror = juror
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = (
            Juror.objects.filter(round_links__round=round).exclude(pk=juror.pk).select_related("user__profile")
        ).order_by("user__profile__full_name", "pk")

    def clean_entry(self) -> Entry | None:
        code = self.cleaned_data["entry"].strip()
        if not code:
            return None
        entry = Entry.objects.filter(code=code, round_links__round=self.round).first()
        if entry is None:
            raise forms.ValidationError(_("Entry %(code)s is not part of this round.") % {"code": code})
        return entry
