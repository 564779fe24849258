"""Bringing a worker registered in another area into one's region.

Registering a NIK that belongs to a worker outside one's area says only that it is
registered elsewhere (`services.DuplicateWorker`). The office may ask for the worker
to serve in its region too, as a candidate of a kind; an office whose area holds both
regions decides (`pilar.core.transfers`), and approving adds the engagement through
`services.add_engagement`, with its event.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pilar.core.transfers import decidable, decide
from pilar.regions.models import Region
from pilar.workforce import policy, rules, services
from pilar.workforce.models import Worker, WorkerTransfer


def request_transfer(*, nik: str, kind: str, to_region: Region, reason: str, acting_user: Any) -> WorkerTransfer:
    if not policy.can_manage_registry(acting_user, to_region.code):
        raise PermissionDenied(_("Only the social office of this region may change its registry."))
    rules.check_region_for_kind(kind, to_region)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the worker should serve in your region."), code="reason_required")
    worker = Worker.objects.filter(nik=nik).first() if nik else None
    engagement = worker.engagements.order_by("pk").first() if worker is not None else None
    if worker is None or engagement is None or worker.engagements.filter(kind=kind).exists():
        raise ValidationError(_("No worker with this NIK can be asked for as this kind."), code="no_worker")
    try:
        with transaction.atomic():
            return WorkerTransfer.objects.create(
                worker=worker,
                kind=kind,
                from_region_id=engagement.region_id,
                to_region=to_region,
                reason=reason[:300],
                requested_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(_("You already asked for this worker; the request waits."), code="duplicate") from None


def decidable_by(user: Any) -> QuerySet[WorkerTransfer]:
    return decidable(WorkerTransfer.objects.all(), user, source="from_region__code", target="to_region__code")


@transaction.atomic
def decide_transfer(transfer: WorkerTransfer, *, approve: bool, note: str = "", acting_user: Any) -> WorkerTransfer:
    transfer = WorkerTransfer.objects.select_for_update().select_related("worker", "to_region").get(pk=transfer.pk)

    def engage(transfer: WorkerTransfer) -> None:
        services.add_engagement(transfer.worker, kind=transfer.kind, region=transfer.to_region, acting_user=acting_user)

    return decide(
        transfer,
        approve=approve,
        note=note,
        acting_user=acting_user,
        source="from_region_id",
        target="to_region_id",
        carry_out=engage,
    )
