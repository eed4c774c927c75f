"""API v1 view of a contest's published results, open to everyone: what the blog publishes, award by award."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.selectors import contests_visible
from judging.selectors.public import published_awards
from judging.serializers import PublishedAwardSerializer


@extend_schema(tags=["results"])
class PublishedResultsView(APIView):
    """A contest's published awards; texts in the language negotiated from Accept-Language."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Published results of a contest",
        description="Every published award of the contest, by round, nomination and place, then special awards. "
        "Empty until results are published. Authors and university are null unless the authors consented "
        "to publication.",
        responses={200: PublishedAwardSerializer(many=True), 404: OpenApiResponse(description="No such contest.")},
    )
    def get(self, request: Request, slug: str) -> Response:
        contest = get_object_or_404(contests_visible(), slug=slug)
        awards = published_awards(contest)
        return Response(PublishedAwardSerializer(awards, many=True, context={"request": request}).data)
