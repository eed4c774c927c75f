"""API v1 of resumable uploads. The routes under ``s3/multipart/`` follow the protocol of Uppy's S3 plugin.

The browser creates an upload here, then Uppy continues it as it would resume one: it lists the parts received,
asks for a URL per missing part, sends the part there (to the bucket, or to Baige's own part endpoint), and
completes. Writes go through ``media_pipeline.uploads``.
"""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api_tokens.authentication import ApiTokenAuthentication
from config.exceptions import BaigeError
from contest.selectors import get_entry_for_author
from contest.serializers import ErrorSerializer
from media_pipeline import uploads
from media_pipeline.models import UploadSession
from media_pipeline.upload_parts import PART_URL_SECONDS, UploadedPart
from media_pipeline.uploads import (
    get_upload_for_author,
    upload_abort,
    upload_complete,
    upload_create,
    upload_list_parts,
    upload_receive_part,
    upload_sign_part,
)

NOT_LOGGED_IN = OpenApiResponse(description="Not logged in.")
NOT_FOUND = OpenApiResponse(description="No such upload (or entry) among yours.")
CLOSED = OpenApiResponse(
    ErrorSerializer,
    description="Submissions are closed (`submissions_closed`), or the upload is already complete "
    "(`upload_completed`), cancelled or replaced by a newer one (`upload_closed`).",
)
REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Malformed input (errors by field), or a rule refuses it (`{detail, code}`): "
    "`file_refused`, `size_mismatch`, `upload_incomplete`, `invalid_part`.",
)
BUSY = OpenApiResponse(
    ErrorSerializer,
    description="Other parts of the upload are being received (`parts_in_flight`): send again in a moment.",
)
SIZE = OpenApiParameter(
    "size",
    int,
    OpenApiParameter.QUERY,
    required=False,
    description="The part's length in bytes; by default the length `partSize` gives this part. A presigned S3 URL "
    "takes a part of exactly this length, and the lengths signed for all parts never add up to more than the file.",
)
KEY = OpenApiParameter(
    "key",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description="The key returned at creation. Uppy sends it back; the upload is known by its id alone.",
)


class UploadCreateSerializer(serializers.Serializer):
    """What the client says about the file it is about to send."""

    contest = serializers.SlugField(help_text="The contest's slug.")
    entry = serializers.CharField(max_length=20, help_text="The entry's code.")
    filename = serializers.CharField(max_length=1000, help_text="The file's name on the client, for people only.")
    size = serializers.IntegerField(min_value=1, help_text="The file's exact size in bytes, checked on completion.")


class UploadSerializer(serializers.Serializer):
    """A resumable upload, named the way Uppy's S3 plugin expects."""

    uploadId = serializers.UUIDField(source="uuid", help_text="The upload's id in every later request.")  # noqa: N815
    key = serializers.CharField(help_text="Where the file will be stored.")
    backend = serializers.CharField(help_text="`s3`: parts go to the bucket; `local`: to Baige's own server.")
    partSize = serializers.SerializerMethodField(help_text="The suggested part size in bytes.")  # noqa: N815
    size = serializers.IntegerField()
    filename = serializers.CharField()

    def get_partSize(self, upload: UploadSession) -> int:  # noqa: N802
        return uploads.PART_SIZE  # read when answering: the setting can be changed while running (tests do)


class PartSerializer(serializers.Serializer):
    """A part received, as S3 lists it."""

    PartNumber = serializers.IntegerField(source="number")  # noqa: N815
    ETag = serializers.CharField(source="etag", help_text="The MD5 of the part's bytes, without quotes.")  # noqa: N815
    Size = serializers.IntegerField(source="size")  # noqa: N815


class SignedPartSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Where to PUT the part's bytes; for local uploads, on this server.")
    expires = serializers.IntegerField(help_text="Seconds the URL stays valid.")


class CompletePartSerializer(serializers.Serializer):
    PartNumber = serializers.IntegerField(min_value=1)  # noqa: N815
    ETag = serializers.CharField(max_length=200)  # noqa: N815


class CompleteSerializer(serializers.Serializer):
    parts = CompletePartSerializer(
        many=True,
        required=False,
        help_text="The parts the client sent; when given they must match the parts received.",
    )


class CompletedSerializer(serializers.Serializer):
    location = serializers.CharField(help_text="The API address of the entry the file belongs to.")
    key = serializers.CharField()
    asset = serializers.UUIDField(help_text="The new file's id. It becomes the entry's file once it is checked.")
    status = serializers.CharField(help_text="The new file's processing status, `queued` at first.")


class PartBodyParser(BaseParser):
    """Declares the raw bytes of a part; the view streams them itself and never parses them."""

    media_type = "application/octet-stream"


class SignedPartAuthentication(SessionAuthentication):
    """The browser's session, without the CSRF token that Uppy cannot add to a part's PUT.

    The part's URL carries a signature that only Baige makes, for this upload and part, and the view checks it
    before anything is written: a request forged by another site cannot know it, just as it cannot know the
    CSRF token.
    """

    def enforce_csrf(self, request: Request) -> None:
        return None


class SignedPartScheme(SessionScheme):
    """Describes ``SignedPartAuthentication`` in the API schema: the browser's session cookie."""

    target_class = "media_pipeline.api.uploads.SignedPartAuthentication"
    name = "partCookieAuth"


