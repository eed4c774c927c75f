"""Django admin for superusers: blog posts, corrected by hand when needed."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from blog.models import Post


@admin.register(Post)
class PostAdmin(TranslationAdmin):
    list_display = ["title", "contest", "key", "place", "nomination", "status", "published_at", "updated_at"]
    list_filter = ["contest", "status", "nomination"]
    list_select_related = ["contest", "nomination"]
    search_fields = ["key", "slug", "title"]
    raw_id_fields = ["entry"]
    filter_horizontal = ["platforms"]
    readonly_fields = ["created_at", "updated_at"]
