"""API v1 views for jurors: their assignments, the entries assigned to them and their own reviews.

Every look-up starts from the requester's own assignments, so an entry that is not assigned to them (or
belongs to another contest) answers 404 exactly like a missing one. Writes go through judging.services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.models import CoAuthor, Entry
from contest.serializers import ErrorSerializer
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Juror, Review
from judging.selectors.panel import get_opened_assignment_for_juror
from judging.selectors.rubric import criteria_of
from judging.serializers import AssignmentSerializer, JuryEntrySerializer, ReviewSerializer, ReviewWriteSerializer
from judging.services.reviews import review_save_draft, review_submit

NOT_LOGGED_IN = OpenApiResponse(description="Not logged in.")
NOT_A_JUROR = OpenApiResponse(description="Not logged in, or not on any jury.")
NOT_FOUND = OpenApiResponse(description="No such entry among the ones assigned to you in this round.")
INVALID = OpenApiResponse(
    description="Malformed input (errors by field), or a judging rule refuses it (`{detail, code}`), "
    "e.g. a score outside its criterion's scale (code `score_out_of_range`)."
)
ROUND_NOT_OPEN = OpenApiResponse(ErrorSerializer, description="The round does not take reviews now (`round_not_open`).")


class AssignmentPagination(PageNumberPagination):
    """Pages of assignments, with ``scored`` and ``total`` over every page: "x of y scored"."""

    scored = 0
    total = 0

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> Any:
        assert isinstance(queryset, QuerySet)  # the assignments view always pages a queryset
        progress = queryset.aggregate(
            total=Count("pk"), scored=Count("pk", filter=Q(review_status=ReviewStatus.SUBMITTED))
        )
        self.scored, self.total = progress["scored"], progress["total"]
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["scored"] = self.scored
        response.data["total"] = self.total
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["scored"] = {
            "type": "integer",
            "description": "Assignments whose review is submitted, over every page.",
        }
        paginated["properties"]["total"] = {"type": "integer", "description": "Assignments, over every page."}
        paginated["required"] = [*paginated.get("required", []), "scored", "total"]
        return paginated


@extend_schema(tags=["jury"])
class AssignmentListView(generics.ListAPIView):
    """The requesting juror's assignments in open rounds, by round and entry code."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = AssignmentPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Assignment]:
        user = self.request.user
        if isinstance(user, AnonymousUser):  # IsAuthenticated already refused; this tells the type checker
            raise NotAuthenticated()
        if not Juror.objects.filter(user=user).exists():
            raise PermissionDenied(_("You are not on any jury."))
        review_status = Review.objects.filter(
            round=OuterRef("round"), juror=OuterRef("juror"), entry=OuterRef("entry")
        ).values("status")[:1]
        return (
            Assignment.objects.filter(juror__user=user, round__status=RoundStatus.OPEN)
            .select_related("entry", "round")
            .annotate(review_status=Subquery(review_status))
            .order_by("round__contest_id", "round__number", "entry__code")
        )

    @extend_schema(
        summary="Your assignments",
        description="Entries assigned to you in open rounds. Next to the page, `scored` and `total` count every "
        "assignment: you have submitted reviews of `scored` of your `total` entries.",
        responses={200: AssignmentSerializer(many=True), 403: NOT_A_JUROR},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AssignedEntryAPIView(APIView):
    """Loads the requester's assignment from the URL: the one place where a juror's access is checked."""

    permission_classes = [IsAuthenticated]

    def get_assignment(self) -> Assignment:
        """The requester's assignment to the entry of the round in the URL, or 404 (a round being prepared too)."""
        if not self.request.user.is_authenticated:
            raise NotFound()
        try:
            return get_opened_assignment_for_juror(
                self.request.user, round_id=self.kwargs["round_id"], entry_code=self.kwargs["code"]
            )
        except Http404 as missing:
            raise NotFound() from missing

    def own_review(self, assignment: Assignment) -> Review | None:
        """The requester's review of the assigned entry; another juror's is never read."""
        return (
            Review.objects.filter(round=assignment.round, juror=assignment.juror, entry=assignment.entry)
            .prefetch_related("scores__criterion")
            .first()
        )

    def review_data(self, assignment: Assignment) -> dict[str, Any]:
        # Called directly: a serializer given ``None`` answers ``{}``, but "no review yet" has its own shape.
        return ReviewSerializer().to_representation(self.own_review(assignment))


@extend_schema(tags=["jury"])
class AssignedEntryView(AssignedEntryAPIView):
    """An entry assigned to the requesting juror; in a blind round nothing tells who made it."""

    @extend_schema(
        summary="An entry assigned to you",
        description="`authors` and `university` are null in a blind round.",
        responses={200: JuryEntrySerializer, 403: NOT_LOGGED_IN, 404: NOT_FOUND},
    )
    def get(self, request: Request, round_id: int, code: str) -> Response:
        assignment = self.get_assignment()
        round = assignment.round
        entry = (
            Entry.objects.select_related("nomination", "media", "author__profile__university", "author_university")
            .prefetch_related(
                "platforms",
                "media__renditions",
                Prefetch("coauthors", queryset=CoAuthor.objects.select_related("university")),
            )
            .get(pk=assignment.entry_id)
        )
        context = {"round": round, "criteria": criteria_of(round.contest), "show_authors": not round.blind}
        return Response(JuryEntrySerializer(entry, context=context).data)


@extend_schema(tags=["jury"])
class ReviewView(AssignedEntryAPIView):
    """The requesting juror's own review of an assigned entry: read it, or save it as a draft."""

    parser_classes = [JSONParser]

    @extend_schema(
        summary="Your review of an entry",
        responses={200: ReviewSerializer, 403: NOT_LOGGED_IN, 404: NOT_FOUND},
    )
    def get(self, request: Request, round_id: int, code: str) -> Response:
        return Response(self.review_data(self.get_assignment()))

    @extend_schema(
        summary="Save your review as a draft",
        description="Scores left out keep their value; `null` clears one. Comments on criteria, the feedback for the "
        "entrant and the note for the organisers (`comment`) left out keep their value; each text has at most "
        "5000 characters. A draft is never refused for missing feedback.",
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer, 400: INVALID, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: ROUND_NOT_OPEN},
    )
    def put(self, request: Request, round_id: int, code: str) -> Response:
        assignment = self.get_assignment()
        serializer = ReviewWriteSerializer(data=request.data, context={"contest": assignment.round.contest})
        serializer.is_valid(raise_exception=True)
        review = review_save_draft(
            actor=request.user,
            round=assignment.round,
            entry=assignment.entry,
            scores=serializer.validated_data["scores"],
            comment=serializer.validated_data["comment"],
            feedback=serializer.validated_data["feedback"],
            criterion_comments=serializer.validated_data["comments"],
        )
        return Response(ReviewSerializer().to_representation(review))


