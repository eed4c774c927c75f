"""Post texts in Kazakh, Russian and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from blog.models import Post


@register(Post)
class PostTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "award", "university_text")
