"""What every API view of personal data shares: each list and detail read is written
to the access log, and a NIK is shown in full only to roles whose policy says they
need it (the viewset's `full_nik`), masked otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.core.identity import mask_nik


@extend_schema_field(OpenApiTypes.STR)
class NikField(serializers.Field):
    """A NIK, masked unless the serializer's context says `full_nik`; null when none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: str | None) -> str | None:
        if not value:
            return None
        return value if self.context.get("full_nik") else mask_nik(value)


def never(user: Any) -> bool:
    return False


class LoggedReadOnlyViewSet[T: Any](viewsets.ReadOnlyModelViewSet[T]):
    """Every list and detail read is written to the access log."""

    logged_model: type[Any]
    # Who sees full NIKs in this viewset's answers (a policy function of the user).
    full_nik: Callable[[Any], bool] = staticmethod(never)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "full_nik": self.full_nik(self.request.user)}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data["results"] if isinstance(response.data, dict) else response.data
        record_access(
            user=request.user,
            action=AccessAction.SEARCH if request.query_params else AccessAction.VIEW,
            model=self.logged_model,
            ids=(row["id"] for row in results),
            query=request.query_params.urlencode(),
            path=request.get_full_path(),
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        record_access(
            user=request.user,
            action=AccessAction.VIEW,
            model=self.logged_model,
            ids=[response.data["id"]],
            path=request.path,
        )
        return response