@extend_schema(tags=["jury"])
class ReviewSubmitView(AssignedEntryAPIView):
    """Submit the requesting juror's review, or a change to their submitted one."""

    parser_classes = [JSONParser]

    @extend_schema(
        summary="Submit your review",
        description="Every criterion must be scored. Scores, comments, feedback and the note sent along are saved "
        "first. A round that requires feedback for the entrant refuses a review without enough of it "
        "(code `feedback_required`); nothing is saved then.",
        request=ReviewWriteSerializer,
        responses={200: ReviewSerializer, 400: INVALID, 403: NOT_LOGGED_IN, 404: NOT_FOUND, 409: ROUND_NOT_OPEN},
    )
    def post(self, request: Request, round_id: int, code: str) -> Response:
        assignment = self.get_assignment()
        serializer = ReviewWriteSerializer(data=request.data, context={"contest": assignment.round.contest})
        serializer.is_valid(raise_exception=True)
        review = review_submit(
            actor=request.user,
            round=assignment.round,
            entry=assignment.entry,
            scores=serializer.validated_data["scores"],
            comment=serializer.validated_data["comment"],
            feedback=serializer.validated_data["feedback"],
            criterion_comments=serializer.validated_data["comments"],
        )
        # The service leaves the review with its scores as they now stand: nothing to read again.
        return Response(ReviewSerializer().to_representation(review))
