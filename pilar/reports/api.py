from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.regions.models import Region
from pilar.reports import pillars
from pilar.reports.access import recap_region
from pilar.reports.cases import case_recap as make_case_recap
from pilar.reports.ppks import ppks_recap as make_ppks_recap

REGION_PARAMETER = OpenApiParameter(
    "region", OpenApiTypes.STR, description="Area code; the caller's own area (or the nation) when left out."
)


def _region(request: Request) -> Region | None:
    return recap_region(request.user, request.query_params.get("region", ""))


@extend_schema(parameters=[REGION_PARAMETER], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def pillar_recap(request: Request) -> Response:
    """Active workers per kind and active institutions per kind, with the breakdown by child region."""
    return Response(pillars.pillar_recap(_region(request)).as_dict())


@extend_schema(parameters=[REGION_PARAMETER], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def coverage(request: Request) -> Response:
    """Villages with an active PSM and a Karang Taruna, kecamatan with an active TKSK."""
    result = pillars.coverage(_region(request))
    return Response({**result.total.as_dict(), "children": [line.as_dict() for line in result.children]})


@extend_schema(parameters=[REGION_PARAMETER], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def ppks_recap(request: Request) -> Response:
    """PPKS records per type (all but the rejected), with the breakdown by child region."""
    return Response(make_ppks_recap(_region(request)).as_dict())


@extend_schema(parameters=[REGION_PARAMETER], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def case_recap(request: Request) -> Response:
    """Open cases by level and status, overdue, closed, escalations, referrals by
    destination and answer, median days to close; main figures per child region."""
    return Response(make_case_recap(_region(request)).as_dict())
