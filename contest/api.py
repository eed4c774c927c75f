"""API v1 views of contests, open to everyone. A participant's entries, shown with their file, are in media_pipeline."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from contest.models import Contest
from contest.selectors import contests_visible
from contest.serializers import ContestSerializer, NominationSerializer, PlatformSerializer


@extend_schema(tags=["contests"])
@extend_schema_view(
    list=extend_schema(summary="List contests", description="Every contest, the latest first."),
    retrieve=extend_schema(summary="A contest", description="One contest by its slug."),
)
class ContestViewSet(viewsets.ReadOnlyModelViewSet):
    """Contests, open to everyone. Texts are in the language negotiated from Accept-Language."""

    serializer_class = ContestSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Contest]:
        return contests_visible()

    @extend_schema(summary="Nominations of a contest", responses=NominationSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def nominations(self, request: Request, slug: str) -> Response:
        """The contest's nominations, in the organiser's order."""
        contest = self.get_object()
        return Response(NominationSerializer(contest.nominations.all(), many=True).data)

    @extend_schema(summary="Platforms of a contest", responses=PlatformSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def platforms(self, request: Request, slug: str) -> Response:
        """The platforms an entrant can pick; the ones standing for "other" come last."""
        contest = self.get_object()
        return Response(PlatformSerializer(contest.platforms.all(), many=True).data)
