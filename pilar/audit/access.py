"""`record_access`: the one call every feature makes when it shows or exports personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import QueryDict

from pilar.audit.models import AccessAction, AccessLog
from pilar.core.search import SEARCH, masked_query

# More ids than this in one entry are summarised by the count alone; an export of a
# million rows is one log row, not a million.
MAX_LOGGED_IDS = 500


def describe_roles(user: Any) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    return ", ".join(
        f"{assignment.role}@{assignment.region_id or 'nasional'}" for assignment in user.active_role_assignments()
    )


def record_access(
    *,
    user: Any,
    action: AccessAction,
    model: type[models.Model],
    ids: Iterable[Any],
    count: int | None = None,
    query: str = "",
    path: str = "",
) -> AccessLog:
    """Append one access-log row. `ids` may be a generator; only the first ids are kept."""
    kept: list[Any] = []
    seen = 0
    for identifier in ids:
        seen += 1
        if len(kept) < MAX_LOGGED_IDS:
            kept.append(identifier if isinstance(identifier, (int, str)) else str(identifier))
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        roles=describe_roles(user)[:500],
        action=action,
        record_type=model._meta.label,
        record_ids=kept,
        record_count=seen if count is None else count,
        query=query[:500],
        path=path[:500],
    )


def record_request(
    request: Any,
    *,
    action: AccessAction | None = None,
    model: type[models.Model],
    ids: Iterable[Any],
    count: int | None = None,
) -> AccessLog:
    """`record_access` for a page: the user, query and path come from `request`, with
    any search text opened and masked (no full NIK in the log, `pilar.core.search`).
    Without `action`, a list is a SEARCH when it was asked for a name or NIK, else a VIEW."""
    query = masked_query(request)  # the search opened once, and masked
    if action is None:
        action = AccessAction.SEARCH if QueryDict(query).get(SEARCH, "").strip() else AccessAction.VIEW
    return record_access(
        user=request.user,
        action=action,
        model=model,
        ids=ids,
        count=count,
        query=query,
        path=f"{request.path}?{query}" if query else request.path,
    )
