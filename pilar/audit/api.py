"""What every API view of personal data shares: each list and detail read is written
to the access log, and a NIK is shown in full only to roles whose policy says they
need it (the viewset's `full_nik`), masked otherwise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.core.identity import mask_nik
from pilar.core.search import masked_path, masked_query


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


class SearchByPost:
    """`POST <list>/search/`: the list, with its filters in the body instead of the
    URL, for searches that carry a NIK (the URL of a GET ends up in server logs). The
    answer is the list's page; `next` and `previous` are POSTed with the same body."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        description="The list's filters (q: NIK or name, and the list's other filters) as a JSON object.",
    )
    @action(detail=False, methods=["post"])
    def search(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": _("Send the filters as a JSON object.")})
        params = QueryDict(mutable=True)
        for key, value in request.data.items():
            values = value if isinstance(value, list) else [value]
            params.setlist(str(key), [str(item) for item in values])
        if "page" in request.query_params:
            params["page"] = request.query_params["page"]
        # The filter backends and `get_queryset` read the query parameters.
        request._request.GET = params  # type: ignore[assignment]
        return self.list(request, *args, **kwargs)  # type: ignore[attr-defined]


class LoggedReadOnlyViewSet[T: Any](viewsets.ReadOnlyModelViewSet[T]):
    """Every list and detail read is written to the access log."""

    logged_model: type[Any]
    # A field of each serialized row listing the people it names, and their model:
    # their ids are logged as reads of those people too.
    people_field: str | None = None
    people_model: type[Any] | None = None
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
            query=masked_query(request),
            path=masked_path(request),
        )
        self._log_people(request, [*results])
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
        self._log_people(request, [response.data])
        return response

    def _log_people(self, request: Request, rows: Sequence[Any]) -> None:
        if self.people_field is None or self.people_model is None:
            return
        ids = [person["id"] for row in rows for person in row.get(self.people_field, [])]
        record_access(
            user=request.user, action=AccessAction.VIEW, model=self.people_model, ids=ids, path=masked_path(request)
        )
