"""The juror's form: declaring conflicts of interest (the organiser declares them for a juror with it too)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.exceptions import BaigeError
from contest.models import Contest, Entry, University
from contest.selectors import universities_of_contest
from contest.services import Actor
from judging.conflicts import MAX_CODE_LENGTH, ConflictsDeclared, conflict_code_normalise, conflicts_declare
from judging.models import Juror

#: Entry codes are written separated by commas, semicolons or spaces.
CODE_SEPARATORS = re.compile(r"[\s,;]+")
MAX_CODES = 50


class ConflictForm(forms.Form):
    """Conflicts of interest of a juror: with universities, and with entries named by their code.

    For the juror themselves, the answer never depends on what exists: any university may be
    named, and a code is recorded as typed whether or not an entry has it (``strict_codes=False``).
    An organiser, who sees every entry anyway, is told when a code matches no entry of the contest.
    """

    universities = forms.ModelMultipleChoiceField(
        label=_("Universities"),
        queryset=University.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick a university whose students you know well: a relative, a colleague, your own students."),
    )
    entry_codes = forms.CharField(
        label=_("Entry codes"),
        max_length=1000,
        required=False,
        help_text=_(
            "If you recognise an entry assigned to you, write its code as the jury panel shows it, "
            "for example K7M2QX; several codes separated by commas."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the organisers."),
    )

    def __init__(self, *args: Any, juror: Juror, strict_codes: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.juror = juror
        self.contest: Contest = juror.contest
        self.strict_codes = strict_codes
        universities = self.fields["universities"]
        assert isinstance(universities, forms.ModelMultipleChoiceField)
        # Any university may be named; the list offers the contest's, except the juror's own (always a conflict).
        # It stays the same after a declaration, so that the page never changes with what was declared.
        universities.queryset = University.objects.all()
        offered = universities_of_contest(self.contest).exclude(
            pk__in=[juror.university_id] if juror.university_id else []
        )
        universities.widget.choices = [(university.pk, university.name) for university in offered]

    def clean_entry_codes(self) -> list[str]:
        codes = CODE_SEPARATORS.split(self.cleaned_data["entry_codes"])
        codes = [code for code in dict.fromkeys(conflict_code_normalise(code) for code in codes) if code]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(_("Write at most %(count)d codes at once.") % {"count": MAX_CODES})
        if any(len(code) > MAX_CODE_LENGTH for code in codes):
            raise forms.ValidationError(
                _("An entry code has at most %(count)d characters.") % {"count": MAX_CODE_LENGTH}
            )
        if self.strict_codes:
            known = set(Entry.objects.filter(contest=self.contest, code__in=codes).values_list("code", flat=True))
            unknown = [code for code in codes if code not in known]
            if unknown:
                raise forms.ValidationError(
                    _("No entry of this contest has the code %(codes)s. Check it against the jury panel.")
                    % {"codes": ", ".join(unknown)}
                )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("universities") and not data.get("entry_codes"):
            raise forms.ValidationError(_("Tick a university or write an entry's code."))
        return data

    def declare(self, *, actor: Actor) -> ConflictsDeclared | None:
        """Declare the conflicts the form holds; None when the form is not valid or the service refuses.

        A refusal becomes the form's error, so the page shown again says why.
        """
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return conflicts_declare(
                actor=actor,
                juror=self.juror,
                universities=list(data["universities"]),
                codes=data["entry_codes"],
                reason=data["reason"],
            )
        except BaigeError as refused:
            self.add_error(None, str(refused))
            return None
