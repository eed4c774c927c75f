"""Baige's URLs plus pages that fail on purpose, to show the error pages in each language."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as baige_urlpatterns


def refuse_input(request: HttpRequest) -> HttpResponse:
    raise BadRequest("the input is malformed")


def refuse_access(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not yours")


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    *i18n_patterns(
        path("failing/400/", refuse_input),
        path("failing/403/", refuse_access),
        path("failing/500/", crash),
        prefix_default_language=True,
    ),
    *baige_urlpatterns,
]
__all__ = ["handler404", "handler500", "urlpatterns"]
