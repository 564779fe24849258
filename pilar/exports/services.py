"""Delivering a list as a file: at once when it is short, by a background job when it
is long (a province's people). Either way the export is scoped to the requester and
written to the access log; a job's file is kept `KEEP_DAYS` days for its requester
alone, then deleted.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.files import File
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.audit.access import record_access, record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Person
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.scoping import Scope
from pilar.core.search import seal_params
from pilar.core.tabular import XLSX_MAX_ROWS, Table, Value, table_response, write_file
from pilar.exports.models import Export, ExportKind, ExportStatus

logger = logging.getLogger(__name__)

# A list of up to this many rows is written during the request (a few seconds);
# a longer one goes to the job worker.
DIRECT_LIMIT = 20_000
KEEP_DAYS = 7
PROGRESS_EVERY = 5_000


def _builders() -> dict[str, Callable[[Any, Mapping[str, Any]], Table]]:
    from pilar.beneficiaries.listing import people_table
    from pilar.cases.listing import case_table

    return {ExportKind.PEOPLE: people_table, ExportKind.CASES: case_table}


def deliver(
    request: AuthenticatedHttpRequest, table: Table, export_format: str, *, kind: str, back: str
) -> HttpResponse:
    """The list as a file now, or, when it is long, a job and the page that waits for it."""
    if table.count <= DIRECT_LIMIT:
        rows = list(table.rows)
        response = table_response(export_format, table.name, table.headers, rows)
        ids: list[Any] = [] if table.ids_column is None else [row[table.ids_column] for row in rows]
        if table.model is Person:
            ids = list(table.people)
        record_request(request, action=AccessAction.EXPORT, model=table.model, ids=ids, count=len(rows))
        if table.model is not Person and table.people_count:
            record_request(
                request, action=AccessAction.EXPORT, model=Person, ids=table.people, count=table.people_count
            )
        return response
    if export_format == "xlsx" and table.count > XLSX_MAX_ROWS:
        messages.error(
            request,
            _("%(count)s rows are more than a workbook holds; download CSV or narrow the list.")
            % {"count": f"{table.count:,}".replace(",", ".")},
        )
        return redirect(f"{back}?{request.GET.urlencode()}")
    export = start(request.user, kind, seal_params(request.user, request.GET).urlencode(), export_format)
    messages.info(request, _("The list is long, so the file is written in the background."))
    return redirect("exports:export-detail", export.pk)


def start(user: Any, kind: str, query: str, export_format: str) -> Export:
    export = Export.objects.create(
        kind=ExportKind(kind), file_format=export_format, query=query[:1000], requested_by=user
    )
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def _counted(rows: Iterable[Sequence[Value]], export_id: int) -> Iterator[Sequence[Value]]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export_id).update(progress_done=done)


@task()
def build_export(export_id: int) -> None:
    """Write the list with the requester's area and rights as they are now."""
    purge_expired()
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if export.status != ExportStatus.WAITING:
        return
    try:
        scope = Scope.for_user(export.requested_by)
        area = ["*"] if scope.everything else sorted(scope.roots)
        table = _builders()[export.kind](export.requested_by, QueryDict(export.query))
        Export.objects.filter(pk=export_id).update(status=ExportStatus.RUNNING, progress_total=table.count)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / f"{table.name}.{export.file_format}"
            written = write_file(export.file_format, path, table.headers, _counted(table.rows, export_id))
            with path.open("rb") as stored:
                export.file.save(f"{table.name}-{export.pk}.{export.file_format}", File(stored), save=False)
    except Exception:
        Export.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        logger.exception("export %s failed", export_id)
        raise
    Export.objects.filter(pk=export_id).update(
        status=ExportStatus.READY,
        area=area,
        file=export.file.name,
        row_count=written,
        progress_done=written,
        finished_at=timezone.now(),
    )
    record_access(
        user=export.requested_by,
        action=AccessAction.EXPORT,
        model=table.model,
        ids=table.people if table.model is Person else [],
        count=written,
        query=export.query,
        path=reverse("exports:export-detail", args=[export.pk]),
    )
    if table.model is not Person and table.people_count:
        record_access(
            user=export.requested_by,
            action=AccessAction.EXPORT,
            model=Person,
            ids=table.people,
            count=table.people_count,
            query=export.query,
            path=reverse("exports:export-detail", args=[export.pk]),
        )


def expire(export: Export) -> None:
    """Delete the export's file; its row stays, expired."""
    export.file.delete(save=False)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.EXPIRED, file="")
    export.status, export.file = ExportStatus.EXPIRED, ""


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the files of exports older than `KEEP_DAYS`; their rows stay, expired."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    expired = list(Export.objects.filter(requested_at__lt=cutoff, status=ExportStatus.READY))
    for export in expired:
        export.file.delete(save=False)
    Export.objects.filter(pk__in=[export.pk for export in expired]).update(status=ExportStatus.EXPIRED, file="")
    return len(expired)
