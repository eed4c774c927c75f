"""Query-string filters of the contest API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from contest.enums import EntryStatus
from contest.models import Entry


class EntryFilter(filters.FilterSet):
    """``?contest=<slug>`` and ``?status=<status>`` on a participant's entries."""

    contest = filters.CharFilter(field_name="contest__slug", label=_("Contest (slug)"))
    status = filters.ChoiceFilter(choices=EntryStatus.choices, label=_("Status"))

    class Meta:
        model = Entry
        fields = ["contest", "status"]
