"""API glue shared by every app: one shape for every error, and a schema that documents it everywhere.

Every error the API answers, whether a broken domain rule (``BaigeError``), malformed input or one of DRF's
own refusals (not logged in, not allowed, not found, method not allowed, unsupported media type, throttled),
has the body ``{"detail": <message in the requester's language>, "code": <stable code>}``; malformed input
adds ``errors``, the messages by field (``coauthors.0.email``). A path the API does not know answers the same
shape, not an HTML page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.exceptions import BaigeError

#: The key DRF gives errors that belong to no field.
NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):
    """A refused request: a message in the requester's language and a stable code."""

    detail = serializers.CharField(help_text="What went wrong, in the requester's language.")
    code = serializers.CharField(
        help_text="A stable code: `invalid` for malformed input, `not_authenticated`, `permission_denied`, "
        "`not_allowed`, `not_found`, `method_not_allowed`, `unsupported_media_type`, `throttled`, or a domain "
        "rule's own (`submissions_closed`, `file_refused`, ...)."
    )
    # The metaclass takes declared fields off the class, so this does not hide `Serializer.errors`.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Malformed input only: the messages for each field, nested fields and list items joined by "
        "dots (`coauthors.0.email`); `non_field_errors` for the input as a whole.",
    )


def _messages_by_field(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as flat ``{"a.0.b": [messages]}``."""
    found: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        found.setdefault(key or NON_FIELD, []).append(str(message))

    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else (prefix if key == NON_FIELD else f"{prefix}.{key}")
            for field, messages in _messages_by_field(value, name).items():
                found.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                for field, messages in _messages_by_field(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    found.setdefault(field, []).extend(messages)
            else:
                add(prefix, item)
    else:
        add(prefix, detail)
    return found


def _summary(errors: dict[str, list[str]]) -> str:
    """All the messages in one line, each after its field's name."""
    return " ".join(
        " ".join(messages) if field == NON_FIELD else f"{field}: {' '.join(messages)}"
        for field, messages in errors.items()
    )


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    """The documented error shape for one of DRF's exceptions."""
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError) or isinstance(detail, dict | list):
        errors = _messages_by_field(detail)
        code = exc.default_code if not isinstance(exc, exceptions.ValidationError) else "invalid"
        return {"detail": _summary(errors) or str(exc.default_detail), "code": code, "errors": errors}
    return {"detail": str(detail), "code": str(getattr(detail, "code", None) or exc.default_code)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with ``BaigeError`` given its status and every body in the shape ``{"detail", "code"}``."""
    if isinstance(exc, BaigeError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = error_body(exc)
    return response


def page_not_found_or_api_error(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, except under ``/api/``: there the API's own error, as JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return page_not_found(request, exception)


#: The errors any operation may answer, beside those it documents itself.
ERROR_DESCRIPTIONS = {
    "400": "Malformed input (`invalid`, with `errors` by field) or a rule of the contest refuses it.",
    "401": "The credentials given are wrong (`authentication_failed`).",
    "403": "Not logged in (`not_authenticated`), or not allowed to do this (`permission_denied`, `not_allowed`).",
    "404": "No such object among the ones the requester may see, or no such path (`not_found`).",
    "406": "None of the media types in the request's `Accept` can be answered (`not_acceptable`).",
}
#: Only operations that take a body can refuse its media type.
BODY_ERROR_DESCRIPTIONS = {
    "415": "The request's body is not in a media type the operation reads (`unsupported_media_type`)."
}


def _may_be_blank(field: Any) -> bool:
    """Whether a serializer field may hold "": it allows blank input, or its model column is ``blank=True``."""
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give documented in one place."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERROR_DESCRIPTIONS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(BODY_ERROR_DESCRIPTIONS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._error_response(code, description)
        for code, response in responses.items():
            # An error documented by its words alone still has the error's body.
            if code >= "400" and "content" not in response:
                responses[code] = {**self._error_response(code, response.get("description", "")), **response}
                responses[code]["content"] = self._error_response(code, "")["content"]
        return responses

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema.get("type") == "string" and schema.get("format") in ("uri", "email") and _may_be_blank(field):
            # A link or an address that was left out is "", which no `format` accepts: say that "" is allowed.
            value = {key: schema.pop(key) for key in ("type", "format", "maxLength", "minLength") if key in schema}
            schema["anyOf"] = [value, {"type": "string", "maxLength": 0}]
        return schema

    def _error_response(self, code: str, description: str) -> dict[str, Any]:
        response: dict[str, Any] = self._get_response_for_code(
            OpenApiResponse(ErrorSerializer, description=description), code, media_types=["application/json"]
        )
        return response
