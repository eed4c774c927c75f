"""API v1 view of an entry's results for its author or a co-author: its story, once the results are published."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.models import Entry
from contest.selectors import entries_coauthored, entries_of_author
from judging.selectors.story import entry_story
from judging.serializers import RoundStorySerializer


def _entry_to_read(user: object, code: str, contest: str | None) -> Entry:
    """The requester's entry, or one they co-authored through a confirmed address, with this code; else 404."""
    found = [*entries_of_author(user).filter(code=code), *entries_coauthored(user).filter(code=code)]
    if contest:
        found = [entry for entry in found if entry.contest.slug == contest]
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise serializers.ValidationError(
            {"contest": [_("You have entries with this code in several contests: add ?contest=<slug>.")]}
        )
    return found[0]


class EntryResultsView(APIView):
    """An entry's results for its author or a co-author (read-only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["entries"],
        summary="Your entry's results",
        description="Each round the entry was in, as the round shares it; an empty list until the contest's "
        "results are published. Also for entries you co-authored, through a confirmed e-mail address.",
        parameters=[OpenApiParameter("contest", str, description="Only if two of your entries share the code.")],
        responses={
            200: RoundStorySerializer(many=True),
            400: OpenApiResponse(description="The code is taken in several contests: add ?contest=<slug>."),
            403: OpenApiResponse(description="Not logged in."),
            404: OpenApiResponse(description="No such entry among yours."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        entry = _entry_to_read(request.user, code, request.query_params.get("contest"))
        return Response(RoundStorySerializer(entry_story(entry), many=True).data)
