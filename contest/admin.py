"""Django admin for superusers: every contest table, texts in three languages."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from contest.models import CoAuthor, Contest, ContestRole, Entry, Nomination, ParticipantProfile, Platform, University


class NominationInline(TranslationTabularInline):
    model = Nomination
    extra = 0


class PlatformInline(TranslationTabularInline):
    model = Platform
    extra = 0


class ContestRoleInline(admin.TabularInline):
    model = ContestRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(TranslationAdmin):
    list_display = ["slug", "name", "submissions_open", "submissions_close", "timezone"]
    search_fields = ["slug", "name"]
    filter_horizontal = ["universities"]
    inlines = [NominationInline, PlatformInline, ContestRoleInline]


@admin.register(University)
class UniversityAdmin(TranslationAdmin):
    list_display = ["slug", "name", "country"]
    list_filter = ["country"]
    search_fields = ["slug", "name"]


@admin.register(ParticipantProfile)
class ParticipantProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "university", "country", "preferred_language"]
    list_filter = ["country", "preferred_language", "university"]
    search_fields = ["full_name", "user__email"]
    list_select_related = ["user", "university"]
    autocomplete_fields = ["user"]


class CoAuthorInline(admin.TabularInline):
    model = CoAuthor
    extra = 0


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "contest", "author", "nomination", "status", "submitted_at"]
    list_filter = ["contest", "status", "nomination"]
    search_fields = ["code", "title", "author__email"]
    list_select_related = ["contest", "author", "nomination"]
    filter_horizontal = ["platforms"]
    # Disqualifying goes through the organiser's eligibility page, which keeps the history and tells the authors.
    readonly_fields = [
        "code",
        "media",
        "disqualified_at",
        "disqualified_by",
        "disqualification_reason",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["author"]
    inlines = [CoAuthorInline]
