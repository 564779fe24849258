"""The pages of person transfers: asking (from the new-person form), the requests one
made, and the requests one may decide (`pilar.beneficiaries.transfers`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries import policy, transfers
from pilar.beneficiaries.models import Person, PersonTransfer
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.identity import mask_nik
from pilar.core.scoping import scope_filter
from pilar.core.transfers import decider_codes
from pilar.core.views import transfer_step
from pilar.regions.models import Region


@require_POST
def transfer_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.maps_somewhere(request.user):
        raise PermissionDenied(_("Your role does not map PPKS."))
    village = Region.objects.filter(code=request.POST.get("village", "")).first()
    if village is None:
        messages.error(request, _("Choose the village the person should be moved to."))
        return redirect("beneficiaries:transfer-list")
    return transfer_step(
        request,
        lambda: transfers.request_transfer(
            nik=request.POST.get("nik", "").strip(),
            to_village=village,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        ),
        success=_("The transfer is asked for; the Dinsos office will decide."),
        back="beneficiaries:transfer-list",
    )


def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (policy.maps_somewhere(request.user) or decider_codes(request.user)):
        raise PermissionDenied(_("Your role does not map PPKS."))
    to_decide = list(
        transfers.decidable_by(request.user)
        .exclude(requested_by=request.user)
        .select_related("person", "from_village", "to_village", "requested_by")
    )
    record_request(request, action=AccessAction.VIEW, model=Person, ids=[transfer.person_id for transfer in to_decide])
    # The requester sees their requests without anything of the person but the NIK they typed, masked.
    mine = [
        (transfer, mask_nik(transfer.person.nik or ""))
        for transfer in PersonTransfer.objects.filter(requested_by=request.user).select_related("person", "to_village")
    ]
    return render(request, "beneficiaries/transfer_list.html", {"to_decide": to_decide, "mine": mine})


@require_POST
def transfer_decide(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    # Found among the requests of the viewer's area (404 otherwise); only an office
    # whose area holds both places may decide it (403 otherwise).
    transfer = get_object_or_404(
        scope_filter(PersonTransfer.objects.all(), request.user, field="from_village__code"), pk=transfer_id
    )
    approve = request.POST.get("decision") == "approve"
    note = request.POST.get("note", "")
    return transfer_step(
        request,
        lambda: transfers.decide_transfer(transfer, approve=approve, note=note, acting_user=request.user),
        success=_("Approved: the person is moved.") if approve else _("Refused."),
        back="beneficiaries:transfer-list",
    )
