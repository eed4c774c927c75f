"""API v1: how a contest's background processing stands, for its organisers and their monitoring."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.selectors import get_contest_for_organiser
from contest.serializers import ErrorSerializer
from monitoring.selectors import contest_processing
from monitoring.serializers import ProcessingSerializer

REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Not logged in (`not_authenticated`), or not an organiser of this contest (`not_allowed`).",
)


@extend_schema(tags=["processing"])
class ContestProcessingView(APIView):
    """The queues, the contest's files and its failed tasks, for the contest's organisers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Background processing of a contest",
        description="Tasks waiting in each queue and the workers taking them (shared by every contest of the "
        "site), the contest's current files by processing state, and the tasks of the contest that failed after "
        "their retries in the last 7 days (with those of the whole site, tied to no contest, for staff only). "
        "A queue whose `workers` is empty has no worker: "
        "its work waits.",
        responses={
            200: ProcessingSerializer,
            401: REFUSED,
            403: REFUSED,
            404: OpenApiResponse(description="No such contest."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        refusal = _("Only the contest's organisers can see its background processing.")
        contest = get_contest_for_organiser(request.user, slug=slug, refusal=refusal)
        return Response(ProcessingSerializer(contest_processing(contest=contest, viewer=request.user)).data)
