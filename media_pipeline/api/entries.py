"""API v1 views of a participant's own entries, each shown with its file. Writes go through contest.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from contest.filters import EntryFilter
from contest.models import CoAuthor, Entry
from contest.selectors import entries_of_author
from contest.serializers import EntryCreateSerializer, EntryWriteSerializer, ErrorSerializer
from contest.services import entry_create, entry_submit, entry_update, entry_withdraw
from media_pipeline.serializers import EntrySerializer

NOT_LOGGED_IN = OpenApiResponse(description="Not logged in.")
NOT_FOUND = OpenApiResponse(description="No such entry among yours.")
REFUSED = OpenApiResponse(ErrorSerializer, description="A contest rule refuses it, e.g. the entry has no file yet.")
CLOSED = OpenApiResponse(ErrorSerializer, description="Submissions are closed (code `submissions_closed`).")
INVALID = OpenApiResponse(
    description="Malformed input (errors by field), or a contest rule refuses it (`{detail, code}`)."
)


@extend_schema(tags=["entries"])
@extend_schema_view(
    list=extend_schema(
        summary="Your entries",
        description="The requester's own entries, the newest first.",
        responses={200: EntrySerializer(many=True), 403: NOT_LOGGED_IN},
    ),
    retrieve=extend_schema(
        summary="One of your entries",
        description="Add `?contest=<slug>` only if you have entries with the same code in two contests.",
        responses={200: EntrySerializer, 403: NOT_LOGGED_IN, 404: NOT_FOUND},
    ),
)
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The requesting participant's own entries; anyone else's entry answers 404, exactly like a missing one.

    Entries are addressed by their code. Codes are unique within a contest, not across contests; the look-up
    only searches the requester's own entries, where two equal codes are practically impossible (about one
    chance in a billion per pair). If it happens, ``?contest=<slug>`` picks the entry and the request without it
    is refused with 400 instead of guessing.
    """

    permission_classes = [IsAuthenticated]
    # JSON only: co-authors are a list of objects, which form encodings cannot carry.
    parser_classes = [JSONParser]
    filterset_class = EntryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self) -> QuerySet[Entry]:
        return entries_of_author(self.request.user).prefetch_related(
            Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university"))
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return EntryCreateSerializer
        if self.action in ("update", "partial_update"):
            return EntryWriteSerializer
        return EntrySerializer

    def get_object(self) -> Entry:
        """The requester's entry with the code in the URL (narrowed by ``?contest=``), or 404."""
        entries = list(self.filter_queryset(self.get_queryset()).filter(code=self.kwargs["code"])[:2])
        if not entries:
            raise NotFound()
        if len(entries) > 1:
            raise serializers.ValidationError(
                {"contest": [_("You have entries with this code in several contests: add ?contest=<slug>.")]}
            )
        self.check_object_permissions(self.request, entries[0])
        return entries[0]

    def _shown(self, entry: Entry) -> dict[str, Any]:
        """The entry as the API shows it, read again with everything the representation needs."""
        return EntrySerializer(self.get_queryset().get(pk=entry.pk), context=self.get_serializer_context()).data

    @extend_schema(
        summary="Create an entry",
        request=EntryCreateSerializer,
        responses={201: EntrySerializer, 400: INVALID, 403: NOT_LOGGED_IN, 409: CLOSED},
    )
    def create(self, request: Request) -> Response:
        """Create a draft entry in an open contest."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The validated names are the service's argument names.
        entry = entry_create(actor=request.user, **serializer.validated_data)
        return Response(self._shown(entry), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an entry",
        description="Fields left out keep their value; `platforms` and `coauthors`, when given, replace the lists.",
        request=EntryWriteSerializer,
        responses={200: EntrySerializer, 400: INVALID, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    def update(self, request: Request, code: str, partial: bool = False) -> Response:
        """Change an entry, draft or submitted, before the deadline."""
        entry = self.get_object()
        context = {**self.get_serializer_context(), "contest": entry.contest}
        serializer = self.get_serializer(data=request.data, partial=partial, context=context)
        serializer.is_valid(raise_exception=True)
        entry = entry_update(actor=request.user, entry=entry, **serializer.validated_data)
        return Response(self._shown(entry))

    @extend_schema(
        summary="Change some fields of an entry",
        request=EntryWriteSerializer,
        responses={200: EntrySerializer, 400: INVALID, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    def partial_update(self, request: Request, code: str) -> Response:
        """Change only the fields sent."""
        return self.update(request, code, partial=True)

    @extend_schema(
        summary="Submit an entry",
        request=None,
        responses={200: EntrySerializer, 400: REFUSED, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, code: str) -> Response:
        """Submit an entry that has its file, before the deadline."""
        entry = entry_submit(actor=request.user, entry=self.get_object())
        return Response(self._shown(entry))

    @extend_schema(
        summary="Withdraw an entry",
        request=None,
        responses={200: EntrySerializer, 400: REFUSED, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: CLOSED},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, code: str) -> Response:
        """Withdraw a submitted entry before the deadline; it can be submitted again until then."""
        entry = entry_withdraw(actor=request.user, entry=self.get_object())
        return Response(self._shown(entry))
