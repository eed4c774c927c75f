"""Judging texts an organiser writes in Kazakh, Russian and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from judging.models import Award, Criterion, CriterionLevel, Round


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CriterionLevel)
class CriterionLevelTranslation(TranslationOptions):
    fields = ("descriptor",)


@register(Round)
class RoundTranslation(TranslationOptions):
    fields = ("name",)


@register(Award)
class AwardTranslation(TranslationOptions):
    fields = ("name",)
