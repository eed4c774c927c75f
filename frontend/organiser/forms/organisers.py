"""Forms of founding a contest (blank or as a copy of another) and of adding co-organisers."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.enums import Language
from contest.models import Contest
from contest.validators import validate_timezone
from frontend.organiser.forms.contests import WallClockDateTimeField, on_clock_of
from frontend.text_fields import NamesForm

#: The furthest the dates of a copy may move, in years and in days (either way).
MAX_SHIFT_YEARS = 20
MAX_SHIFT_DAYS = 366 * MAX_SHIFT_YEARS
MAX_ORGANISERS = 20


class ContestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contest) -> str:
        return f"{obj.name} ({obj.slug})"


class NewContestForm(NamesForm):
    """A new contest: its names and address, then a copy of another contest with its dates moved, or a blank one."""

    name_required = _("Give the contest's name in at least one language.")

    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=80,
        help_text=_("Latin letters, digits and hyphens; it is part of the contest's web address."),
    )
    source = ContestChoiceField(
        label=_("Copy of"),
        queryset=Contest.objects.none(),
        required=False,
        empty_label=_("Nothing: a blank contest"),
        help_text=_(
            "Texts, universities, nominations, platforms, rubric, rounds with their settings, file limits and "
            "certificates are copied; people, entries, reviews and results never."
        ),
    )
    shift_years = forms.IntegerField(
        label=_("Move the dates by years"), initial=1, min_value=-MAX_SHIFT_YEARS, max_value=MAX_SHIFT_YEARS
    )
    shift_days = forms.IntegerField(
        label=_("and by days"),
        initial=0,
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        help_text=_("For a copy: every date and time moves by this much on the contest's clock (1 year: same dates)."),
    )
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        initial="Asia/Almaty",
        validators=[validate_timezone],
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("For a blank contest; a copy keeps the time zone of the contest it copies."),
    )
    submissions_open = WallClockDateTimeField(label=_("Submissions open"), required=False)
    submissions_close = WallClockDateTimeField(label=_("Submissions close"), required=False)
    organisers = forms.CharField(
        label=_("Its first organisers' e-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One or more, separated by commas or new lines; each is e-mailed. Accounts are made for new people."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail to people new to Baige"), choices=Language.choices, initial=Language.KK
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, ContestChoiceField)
        source.queryset = Contest.objects.order_by("-submissions_open", "slug")

    def clean_organisers(self) -> list[str]:
        emails = [part for part in re.split(r"[\s,;]+", self.cleaned_data.get("organisers", "")) if part]
        if not emails:
            raise forms.ValidationError(_("Name at least one organiser by e-mail."))
        if len(emails) > MAX_ORGANISERS:
            raise forms.ValidationError(_("Name at most %(count)d organisers here.") % {"count": MAX_ORGANISERS})
        return emails

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") is not None:
            return data
        zone_name = data.get("timezone")
        if not zone_name and "timezone" not in self.errors:
            self.add_error("timezone", _("Give the time zone of a blank contest."))
        for name in ("submissions_open", "submissions_close"):
            local = data.get(name)
            if local is None:
                if name not in self.errors:
                    self.add_error(name, _("Set when submissions open and close."))
                continue
            if not zone_name:
                continue
            moment = on_clock_of(local, zoneinfo.ZoneInfo(zone_name))
            if moment is None:
                self.add_error(
                    name,
                    _("This time is skipped or repeated when clocks change in %(zone)s; choose another one.")
                    % {"zone": zone_name},
                )
                continue
            data[name] = moment
        opens, closes = data.get("submissions_open"), data.get("submissions_close")
        if opens and closes and closes <= opens and not self.errors.get("submissions_close"):
            self.add_error("submissions_close", _("Submissions must close after they open."))
        return data


class OrganiserAddForm(forms.Form):
    """A co-organiser by e-mail, and the language of the e-mail to someone new to Baige."""

    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(
        label=_("Language of the e-mail to people new to Baige"), choices=Language.choices, initial=Language.KK
    )