def _size_of(value: str | None) -> int | None:
    """A length in bytes from a query parameter or header; None when not given, ``invalid_part`` when not a count."""
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 15:
        raise BaigeError(_("The part's length must be a number of bytes."), code="invalid_part")
    return int(value)


def _upload(request: Request, upload_id: uuid.UUID) -> UploadSession:
    return get_upload_for_author(request.user, upload_id=upload_id)


@extend_schema(tags=["uploads"])
class UploadCreateView(APIView):
    """Start a resumable upload of an entry's file."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Start a resumable upload",
        description=(
            "Before the deadline, for the author of the entry, for a file within the contest's size limit. "
            "Another upload of the same entry still open is cancelled."
        ),
        request=UploadCreateSerializer,
        responses={201: UploadSerializer, 400: REFUSED, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    def post(self, request: Request) -> Response:
        serializer = UploadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = get_entry_for_author(request.user, contest_slug=data["contest"], code=data["entry"])
        upload = upload_create(actor=request.user, entry=entry, filename=data["filename"], size=data["size"])
        return Response(UploadSerializer(upload).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["uploads"], parameters=[KEY])
@extend_schema_view(
    get=extend_schema(
        summary="Parts received",
        description="Every part received so far, in order: an interrupted upload sends only the others.",
        responses={200: PartSerializer(many=True), 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    ),
    delete=extend_schema(
        summary="Cancel an upload",
        description="Throws away the parts received. Cancelling twice is harmless.",
        responses={204: None, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    ),
)
class UploadView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, upload_id: uuid.UUID) -> Response:
        parts = upload_list_parts(actor=request.user, upload=_upload(request, upload_id))
        return Response(PartSerializer(parts, many=True).data)

    def delete(self, request: Request, upload_id: uuid.UUID) -> Response:
        upload_abort(actor=request.user, upload=_upload(request, upload_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["uploads"], parameters=[KEY])
class UploadPartSignView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Where to send a part",
        description=(
            "A short-lived URL to PUT one part to: a presigned S3 URL (the bucket must allow this site in its "
            "CORS rules and expose `ETag`), or this server's part endpoint. The answer's `ETag` header names the "
            "part at completion. Refused past the deadline."
        ),
        parameters=[SIZE],
        responses={200: SignedPartSerializer, 400: REFUSED, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    def get(self, request: Request, upload_id: uuid.UUID, part_number: int) -> Response:
        size = _size_of(request.query_params.get("size"))
        url = upload_sign_part(
            actor=request.user, upload=_upload(request, upload_id), part_number=part_number, size=size
        )
        return Response({"url": request.build_absolute_uri(url), "expires": PART_URL_SECONDS})


@extend_schema(tags=["uploads"], parameters=[KEY])
class UploadCompleteView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Complete an upload",
        description=(
            "Joins the parts into the entry's new file and queues it for checking; the entry keeps its current "
            "file until the new one is checked. Refused past the deadline (nothing changes), and when the size "
            "differs from the size announced (nothing is kept). Completing twice answers the same file."
        ),
        request=CompleteSerializer,
        responses={
            200: CompletedSerializer,
            400: REFUSED,
            403: NOT_LOGGED_IN,
            404: NOT_FOUND,
            409: CLOSED,
            429: BUSY,
        },
    )
    def post(self, request: Request, upload_id: uuid.UUID) -> Response:
        upload = _upload(request, upload_id)
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sent = serializer.validated_data.get("parts")
        parts = None if sent is None else [(part["PartNumber"], part["ETag"]) for part in sent]
        asset = upload_complete(actor=request.user, upload=upload, parts=parts)
        entry = upload.entry
        location = reverse("contest_api:entry-detail", kwargs={"code": entry.code}) + f"?contest={entry.contest.slug}"
        location = request.build_absolute_uri(location)
        return Response({"location": location, "key": asset.original.name, "asset": asset.uuid, "status": asset.status})


@extend_schema(tags=["uploads"])
class UploadPartView(APIView):
    """Receives a part of a local upload, streamed to disk: the body is never read into memory."""

    authentication_classes = [SignedPartAuthentication, ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [PartBodyParser]

    @extend_schema(
        summary="Send a part (local storage)",
        description=(
            "The URL comes from *Where to send a part*; its `signature` is valid for a few minutes. The answer's "
            "`ETag` header is the MD5 of the part. Sending a part again replaces it."
        ),
        parameters=[OpenApiParameter("signature", str, OpenApiParameter.QUERY, required=True)],
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: PartSerializer,
            400: REFUSED,
            403: NOT_LOGGED_IN,
            404: NOT_FOUND,
            409: CLOSED,
            429: BUSY,
        },
    )
    def put(self, request: Request, upload_id: uuid.UUID, part_number: int) -> Response:
        part: UploadedPart = upload_receive_part(
            actor=request.user,
            upload=_upload(request, upload_id),
            part_number=part_number,
            signature=request.query_params.get("signature", ""),
            stream=request.stream,
            declared=_size_of(request.META.get("CONTENT_LENGTH")),
        )
        return Response(PartSerializer(part).data, headers={"ETag": f'"{part.etag}"'})
