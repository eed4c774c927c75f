"""A string missing from the visitor's language comes out in English, never in another language.

Django fills a missing string from the catalogue of ``LANGUAGE_CODE`` (Russian by default), so a string that
Django or django-allauth ships without Kazakh showed Russian on a Kazakh page. Baige's strings are in its own
catalogues for every language; a third-party string Baige has not translated is better left in English (its
source) than shown in another language the visitor did not choose.
"""

from __future__ import annotations

from django.utils.translation import trans_real


def _no_fallback(self: trans_real.DjangoTranslation, localedirs: object = None) -> None:
    """Add no fallback catalogue: a missing string stays its English source."""


def english_fallback_install() -> None:
    """Make every language's missing strings fall back to English instead of ``LANGUAGE_CODE``'s language."""
    if not hasattr(trans_real.DjangoTranslation, "_add_fallback"):
        raise RuntimeError("Django's translation catalogue no longer has the fallback hook Baige replaces.")
    trans_real.DjangoTranslation._add_fallback = _no_fallback
