"""The requester's exports: the list, the page that waits for a job, the file. An
export of someone else is 404, whatever the viewer's area."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import Person
from pilar.cases.models import Case
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.search import unseal_params
from pilar.exports.models import Export, ExportKind, ExportStatus
from pilar.exports.services import KEEP_DAYS, expire

MODELS = {ExportKind.PEOPLE: Person, ExportKind.CASES: Case}


def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    exports = Export.objects.of(request.user)[:50]
    return render(request, "exports/export_list.html", {"exports": exports, "keep_days": KEEP_DAYS})


def _requested(request: AuthenticatedHttpRequest, export_id: int) -> Export:
    """The requester's export; a file written from an area the requester no longer
    holds (moved to another village, a role revoked) is deleted on sight."""
    export = get_object_or_404(Export.objects.of(request.user), pk=export_id)
    if export.status == ExportStatus.READY and not export.is_covered_by(request.user):
        expire(export)
        messages.info(request, _("Your area changed since this file was written, so it was deleted."))
    return export


def export_detail(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    export = _requested(request, export_id)
    # The filters as the requester chose them (the stored query holds the search sealed).
    filters = unseal_params(request.user, QueryDict(export.query)).urlencode()
    return render(request, "exports/export_detail.html", {"export": export, "filters": filters, "keep_days": KEEP_DAYS})


def export_file(request: AuthenticatedHttpRequest, export_id: int) -> FileResponse:
    export = _requested(request, export_id)
    if export.status != ExportStatus.READY or not export.file:
        raise Http404
    record_request(
        request, action=AccessAction.EXPORT, model=MODELS[ExportKind(export.kind)], ids=[], count=export.row_count
    )
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=Path(export.file.name or "").name)
