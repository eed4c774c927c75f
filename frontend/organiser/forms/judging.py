"""Forms of the organiser's judging pages: rubric criteria, rounds, shortlists and assignments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.models import Contest, Entry
from contest.texts import TEXT_LANGUAGES
from frontend.organiser.forms.contests import WallClockDateTimeField, on_clock_of, wall_clock
from frontend.text_fields import LANGUAGE_LABELS, NamesForm
from judging.enums import ParticipantView, RoundStatus
from judging.models import MAX_FEEDBACK_MIN_LENGTH, MAX_SCALE, Criterion, Juror, Round

#: A new criterion starts with this scale, and its descriptor fields with it.
DEFAULT_SCALE = 5
#: The value of the entries choice that takes every submitted entry.
EVERY_SUBMITTED_ENTRY = "submitted"


def _rows_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's own copy of a field that chooses rows, so that its rows can be set per form."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def _whole_number(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def level_field(score: int, language: str) -> str:
    return f"level_{score}_{language}"


class CriterionForm(NamesForm):
    """A criterion's names, description, weight and scale, and a descriptor per level in each language.

    The form has descriptor fields for the levels 0..M of the criterion's scale (or the default); the
    page posts back which scale it showed (``shown_scale``), so that a wider scale, once saved, is
    shown again with fields for its new levels.
    """

    name_required = _("Give the criterion's name in at least one language.")
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.DecimalField(
        label=_("Weight"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2, initial=Decimal(1)
    )
    max_score = forms.IntegerField(
        label=_("Highest score"),
        min_value=1,
        max_value=MAX_SCALE,
        initial=DEFAULT_SCALE,
        help_text=_("Jurors score from 0 to this number. After changing it, save to describe the new levels."),
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Latin letters, digits and hyphens. Left empty, it is made from the English or Russian name."),
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=10_000, required=False, help_text=_("Smaller numbers come first.")
    )

    def __init__(self, *args: Any, criterion: Criterion | None = None, **kwargs: Any) -> None:
        if criterion is not None:
            initial = {
                **{
                    f"{text}_{language}": getattr(criterion, f"{text}_{language}") or ""
                    for text in ("name", "description")
                    for language in TEXT_LANGUAGES
                },
                "weight": criterion.weight,
                "max_score": criterion.max_score,
                "slug": criterion.slug,
                "order": criterion.order,
            }
            for level in criterion.levels.all():
                for language in TEXT_LANGUAGES:
                    initial[level_field(level.score, language)] = getattr(level, f"descriptor_{language}") or ""
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.scale_before, self.scale = self._scales(criterion)
        for score in range(self.scale + 1):
            for language in TEXT_LANGUAGES:
                self.fields[level_field(score, language)] = forms.CharField(
                    label=LANGUAGE_LABELS[language],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 1}),
                )

    def _scales(self, criterion: Criterion | None) -> tuple[int, int]:
        """The scale the page showed, and the levels to have fields for: on a post, the wider of it and the new one."""
        saved = criterion.max_score if criterion else DEFAULT_SCALE
        if not self.is_bound:
            return saved, saved
        shown = _whole_number(self.data.get("shown_scale"), saved)
        wanted = max(shown, _whole_number(self.data.get("max_score"), saved))
        return shown, min(max(wanted, 1), MAX_SCALE)

    def levels(self) -> list[tuple[int, list[forms.BoundField]]]:
        """Each level of the scale with its descriptor fields, for the template."""
        return [
            (score, [self[level_field(score, language)] for language in TEXT_LANGUAGES])
            for score in range(self.scale + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("order") is None:
            data["order"] = 0
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``rubric_criterion_save`` takes them."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("name_kk", "name_ru", "name_en", "description_kk", "description_ru", "description_en")
        }
        fields.update(
            weight=data["weight"], max_score=data["max_score"], slug=data.get("slug") or "", order=data["order"]
        )
        # Levels above a lowered scale are dropped rather than refused: the organiser asked for the smaller scale.
        fields["levels"] = {
            score: {language: data.get(level_field(score, language)) or "" for language in TEXT_LANGUAGES}
            for score in range(min(self.scale, data["max_score"]) + 1)
        }
        return fields


class JurorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        juror: Juror = obj
        university = f" ({juror.university})" if juror.university_id else ""
        return f"{juror}{university}"


#: Each choice of what entrants see, said plainly for the organiser.
PARTICIPANT_VIEW_HELP = {
    ParticipantView.NOTHING: _("Entrants see nothing of this round on their pages."),
    ParticipantView.OUTCOME: _(
        "Entrants see whether their entry went on (shortlisted), and its place or award; no scores."
    ),
    ParticipantView.SCORES: _(
        "Entrants also see their entry's total from 0 to 100 and the mean score of each criterion; no comments."
    ),
    ParticipantView.FEEDBACK: _(
        "Entrants also read each juror's feedback and comments on the criteria, signed “Juror A”, “Juror B”… "
        "never with a name. The notes for the organisers are never shown."
    ),
}


class RoundForm(NamesForm):
    """A round's names, reviews per entry, blindness, times on the contest's clock, feedback, jurors and entries."""

    name_required = _("Give the round's name in at least one language.")
    every_juror = forms.BooleanField(
        label=_("Every juror scores every entry"),
        required=False,
        help_text=_("For a final: the whole jury of the round scores each finalist."),
    )
    reviews_per_entry = forms.IntegerField(
        label=_("Reviews per entry"), min_value=1, max_value=1000, required=False, initial=3
    )
    blind = forms.BooleanField(
        label=_("Blind"),
        required=False,
        initial=True,
        help_text=_("Jurors never see who made an entry or their university."),
    )
    opens_at = WallClockDateTimeField(
        label=_("Opens"),
        required=False,
        help_text=_(
            "Empty: when it is opened by hand. With a time: it opens by itself then and its jurors are e-mailed."
        ),
    )
    closes_at = WallClockDateTimeField(
        label=_("Closes"),
        required=False,
        help_text=_(
            "Empty: when it is closed by hand. With a time: it closes by itself then; two days before, "
            "jurors with unfinished reviews are reminded."
        ),
    )
    feedback_required = forms.BooleanField(
        label=_("Feedback for the entrant is required"),
        required=False,
        help_text=_("A juror cannot submit a review without writing feedback for the entrant. Drafts are always kept."),
    )
    feedback_min_length = forms.IntegerField(
        label=_("Shortest feedback, in characters"),
        min_value=0,
        max_value=MAX_FEEDBACK_MIN_LENGTH,
        required=False,
        initial=0,
        help_text=_("Only when feedback is required; 0: any feedback that is not empty."),
    )
    participant_view = forms.ChoiceField(
        label=_("What entrants see of this round's results"),
        choices=ParticipantView.choices,
        initial=ParticipantView.OUTCOME,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Shown on each entrant's own page once the results are published; fixed when they are finalised."),
    )
    jurors = JurorChoiceField(
        label=_("Jurors"), queryset=Juror.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    entries_from = forms.ChoiceField(label=pgettext_lazy("contest entry", "Entries"), required=False)

    def __init__(
        self, *args: Any, contest: Contest, round: Round | None = None, jury: QuerySet[Juror], **kwargs: Any
    ) -> None:
        self.contest = contest
        self.round = round
        zone = contest.tzinfo
        if round is not None:
            kwargs["initial"] = {
                **{f"name_{language}": getattr(round, f"name_{language}") or "" for language in TEXT_LANGUAGES},
                "every_juror": round.reviews_per_entry is None,
                "reviews_per_entry": round.reviews_per_entry,
                "blind": round.blind,
                "opens_at": wall_clock(round.opens_at, zone),
                "closes_at": wall_clock(round.closes_at, zone),
                "feedback_required": round.feedback_required,
                "feedback_min_length": round.feedback_min_length,
                "participant_view": round.participant_view,
                "jurors": [link.juror_id for link in round.round_jurors.all()],
            }
        else:
            kwargs["initial"] = {"jurors": [juror.pk for juror in jury]}
        super().__init__(*args, **kwargs)
        _rows_field(self, "jurors").queryset = jury
        if round is not None:
            # The entries of an existing round stay as they are.
            del self.fields["entries_from"]
        else:
            sources = Round.objects.filter(contest=contest, status=RoundStatus.CLOSED).order_by("number")
            entries_from = self.fields["entries_from"]
            assert isinstance(entries_from, forms.ChoiceField)
            entries_from.choices = [
                (EVERY_SUBMITTED_ENTRY, _("Every submitted entry")),
                *(
                    (str(source.number), _("The shortlist of round “%(round)s”") % {"round": source})
                    for source in sources
                ),
            ]
            entries_from.initial = EVERY_SUBMITTED_ENTRY

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("every_juror"):
            data["reviews_per_entry"] = None
        elif not data.get("reviews_per_entry") and "reviews_per_entry" not in self.errors:
            self.add_error("reviews_per_entry", _("Give the number of reviews per entry, or let every juror score."))
        zone = self.contest.tzinfo
        for name in ("opens_at", "closes_at"):
            local = data.get(name)
            if local is None:
                continue
            stored = getattr(self.round, name, None)
            if stored is not None and local == self.initial.get(name):
                # Untouched: keep the stored moment to the second rather than the minute the field shows.
                data[name] = stored
                continue
            moment = on_clock_of(local, zone)
            if moment is None:
                self.add_error(
                    name,
                    _("This time is skipped or repeated when clocks change in %(zone)s; choose another one.")
                    % {"zone": self.contest.timezone},
                )
                continue
            data[name] = moment
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("A round must close after it opens."))
        if not data.get("participant_view"):
            # Left unchosen: as it was, or the default of a new round.
            data["participant_view"] = self.round.participant_view if self.round else ParticipantView.OUTCOME
        if data.get("feedback_min_length") is None and "feedback_min_length" not in self.errors:
            data["feedback_min_length"] = 0
        if data.get("feedback_min_length") and not data.get("feedback_required"):
            self.add_error(
                "feedback_min_length", _("Tick “Feedback for the entrant is required” to ask for a shortest length.")
            )
        return data

    def participant_view_choices(self) -> list[tuple[BoundWidget, str]]:
        """Each choice of what entrants see, with its plain explanation, for the template."""
        return [
            (choice, str(PARTICIPANT_VIEW_HELP[ParticipantView(choice.data["value"])]))
            for choice in self["participant_view"]
        ]

    def settings_fields(self) -> dict[str, Any]:
        """Names, reviews per entry, blindness and times as the round services take them."""
        data = self.cleaned_data
        fields = {f"name_{language}": data[f"name_{language}"] for language in TEXT_LANGUAGES}
        fields.update(
            reviews_per_entry=data["reviews_per_entry"],
            blind=data["blind"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            feedback_required=data["feedback_required"],
            feedback_min_length=data["feedback_min_length"],
            participant_view=data["participant_view"],
        )
        return fields

    def source_round(self) -> Round | None:
        """The closed round whose shortlist the new round takes, or ``None`` for every submitted entry."""
        chosen = self.cleaned_data.get("entries_from") or EVERY_SUBMITTED_ENTRY
        if chosen == EVERY_SUBMITTED_ENTRY:
            return None
        return Round.objects.get(contest=self.contest, number=int(chosen))


class ShortlistTopForm(forms.Form):
    per_nomination = forms.IntegerField(label=_("Entries per nomination"), min_value=1, max_value=1000, initial=3)


class ShortlistChoiceForm(forms.Form):
    """The entries of a round ticked by hand."""

    entries = forms.ModelMultipleChoiceField(
        queryset=Entry.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows_field(self, "entries").queryset = Entry.objects.filter(round_links__round=round)


class AssignmentRunForm(forms.Form):
    """How many reviews per entry, and the seed that breaks ties: the same seed gives the same assignment."""

    k = forms.IntegerField(
        label=_("Reviews per entry"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Empty: the round's own setting."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**62,
        initial=0,
        help_text=_("Any number; the same number gives the same assignment."),
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"k": round.reviews_per_entry, "seed": round.assignment_seed or 0})
        super().__init__(*args, **kwargs)


class AssignmentAddForm(forms.Form):
    """A juror of the round and the code of an entry of the round."""

    juror = forms.ModelChoiceField(label=_("Juror"), queryset=Juror.objects.none())
    code = forms.CharField(label=_("Entry code"), max_length=12)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        _rows_field(self, "juror").queryset = (
            Juror.objects.filter(round_links__round=round).select_related("user__profile").order_by("pk")
        )

    def clean_code(self) -> Entry:
        code = self.cleaned_data["code"].strip().upper()
        entry = Entry.objects.filter(round_links__round=self.round, code=code).first()
        if entry is None:
            raise forms.ValidationError(_("No entry of this round has the code %(code)s.") % {"code": code})
        return entry


class AssignmentRemoveForm(forms.Form):
    juror = forms.ModelChoiceField(queryset=Juror.objects.none())
    entry = forms.ModelChoiceField(queryset=Entry.objects.none())

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows_field(self, "juror").queryset = Juror.objects.filter(round_links__round=round).select_related(
            "user__profile"
        )
        _rows_field(self, "entry").queryset = Entry.objects.filter(round_links__round=round)
