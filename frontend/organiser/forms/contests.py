"""Forms of the organiser's pages: contest settings, platforms, nominations and the entries filter."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contest.enums import EntryStatus
from contest.models import Contest, Entry, Nomination, Platform, University
from contest.selectors import entry_university_of_author, universities_of_contest
from contest.services import CONTEST_TIMES, MIB
from contest.texts import TEXT_LANGUAGES, text_field_names
from contest.validators import validate_timezone
from frontend.text_fields import NamesForm

#: Offered in the time zone field; any other IANA name can be typed in.
COMMON_TIMEZONES = (
    "Asia/Almaty",
    "Asia/Qostanay",
    "Asia/Qyzylorda",
    "Asia/Aqtobe",
    "Asia/Aqtau",
    "Asia/Atyrau",
    "Asia/Oral",
    "Asia/Bishkek",
    "Asia/Tashkent",
    "Asia/Samarkand",
    "Asia/Dushanbe",
    "Asia/Ashgabat",
    "Asia/Baku",
    "Asia/Ulaanbaatar",
    "Asia/Shanghai",
    "Europe/Istanbul",
    "Europe/Moscow",
    "UTC",
)
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
MAX_FILE_MB = 1024 * 1024
MAX_VIDEO_MINUTES = 24 * 60
MAX_PAGES = 10_000
TEXT_FIELDS = text_field_names("name", "description", "rules")


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as it reads on a clock, with no zone yet: the form decides which zone it belongs to."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT_FORMAT)

    def to_python(self, value: Any) -> datetime | None:
        # Unlike DateTimeField, do not read the time in the server's zone: the contest's zone is known only in clean().
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        try:
            result = parse_datetime(text)
        except ValueError:
            result = None
        if result is None:
            result = BaseTemporalField.to_python(self, text)
        if result is None or result.tzinfo is not None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return result


def wall_clock(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """``moment`` as it reads on a clock in ``zone``, to the minute, without the zone."""
    if moment is None:
        return None
    return timezone.localtime(moment, zone).replace(tzinfo=None, second=0, microsecond=0)


def on_clock_of(local: datetime, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The moment a clock in ``zone`` shows ``local``; None for a time skipped or repeated by a clock change."""
    moment = local.replace(tzinfo=zone)
    back = moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != local or moment.utcoffset() != moment.replace(fold=1).utcoffset():
        return None
    return moment


