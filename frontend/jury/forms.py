"""The jury's forms: the filters of a juror's list of entries, and declaring conflicts of interest.

The organiser declares conflicts for a juror with the same form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from config.exceptions import BaigeError
from contest.models import Contest, Entry, Nomination, Platform, University
from contest.selectors import universities_of_contest
from contest.services import Actor
from judging.conflicts import MAX_CODE_LENGTH, ConflictsDeclared, conflict_code_normalise, conflicts_declare
from judging.models import Assignment, Juror
from judging.selectors.worklist import ORDER_CODE, ORDER_STATUS, ORDER_UPDATED, ORDERS, Narrowing
from judging.serializers import NO_REVIEW, REVIEW_STATES
from media_pipeline.enums import MediaKind

KIND_VIDEO = "video"
KIND_PRESENTATION = "presentation"
#: A PDF is shown to the jury exactly like a presentation: as slides.
KINDS = {KIND_VIDEO: [MediaKind.VIDEO], KIND_PRESENTATION: [MediaKind.PRESENTATION, MediaKind.PDF]}


#: Each filter applies as soon as it is chosen (baige.js); without a script the form has a button.
AUTOSUBMIT = forms.Select(attrs={"data-autosubmit": ""})


class ReadChoices(forms.models.ModelChoiceIterator):
    """The choices of a filter read with one plain query, kept for every later pass.

    Django's own iterator streams the rows through a server-side cursor on PostgreSQL, which
    costs round trips of its own; a contest has only a handful of nominations and platforms.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.queryset)


class ContestChoiceField(forms.ModelChoiceField):
    """A filter among the contest's own nominations or platforms."""

    iterator = ReadChoices


class WorklistFilter(forms.Form):
    """The filters, search and order of a juror's list of entries, read from the query string."""

    q = forms.CharField(
        label=pgettext_lazy("jury list", "Search"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Code or title"), "autocomplete": "off"}
        ),
    )
    sort = forms.ChoiceField(
        label=pgettext_lazy("jury list", "Order"),
        required=False,
        choices=[
            (ORDER_CODE, gettext_lazy("By code")),
            (ORDER_STATUS, gettext_lazy("Unscored first")),
            (ORDER_UPDATED, gettext_lazy("Recently updated first")),
        ],
        widget=AUTOSUBMIT,
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("jury review", "Review"),
        required=False,
        choices=[("", gettext_lazy("All")), *REVIEW_STATES],
        widget=AUTOSUBMIT,
    )
    nomination = ContestChoiceField(
        label=gettext_lazy("Nomination"),
        required=False,
        queryset=Nomination.objects.none(),
        empty_label=gettext_lazy("All"),
        widget=AUTOSUBMIT,
    )
    platform = ContestChoiceField(
        label=gettext_lazy("Platform"),
        required=False,
        queryset=Platform.objects.none(),
        empty_label=gettext_lazy("All"),
        widget=AUTOSUBMIT,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            (KIND_VIDEO, pgettext_lazy("kind of entry", "Video")),
            (KIND_PRESENTATION, pgettext_lazy("kind of entry", "Presentation")),
        ],
        widget=AUTOSUBMIT,
    )

    def __init__(self, data: Mapping[str, Any], *, contest: Contest) -> None:
        super().__init__(data)
        nominations = self.fields["nomination"]
        platforms = self.fields["platform"]
        assert isinstance(nominations, forms.ModelChoiceField) and isinstance(platforms, forms.ModelChoiceField)
        nominations.queryset = Nomination.objects.filter(contest=contest)
        platforms.queryset = Platform.objects.filter(contest=contest)

    def apply(self, worklist: QuerySet[Assignment]) -> QuerySet[Assignment]:
        """The assignments that pass the chosen filters; an invalid choice filters nothing."""
        if not self.is_valid():
            return worklist
        chosen = self.cleaned_data
        if chosen["q"]:
            worklist = worklist.filter(Q(entry__code__icontains=chosen["q"]) | Q(entry__title__icontains=chosen["q"]))
        if chosen["status"] == NO_REVIEW:
            worklist = worklist.filter(Q(review_status__isnull=True))
        elif chosen["status"]:
            worklist = worklist.filter(Q(review_status=chosen["status"]))
        if chosen["nomination"] is not None:
            worklist = worklist.filter(entry__nomination=chosen["nomination"])
        if chosen["platform"] is not None:
            worklist = worklist.filter(entry__platforms=chosen["platform"])
        if chosen["kind"]:
            worklist = worklist.filter(entry__media__kind__in=KINDS[chosen["kind"]])
        return worklist

    @property
    def active(self) -> bool:
        """Whether the chosen filters or search leave out some entries (the order leaves out none)."""
        return self.is_valid() and any(value for name, value in self.cleaned_data.items() if name != "sort")

    @property
    def order(self) -> str:
        """The chosen order of the list; by entry code when none or an unknown one is asked for."""
        # Read on its own: a filter with an unknown choice must not undo the order.
        sort = self.data.get("sort")
        return sort if isinstance(sort, str) and sort in ORDERS else ORDER_CODE

    @property
    def narrowing(self) -> Narrowing | None:
        """What the chosen filters keep of a worklist; ``None`` when they keep it all."""
        return self.apply if self.active else None


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
