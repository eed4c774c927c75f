"""Fields an organiser writes in Kazakh, Russian and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from contest.models import Contest, Nomination, Platform, University


@register(Contest)
class ContestTranslation(TranslationOptions):
    fields = ("name", "description", "rules")


@register(Nomination)
class NominationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Platform)
class PlatformTranslation(TranslationOptions):
    fields = ("name",)


@register(University)
class UniversityTranslation(TranslationOptions):
    fields = ("name",)