class ContestSettingsForm(NamesForm):
    """A contest's texts, time zone, timeline on the contest's own clock, and file limits."""

    name_required = _("Give the contest's name in at least one language.")

    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    rules_kk = forms.CharField(label=_("Rules in Kazakh"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    rules_ru = forms.CharField(label=_("Rules in Russian"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    rules_en = forms.CharField(label=_("Rules in English"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_timezone],
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "A name from the IANA time zone database, such as Asia/Almaty. The dates and times below are read "
            "on this zone's clock; changing the zone keeps them as they read."
        ),
    )
    submissions_open = WallClockDateTimeField(label=_("Submissions open"))
    submissions_close = WallClockDateTimeField(label=_("Submissions close"))
    results_publish_at = WallClockDateTimeField(
        label=_("Results publication"), required=False, help_text=_("Leave empty if not decided yet.")
    )
    max_file_size_mb = forms.IntegerField(label=_("Largest file, MB"), min_value=1, max_value=MAX_FILE_MB)
    max_video_minutes = forms.IntegerField(label=_("Longest video, minutes"), min_value=1, max_value=MAX_VIDEO_MINUTES)
    max_pages = forms.IntegerField(label=_("Most slides or pages"), min_value=1, max_value=MAX_PAGES)

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        self.contest = contest
        zone = contest.tzinfo
        initial = {
            **{name: getattr(contest, name) or "" for name in TEXT_FIELDS},
            "timezone": contest.timezone,
            **{name: wall_clock(getattr(contest, name), zone) for name in CONTEST_TIMES},
            "max_file_size_mb": max(1, round(contest.max_file_size / MIB)),
            "max_video_minutes": max(1, round(contest.max_video_duration / 60)),
            "max_pages": contest.max_pages,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("timezone")
        if not zone_name:
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in CONTEST_TIMES:
            local = data.get(name)
            if local is None:
                continue
            if zone_name == self.contest.timezone and local == self.initial[name]:
                # Untouched: keep the stored moment to the second rather than the minute the field shows.
                data[name] = getattr(self.contest, name)
                continue
            moment = on_clock_of(local, zone)
            if moment is None:
                self.add_error(
                    name,
                    _("This time is skipped or repeated when clocks change in %(zone)s; choose another one.")
                    % {"zone": zone_name},
                )
                continue
            data[name] = moment
        opens, closes, results = (data.get(name) for name in CONTEST_TIMES)
        if opens and closes and closes <= opens:
            self.add_error("submissions_close", _("Submissions must close after they open."))
        if closes and results and results <= closes:
            self.add_error("results_publish_at", _("Results must be published after submissions close."))
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``contest_update`` takes them: aware moments, bytes and seconds."""
        data = self.cleaned_data
        fields = {name: data[name] for name in TEXT_FIELDS}
        fields["timezone"] = data["timezone"]
        fields.update({name: data[name] for name in CONTEST_TIMES})
        # A limit left as shown keeps its exact stored value, which need not be a whole number of MB or minutes.
        fields["max_file_size"] = (
            self.contest.max_file_size
            if data["max_file_size_mb"] == self.initial["max_file_size_mb"]
            else data["max_file_size_mb"] * MIB
        )
        fields["max_video_duration"] = (
            self.contest.max_video_duration
            if data["max_video_minutes"] == self.initial["max_video_minutes"]
            else data["max_video_minutes"] * 60
        )
        fields["max_pages"] = data["max_pages"]
        return fields


class _NamedForm(NamesForm):
    """Names in the three languages, a short name for links and files, and the place in the list."""

    name_required = _("Give the name in at least one language.")

    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Latin letters, digits and hyphens. Left empty, it is made from the English or Russian name."),
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=10_000, required=False, help_text=_("Smaller numbers come first.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("order") is None:
            data["order"] = 0
        return data


class PlatformForm(_NamedForm):
    name_max_length = 120
    is_other = forms.BooleanField(
        label=_("Stands for other platforms"),
        required=False,
        help_text=_("Entrants who pick it name their platform in a text field."),
    )

    field_order = ["name_kk", "name_ru", "name_en", "slug", "order", "is_other"]

    @classmethod
    def for_platform(cls, platform: Platform) -> PlatformForm:
        """An unbound form showing a platform's current values."""
        return cls(
            initial={
                **{f"name_{language}": getattr(platform, f"name_{language}") or "" for language in TEXT_LANGUAGES},
                "slug": platform.slug,
                "order": platform.order,
                "is_other": platform.is_other,
            }
        )


class NominationForm(_NamedForm):
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = [
        "name_kk",
        "name_ru",
        "name_en",
        "description_kk",
        "description_ru",
        "description_en",
        "slug",
        "order",
    ]

    @classmethod
    def for_nomination(cls, nomination: Nomination) -> NominationForm:
        """An unbound form showing a nomination's current values."""
        fields = ("name_kk", "name_ru", "name_en", "description_kk", "description_ru", "description_en")
        return cls(
            initial={
                **{name: getattr(nomination, name) or "" for name in fields},
                "slug": nomination.slug,
                "order": nomination.order,
            }
        )


#: The statuses an organiser filters by: an entry's own, and disqualified (a submitted entry set aside).
DISQUALIFIED = "disqualified"
ENTRY_STATUS_CHOICES = [*EntryStatus.choices, (DISQUALIFIED, pgettext_lazy("entry eligibility", "Disqualified"))]


class OrganiserEntryFilter(django_filters.FilterSet):
    """Filters of the organiser's table of entries; every choice comes from the contest itself."""

    q = django_filters.CharFilter(method="search", label=_("Title or code"))
    status = django_filters.ChoiceFilter(
        choices=ENTRY_STATUS_CHOICES, method="of_status", label=_("Status"), empty_label=_("Any status")
    )
    nomination = django_filters.ModelChoiceFilter(
        queryset=Nomination.objects.none(), label=_("Nomination"), empty_label=_("Any nomination")
    )
    platform = django_filters.ModelChoiceFilter(
        field_name="platforms", queryset=Platform.objects.none(), label=_("Platform"), empty_label=_("Any platform")
    )
    university = django_filters.ModelChoiceFilter(
        method="of_university",
        queryset=University.objects.none(),
        label=_("University"),
        empty_label=_("Any university"),
    )

    class Meta:
        model = Entry
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: QuerySet[Entry] | None = None, *, contest: Contest) -> None:
        super().__init__(data, queryset)
        self.filters["nomination"].queryset = Nomination.objects.filter(contest=contest).order_by("order", "pk")
        self.filters["platform"].queryset = Platform.objects.filter(contest=contest).order_by(
            "is_other", "order", "name"
        )
        self.filters["university"].queryset = universities_of_contest(contest)

    def of_status(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        """Entries in the status ``value``; "disqualified" finds the entries the organisers disqualified."""
        if not value:
            return queryset
        if value == DISQUALIFIED:
            return queryset.filter(disqualified_at__isnull=False)
        return queryset.filter(status=value)

    def of_university(self, queryset: QuerySet[Entry], name: str, value: University | None) -> QuerySet[Entry]:
        """Entries whose author's university is ``value``: as recorded at submission, a draft's from the profile."""
        if value is None:
            return queryset
        return queryset.alias(author_of=entry_university_of_author()).filter(author_of=value.pk)

    def search(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__iexact=value))
