"""API v1 for jurors' conflicts of interest: their declarations in a contest, and declaring more.

The answer to a declaration never depends on what it names: any university and any code are taken
and recorded, and in a blind round the message and the list are the same whatever was named (see
:mod:`judging.conflicts`). A person without a seat on the contest's jury gets 404, as for a contest
that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from judging.conflicts import conflicts_declare
from judging.models import Conflict, Juror
from judging.serializers import ConflictDeclareSerializer, ConflictsDeclaredSerializer, DeclaredConflictSerializer

NO_SEAT = OpenApiResponse(description="You have no seat on this contest's jury (or there is no such contest).")


@extend_schema(tags=["jury"])
class ConflictListView(APIView):
    """The requesting juror's declarations in a contest; POST declares more."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def seat(self, request: Request, slug: str) -> Juror:
        user = request.user
        if isinstance(user, AnonymousUser):  # IsAuthenticated already refused; this tells the type checker
            raise NotAuthenticated()
        seat = Juror.objects.filter(user=user, contest__slug=slug).select_related("contest").first()
        if seat is None:
            raise Http404
        return seat

    @staticmethod
    def declared(seat: Juror) -> list[dict[str, Any]]:
        conflicts = Conflict.objects.filter(juror=seat).select_related("university", "entry").order_by("id")
        return list(DeclaredConflictSerializer(conflicts, many=True).data)

    @extend_schema(
        summary="Your declared conflicts of interest",
        responses={200: DeclaredConflictSerializer(many=True), 404: NO_SEAT},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(self.declared(self.seat(request, slug)))

    @extend_schema(
        summary="Declare conflicts of interest",
        description="Universities by id and entries by code, as the jury panel shows them. Every declaration is "
        "recorded. In a blind round the answer is the same whatever you name, and your assignments stay as they "
        "are until the organisers adjust them.",
        request=ConflictDeclareSerializer,
        responses={
            201: ConflictsDeclaredSerializer,
            400: OpenApiResponse(description="Nothing named, or malformed input (errors by field)."),
            404: NO_SEAT,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        seat = self.seat(request, slug)
        incoming = ConflictDeclareSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        declared = conflicts_declare(
            actor=request.user,
            juror=seat,
            universities=data["universities"],
            codes=data["entry_codes"],
            reason=data["reason"],
        )
        return Response({"detail": declared.summary(), "conflicts": self.declared(seat)}, status=201)
