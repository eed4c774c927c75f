"""The organiser's form for a message: whom it goes to, and its subject and text in each language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest
from contest.selectors import universities_of_contest
from contest.texts import TEXT_LANGUAGES
from frontend.text_fields import LANGUAGE_LABELS
from judging.models import Round
from messaging.audiences import ENTRY_GROUPS, Audience
from messaging.models import Message
from messaging.placeholders import placeholders_check

GROUP_LABELS = {
    "drafts": _("Participants with drafts"),
    "submitted": _("Participants with submitted entries"),
    "finalists": _("Finalists (entries of a round built from a shortlist)"),
    "winners": _("Award winners"),
}


def _round_choice(label: Any, rounds: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", pgettext_lazy("no round chosen", "—")), *rounds],
        coerce=int,
        empty_value=None,
        required=False,
    )


class MessageForm(forms.Form):
    """A message: the groups of people, narrowed to universities and nominations, and the texts by language."""

    def __init__(self, *args: Any, contest: Contest, message: Message | None = None, **kwargs: Any) -> None:
        if message is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(message)
        super().__init__(*args, **kwargs)
        rounds = [(round.pk, str(round)) for round in Round.objects.filter(contest=contest).order_by("number")]
        for name in ENTRY_GROUPS:
            self.fields[name] = forms.BooleanField(label=GROUP_LABELS[name], required=False)
        self.fields["shortlisted_round"] = _round_choice(_("Shortlisted in the round"), rounds)
        self.fields["not_shortlisted_round"] = _round_choice(_("Not shortlisted in the round"), rounds)
        self.fields["universities"] = forms.TypedMultipleChoiceField(
            label=_("Only entries from these universities"),
            choices=[(u.pk, str(u)) for u in universities_of_contest(contest)],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["nominations"] = forms.TypedMultipleChoiceField(
            label=_("Only entries in these nominations"),
            choices=[(n.pk, str(n)) for n in contest.nominations.order_by("order", "pk")],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["authors"] = forms.BooleanField(label=_("Their authors"), required=False, initial=True)
        self.fields["coauthors"] = forms.BooleanField(label=_("Their co-authors"), required=False)
        self.fields["jurors"] = forms.BooleanField(label=_("All jurors"), required=False)
        self.fields["jurors_behind_round"] = _round_choice(_("Jurors with unfinished reviews in the round"), rounds)
        for language in TEXT_LANGUAGES:
            self.fields[f"subject_{language}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": LANGUAGE_LABELS[language]},
                max_length=200,
                required=False,
            )
            self.fields[f"body_{language}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": LANGUAGE_LABELS[language]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    @staticmethod
    def initial_of(message: Message) -> dict[str, Any]:
        audience = Audience.from_json(message.audience).to_json()
        texts = {
            f"{text}_{language}": getattr(message, f"{text}_{language}")
            for text in ("subject", "body")
            for language in TEXT_LANGUAGES
        }
        return {**audience, **texts}

    def entry_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*ENTRY_GROUPS, "shortlisted_round", "not_shortlisted_round")]

    def language_fields(self) -> list[tuple[str, Any, forms.BoundField, forms.BoundField]]:
        return [
            (language, LANGUAGE_LABELS[language], self[f"subject_{language}"], self[f"body_{language}"])
            for language in TEXT_LANGUAGES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in TEXT_LANGUAGES:
            for name in (f"subject_{language}", f"body_{language}"):
                for problem in placeholders_check(data.get(name) or ""):
                    self.add_error(name, problem)
        return data

    def audience(self) -> Audience:
        data = self.cleaned_data
        return Audience.from_json(
            {
                **{name: bool(data.get(name)) for name in (*ENTRY_GROUPS, "authors", "coauthors", "jurors")},
                **{
                    name: data.get(name)
                    for name in ("shortlisted_round", "not_shortlisted_round", "jurors_behind_round")
                },
                "universities": list(data.get("universities") or []),
                "nominations": list(data.get("nominations") or []),
            }
        )

    def texts(self, text: str) -> dict[str, str]:
        return {language: self.cleaned_data.get(f"{text}_{language}") or "" for language in TEXT_LANGUAGES}
