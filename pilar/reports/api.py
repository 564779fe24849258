from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.core.scoping import Scope
from pilar.regions.models import Region
from pilar.reports import pillars

REGION_PARAMETER = OpenApiParameter(
    "region", OpenApiTypes.STR, description="Area code; the caller's own area (or the nation) when left out."
)


def _region(request: Request) -> Region | None:
    scope = Scope.for_user(request.user)
    code = request.query_params.get("region", "").strip()
    if not code:
        if scope.everything:
            return None
        if scope.is_empty:
            raise PermissionDenied(_("Your account has no role yet; ask the social office for one."))
        code = sorted(scope.roots)[0]
    region = Region.objects.filter(code=code).first() if scope.includes(code) else None
    if region is None:
        raise Http404
    return region


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
