"""The field API: the offline app's download and outbox, open to any integration.

- `GET /api/v1/field/` (`?since=<token>`): the field download (see `download`).
- `POST /api/v1/field/outbox/`: up to `MAX_ITEMS` outbox items in one request,
  `{"items": [{"key": <uuid>, "kind": <a name of writes.WRITES>, "data": {...}}]}`.
  Each item is one write with its own idempotency key, run on its own: one refused
  item does not stop the others. The answer lists, in order, each item's `key`,
  `status` and `body` (what the single endpoint would have answered) and `replayed`
  when the key had been written before: an outbox sent again writes nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Person
from pilar.core.once import parse_key, run_once
from pilar.field.download import field_download
from pilar.field.scope import works_in_field
from pilar.field.writes import WRITES, Files, answered, refused

MAX_ITEMS = 100


def require_field_worker(request: Request) -> None:
    if not works_in_field(request.user):
        raise PermissionDenied(_("Only a PSM or a TKSK works in the field."))


def sent(request: Request) -> tuple[dict[str, Any], Files]:
    """A write's values and files, from a JSON body or a multipart form alike."""
    data: Any = request.data
    if isinstance(data, QueryDict):  # a multipart form: its files are in request.FILES
        values = {
            name: found if len(found) > 1 else found[0] for name, found in data.lists() if name not in request.FILES
        }
    elif isinstance(data, dict):
        values = dict(data)
    else:
        values = {}
    files = {name: request.FILES.getlist(name) for name in request.FILES}
    return values, files


@extend_schema(
    parameters=[OpenApiParameter("since", str, description="The token of the previous download.")],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def download(request: Request) -> Response:
    require_field_worker(request)
    result = field_download(request.user, request.query_params.get("since", ""))
    record_access(
        user=request.user,
        action=AccessAction.VIEW,
        model=Person,
        ids=result.person_ids,
        count=len(result.person_ids),
        path=request.path,
    )
    return Response(result.data, headers={"Cache-Control": "no-store"})


def _digest(item: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([item.get("kind"), item.get("data")], sort_keys=True).encode()).hexdigest()


def _run_item(request: Request, item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"key": None, "status": 400, "body": {"detail": [_("An outbox item is a JSON object.")]}}
    key = parse_key(item.get("key"))
    kind = item.get("kind")
    data = item.get("data")
    if key is None:
        body = {"detail": [_("The Idempotency-Key header must be a UUID.")]}
        return {"key": item.get("key"), "status": 400, "body": body}
    if kind not in WRITES or not isinstance(data, dict):
        body = {"detail": [_("This kind of outbox item is not known.")]}
        return {"key": str(key), "status": 400, "body": body}
    write = WRITES[str(kind)]
    response = run_once(
        request.user, key, f"field:{kind}", _digest(item), lambda: answered(lambda: write(request.user, data, {}))
    )
    return {
        "key": str(key),
        "status": response.status_code,
        "body": response.data,
        "replayed": response.headers.get("Idempotent-Replayed") == "true",
    }


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
@api_view(["POST"])
def outbox(request: Request) -> Response:
    require_field_worker(request)
    items = request.data.get("items") if isinstance(request.data, dict) else None
    if not isinstance(items, list):
        return refused([_('Send the outbox as {"items": [...]}.')])
    if len(items) > MAX_ITEMS:
        return refused([_("At most %(count)s items in one request.") % {"count": MAX_ITEMS}])
    return Response({"results": [_run_item(request, item) for item in items]})
