"""The pages of worker transfers: asking (from the new-worker form), the requests one
made, and those one may decide (`pilar.workforce.transfers`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.identity import mask_nik
from pilar.core.scoping import scope_filter
from pilar.core.views import transfer_step
from pilar.regions.models import Region
from pilar.workforce import policy, transfers
from pilar.workforce.models import Worker, WorkerTransfer


@require_POST
def transfer_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.manages_registry_somewhere(request.user):
        raise PermissionDenied(_("Only a social office may change the registry."))
    region = Region.objects.filter(code=request.POST.get("region", "")).first()
    if region is None:
        messages.error(request, _("Choose the region the worker should serve in."))
        return redirect("workforce:transfer-list")
    return transfer_step(
        request,
        lambda: transfers.request_transfer(
            nik=request.POST.get("nik", "").strip(),
            kind=request.POST.get("kind", ""),
            to_region=region,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        ),
        success=_("The transfer is asked for; the Dinsos office will decide."),
        back="workforce:transfer-list",
    )


def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.manages_registry_somewhere(request.user):
        raise PermissionDenied(_("Only a social office may change the registry."))
    to_decide = list(
        transfers.decidable_by(request.user)
        .exclude(requested_by=request.user)
        .select_related("worker", "from_region", "to_region", "requested_by")
    )
    record_request(request, action=AccessAction.VIEW, model=Worker, ids=[transfer.worker_id for transfer in to_decide])
    mine = [
        (transfer, mask_nik(transfer.worker.nik))
        for transfer in WorkerTransfer.objects.filter(requested_by=request.user).select_related("worker", "to_region")
    ]
    return render(request, "workforce/transfer_list.html", {"to_decide": to_decide, "mine": mine})


@require_POST
def transfer_decide(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    # Found among the requests of the viewer's area (404 otherwise); only an office
    # whose area holds both places may decide it (403 otherwise).
    transfer = get_object_or_404(
        scope_filter(WorkerTransfer.objects.all(), request.user, field="from_region__code"), pk=transfer_id
    )
    approve = request.POST.get("decision") == "approve"
    note = request.POST.get("note", "")
    return transfer_step(
        request,
        lambda: transfers.decide_transfer(transfer, approve=approve, note=note, acting_user=request.user),
        success=_("Approved: the worker may now be engaged here.") if approve else _("Refused."),
        back="workforce:transfer-list",
    )
