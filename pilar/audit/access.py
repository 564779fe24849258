"""`record_access`: the one call every feature makes when it shows or exports personal data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.http import QueryDict

from pilar.audit.models import AccessAction, AccessedRecord, AccessLog
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


# The records whose every access is kept one by one (AccessedRecord), with the field
# that holds their village.
REGION_OF = {"beneficiaries.Person": "village_id", "cases.Case": "region_id"}
CHUNK = 5000
ARRAY_CHUNK = 100_000


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
    """Append one access-log row, and for people and cases one AccessedRecord per
    record with its village. `ids` may be a generator."""
    every = ids if isinstance(ids, Sequence) and not isinstance(ids, str) else list(ids)
    kept = [
        identifier if isinstance(identifier, (int, str)) else str(identifier) for identifier in every[:MAX_LOGGED_IDS]
    ]
    entry = AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        roles=describe_roles(user)[:500],
        action=action,
        record_type=model._meta.label,
        record_ids=kept,
        record_count=len(every) if count is None else count,
        query=query[:500],
        path=path[:500],
    )
    if model._meta.label in REGION_OF and every:
        _record_each(entry, model, every)
    return entry


def _record_each(entry: AccessLog, model: type[models.Model], ids: Sequence[Any]) -> None:
    """One AccessedRecord per id, its village read in the same statement (on
    PostgreSQL the ids go as one array per chunk: no statement of 50,000 parameters)."""
    quote = connection.ops.quote_name
    target = AccessedRecord._meta.db_table
    columns = ", ".join(quote(name) for name in ("entry_id", "record_type", "record_id", "region", "at"))
    region = quote(REGION_OF[model._meta.label])
    key = quote(model._meta.pk.column or "id")
    as_array = connection.vendor == "postgresql"
    chunk_size = ARRAY_CHUNK if as_array else CHUNK
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk_size):
            chunk = [int(identifier) for identifier in ids[start : start + chunk_size]]
            wanted = "= ANY(%s)" if as_array else f"IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(
                f"INSERT INTO {quote(target)} ({columns}) "  # noqa: S608 (names from model metadata)
                f"SELECT %s, %s, {key}, COALESCE({region}, ''), %s "
                f"FROM {quote(model._meta.db_table)} WHERE {key} {wanted}",
                [entry.pk, entry.record_type, entry.at, *([chunk] if as_array else chunk)],
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
