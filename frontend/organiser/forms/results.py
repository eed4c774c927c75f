"""Forms of the organiser's results page: the ranking method, finalising, and changing a finalised award."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.models import Entry
from contest.texts import TEXT_LANGUAGES, texts_of
from frontend.text_fields import NamesForm, name_fields
from judging.enums import ParticipantView, RankingMethod, TieBreaker
from judging.models import Award, Round, RoundEntry
from judging.services.results import AWARDED_PLACES, SpecialAwardData

#: One numbered choice per tie-breaker: without a script, an order is chosen slot by slot.
TIE_BREAKER_SLOTS = len(TieBreaker.choices)


def tie_breaker_field(position: int) -> str:
    return f"tie_breaker_{position}"


class RankingForm(forms.Form):
    """The round's ranking method and its tie-breakers, first to last; empty slots are skipped."""

    method = forms.ChoiceField(label=_("Ranking method"), choices=RankingMethod.choices)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        initial = {"method": round.ranking_method}
        for position, name in enumerate(round.tie_breakers, start=1):
            initial[tie_breaker_field(position)] = name
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for position in range(1, TIE_BREAKER_SLOTS + 1):
            self.fields[tie_breaker_field(position)] = forms.ChoiceField(
                label=_("Tie-breaker %(position)d") % {"position": position},
                choices=[("", _("(none)")), *TieBreaker.choices],
                required=False,
            )

    def tie_breaker_fields(self) -> list[forms.BoundField]:
        return [self[tie_breaker_field(position)] for position in range(1, TIE_BREAKER_SLOTS + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [
            cleaned[tie_breaker_field(position)]
            for position in range(1, TIE_BREAKER_SLOTS + 1)
            if cleaned.get(tie_breaker_field(position))
        ]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Each tie-breaker may be given only once."), code="duplicate")
        cleaned["tie_breakers"] = chosen
        return cleaned


class _RoundEntryCodeField(forms.CharField):
    """An entry code, read as an entry of the round (any case, spaces around allowed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)
        self.round: Round | None = None

    def clean(self, value: Any) -> Entry | None:
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        assert self.round is not None
        link = RoundEntry.objects.filter(round=self.round, entry__code=code).select_related("entry").first()
        if link is None:
            raise forms.ValidationError(
                _("The round has no entry with the code %(code)s."), code="unknown_entry", params={"code": code}
            )
        return link.entry


class SpecialAwardForm(NamesForm):
    """A named award for one entry of the round; a row left empty is no award."""

    entry = _RoundEntryCodeField(label=_("Entry code"), required=False)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, _RoundEntryCodeField)
        field.round = round

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = any(self.names().values())
        if named and cleaned.get("entry") is None and "entry" not in self.errors:
            self.add_error("entry", _("Give the code of the entry that receives the award."))
        if cleaned.get("entry") is not None and not named:
            raise forms.ValidationError(_("Give the special award a name in at least one language."))
        return cleaned

    def special_award(self) -> SpecialAwardData | None:
        entry = self.cleaned_data.get("entry")
        if entry is None:
            return None
        return SpecialAwardData(entry_code=entry.code, **{f"name_{k}": v for k, v in self.names().items()})


class _SpecialAwardFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        self.round = round
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "round": self.round}

    def special_awards(self) -> list[SpecialAwardData]:
        return [award for form in self.forms if (award := form.special_award()) is not None]


SpecialAwardFormSet = cast(
    type[_SpecialAwardFormSet],
    forms.formset_factory(SpecialAwardForm, formset=_SpecialAwardFormSet, extra=3, max_num=50),
)


class FinaliseForm(forms.Form):
    share = forms.ChoiceField(
        label=_("What the round's entrants see of the results once they are published"),
        choices=ParticipantView.choices,
        widget=forms.RadioSelect,
        # Left out: the round's own setting.
        required=False,
        help_text=_("Fixed for good with the results. Jurors' feedback is shown signed “Juror A”, “Juror B”, …"),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the ranking: fix these places and awards for good."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that the results are final.")},
    )


class AwardChangeForm(forms.Form):
    """Another entry, place or name for a finalised award, and why."""

    entry = _RoundEntryCodeField(label=_("Entry code"), required=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, award: Award, round: Round, **kwargs: Any) -> None:
        initial = {"entry": award.entry.code, "place": award.place}
        for language in TEXT_LANGUAGES:
            initial[f"name_{language}"] = getattr(award, f"name_{language}") or ""
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        kwargs.setdefault("prefix", f"award-{award.pk}")
        super().__init__(*args, **kwargs)
        self.award = award
        field = self.fields["entry"]
        assert isinstance(field, _RoundEntryCodeField)
        field.round = round
        if award.place is not None:
            self.fields["place"] = forms.TypedChoiceField(
                label=_("Place"), choices=[(p, p) for p in range(1, AWARDED_PLACES + 1)], coerce=int
            )
        else:
            self.fields.update(name_fields())

    def names(self) -> dict[str, str]:
        """The cleaned name of a special award in each language."""
        return texts_of(self.cleaned_data, "name")

    def service_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"entry": self.cleaned_data["entry"], "reason": self.cleaned_data["reason"]}
        if self.award.place is not None:
            fields["place"] = self.cleaned_data["place"]
        else:
            fields["name"] = self.names()
        return fields


class AwardAddForm(SpecialAwardForm):
    """A special award added to finalised results, and why."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, round=round, **kwargs)
        self.fields["entry"].required = True
