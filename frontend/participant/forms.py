"""Forms of the participant pages: sign-up details, profile and entries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contest.enums import Country, Language
from contest.models import CoAuthor, Contest, Entry, Nomination, ParticipantProfile, Platform, University
from contest.services import CoAuthorData
from contest.validators import validate_http_url


def _model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's own copy of a field that chooses rows, so that its rows can be set per form."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class ParticipantSignupForm(forms.Form):
    """Extra sign-up fields; allauth adds e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=255)
    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.none(), required=False)
    programme = forms.CharField(label=_("Study programme"), max_length=255, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial=Country.KZ)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice_field(self, "university").queryset = University.objects.order_by("name")
        self.fields["preferred_language"].initial = get_language()

    def signup(self, request: HttpRequest, user: Any) -> None:
        """Called by allauth once the account exists."""
        ParticipantProfile.objects.update_or_create(
            user=user,
            defaults={
                "full_name": self.cleaned_data["full_name"],
                "university": self.cleaned_data["university"],
                "programme": self.cleaned_data["programme"],
                "country": self.cleaned_data["country"],
                "preferred_language": self.cleaned_data["preferred_language"],
            },
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ParticipantProfile
        fields = ["full_name", "university", "programme", "country", "preferred_language"]


class PlatformChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class EntryForm(forms.Form):
    """An entry's fields; the services check the contest's rules again."""

    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    # The rows are the contest's own, set in __init__.
    nomination: forms.ModelChoiceField[Nomination] = forms.ModelChoiceField(
        label=_("Nomination"), queryset=None, empty_label=None
    )
    platforms: forms.ModelMultipleChoiceField[Platform] = PlatformChoiceField(
        label=_("Platforms used"),
        queryset=None,
        error_messages={"required": _("Choose at least one platform.")},
    )
    other_platform = forms.CharField(
        label=_("Other platform"),
        max_length=120,
        required=False,
        help_text=_("If you picked “Other”, name the platform."),
    )
    live_url = forms.URLField(
        label=_("Link to the live activity"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[validate_http_url],
        help_text=_("For example the link to your Wordwall or Genially activity."),
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that my entry, name and university are published if it wins."), required=False
    )

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        nominations = _model_choice_field(self, "nomination")
        nominations.queryset = contest.nominations.all()
        # With a choice to make, the person makes it: no nomination is preset for them.
        if nominations.initial is None and "nomination" not in self.initial and contest.nominations.count() > 1:
            nominations.empty_label = _("— choose —")
        _model_choice_field(self, "platforms").queryset = contest.platforms.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        platforms: list[Platform] = list(data.get("platforms") or [])
        if any(p.is_other for p in platforms) and not (data.get("other_platform") or "").strip():
            self.add_error("other_platform", _("Name the other platform you used."))
        return data


class CoAuthorForm(forms.Form):
    full_name = forms.CharField(label=_("Co-author's full name"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.all(), required=False)

    def __init__(self, *args: Any, universities: QuerySet[University] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if universities is not None:
            field = self.fields["university"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = universities

    def to_data(self) -> CoAuthorData | None:
        data = self.cleaned_data
        if not data.get("full_name", "").strip():
            return None
        return CoAuthorData(
            full_name=data["full_name"].strip(), email=data.get("email", ""), university=data.get("university")
        )


CoAuthorFormSet = forms.formset_factory(CoAuthorForm, extra=2, max_num=6, absolute_max=6, validate_max=True)


def coauthor_universities(contest: Contest, entry: Entry | None = None) -> QuerySet[University]:
    """The universities a co-author may be from: the contest's when it lists them (else all), and the entry's own.

    One lazy query, as the services check it: a university already on the entry stays choosable.
    """
    listed = Contest.universities.through.objects.filter(contest=contest)
    chosen = Q(Exists(listed.filter(university=OuterRef("pk")))) | ~Q(Exists(listed))
    if entry is not None:
        chosen |= Q(pk__in=CoAuthor.objects.filter(entry=entry).values("university"))
    return University.objects.filter(chosen).order_by("name")


class WithdrawForm(forms.Form):
    """Withdrawing takes a ticked box, so that one tap on a phone does not take an entry out of the contest."""

    confirm = forms.BooleanField(
        label=_("Yes, withdraw it: a withdrawn entry is not judged unless I submit it again before the deadline.")
    )


class DeleteForm(forms.Form):
    """Deleting a draft takes a ticked box: it cannot be undone."""

    confirm = forms.BooleanField(label=_("Yes, delete this draft and its file for good."))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Video or presentation"))
