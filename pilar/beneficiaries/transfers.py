"""Bringing a person registered in another area into one's village.

Registering a NIK that belongs to a person outside one's area tells the mapper only
that it is registered elsewhere (`services.DuplicateNik`): not the name, not the
region. The mapper may then ask for the person to be moved to their village; someone
whose area holds both villages decides (`pilar.core.transfers`). Approving records
the move through `services.move_person`, so the person's PPKS records follow and the
move is in the history; refusing changes nothing but the request. Every request and
decision is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pilar.beneficiaries import policy, services
from pilar.beneficiaries.models import Person, PersonTransfer
from pilar.core.transfers import decidable, decide
from pilar.regions.models import Region


def request_transfer(*, nik: str, to_village: Region, reason: str, acting_user: Any) -> PersonTransfer:
    """Ask for the person with `nik` to be moved to `to_village` (where the requester maps)."""
    if not policy.can_map(acting_user, to_village.code):
        raise PermissionDenied(_("You do not work in this village."))
    services.check_village(to_village)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the person should be moved to your village."), code="reason_required")
    person = Person.objects.filter(nik=nik).current().first() if nik else None
    if person is None or person.village_id == to_village.code:
        raise ValidationError(_("No person with this NIK waits to be moved here."), code="no_person")
    try:
        with transaction.atomic():
            return PersonTransfer.objects.create(
                person=person,
                from_village_id=person.village_id,
                to_village=to_village,
                reason=reason[:300],
                requested_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(_("You already asked for this person; the request waits."), code="duplicate") from None


def decidable_by(user: Any) -> QuerySet[PersonTransfer]:
    """The waiting requests `user` may decide (both villages inside their area)."""
    return decidable(PersonTransfer.objects.all(), user, source="from_village__code", target="to_village__code")


@transaction.atomic
def decide_transfer(transfer: PersonTransfer, *, approve: bool, note: str = "", acting_user: Any) -> PersonTransfer:
    transfer = PersonTransfer.objects.select_for_update().select_related("person", "to_village").get(pk=transfer.pk)

    def move(transfer: PersonTransfer) -> None:
        if transfer.person.village_id != transfer.from_village_id:
            raise ValidationError(_("The person has moved since the request; it cannot be approved."), code="moved")
        services.move_person(
            transfer.person,
            transfer.to_village,
            reason=_("Transfer requested by %(user)s: %(reason)s")
            % {"user": transfer.requested_by.username, "reason": transfer.reason},
            acting_user=acting_user,
        )

    return decide(
        transfer,
        approve=approve,
        note=note,
        acting_user=acting_user,
        source="from_village_id",
        target="to_village_id",
        carry_out=move,
    )
