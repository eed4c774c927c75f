"""Django admin for superusers: the judging tables; reviews and their history are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from judging.models import (
    Assignment,
    AssignmentRemoval,
    Conflict,
    Criterion,
    CriterionLevel,
    Juror,
    Results,
    Review,
    ReviewChange,
    Round,
    Rubric,
    Score,
)


class CriterionInline(TranslationStackedInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["contest", "frozen_at"]
    readonly_fields = ["frozen_at"]
    inlines = [CriterionInline]


class CriterionLevelInline(TranslationTabularInline):
    model = CriterionLevel
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(TranslationAdmin):
    list_display = ["name", "rubric", "weight", "max_score", "order"]
    list_filter = ["rubric__contest"]
    inlines = [CriterionLevelInline]


class ConflictInline(admin.TabularInline):
    model = Conflict
    extra = 0
    raw_id_fields = ["entry"]
    # A declaration is resolved through the organiser's jury page, which withdraws and reassigns in one step.
    readonly_fields = [
        "declared_by",
        "created_at",
        "state",
        "resolved_by",
        "resolved_at",
        "review_decision",
        "resolution_reason",
        "withdrawn",
        "replaced",
    ]


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contest", "university", "max_load"]
    list_filter = ["contest", "university"]
    search_fields = ["user__email", "user__profile__full_name"]
    list_select_related = ["contest", "university", "user__profile"]
    autocomplete_fields = ["user"]
    inlines = [ConflictInline]


@admin.register(Round)
class RoundAdmin(TranslationAdmin):
    list_display = ["name", "contest", "number", "status", "reviews_per_entry", "blind", "opens_at", "closes_at"]
    list_filter = ["contest", "status"]
    readonly_fields = ["closed_at", "assignment_seed", "assigned_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Round | None = None) -> list[str]:
        """What entrants see is fixed once any round of the contest has finalised results."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and Results.objects.filter(round__contest_id=obj.contest_id).exists():
            fields.append("participant_view")
        return fields


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["round", "juror", "entry", "origin", "created_at"]
    list_filter = ["round__contest", "round", "origin"]
    list_select_related = ["round", "juror__user__profile", "entry"]
    raw_id_fields = ["entry", "juror"]


@admin.register(AssignmentRemoval)
class AssignmentRemovalAdmin(admin.ModelAdmin):
    list_display = ["round", "juror", "entry", "removed_by", "removed_at"]
    list_filter = ["round"]
    raw_id_fields = ["entry", "juror"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScoreInline(ReadOnlyInline):
    model = Score


class ReviewChangeInline(ReadOnlyInline):
    model = ReviewChange


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews change only through the jury's pages, so that every change reaches the history."""

    list_display = ["round", "entry", "juror", "status", "submitted_at", "updated_at"]
    list_filter = ["round__contest", "round", "status"]
    list_select_related = ["round", "entry", "juror__user__profile"]
    inlines = [ScoreInline, ReviewChangeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
