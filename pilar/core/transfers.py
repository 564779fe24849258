"""Who decides a request to bring a record into another area.

A record of one area (a person of a village, a worker serving somewhere) is brought
into another only by someone whose area holds both: a Dinsos operator of the regency
or province that contains them, or the administrator when they lie in two provinces.
The requester, who may know nothing of the record, only learns the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.roles import MANAGER_ROLES
from pilar.core.models import TransferRequest, TransferStatus
from pilar.core.scoping import contains, subtree


def common_region(first: str, second: str) -> str | None:
    """The smallest region holding both codes; None for the nation."""
    shared = []
    for mine, theirs in zip(first.split("."), second.split("."), strict=False):
        if mine != theirs:
            break
        shared.append(mine)
    return ".".join(shared) or None


def can_decide(user: Any, first: str, second: str) -> bool:
    """May `user` decide a transfer between the regions `first` and `second`?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    above = common_region(first, second)
    for assignment in user.active_role_assignments():
        if assignment.role not in MANAGER_ROLES:
            continue
        if assignment.region_id is None or (above is not None and contains(assignment.region_id, above)):
            return True
    return False


def decider_codes(user: Any) -> list[str | None]:
    """The regions of `user`'s deciding roles (None: the nation)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [a.region_id for a in user.active_role_assignments() if a.role in MANAGER_ROLES]


def decidable[T: TransferRequest](queryset: QuerySet[T], user: Any, *, source: str, target: str) -> QuerySet[T]:
    """The waiting requests of `queryset` that `user` may decide: both regions (the
    code fields `source` and `target`) inside one of their deciding regions."""
    codes = decider_codes(user)
    waiting = queryset.filter(status=TransferStatus.WAITING)
    if None in codes:
        return waiting
    condition = Q(pk__in=[])
    for code in codes:
        assert code is not None
        condition |= subtree(source, code) & subtree(target, code)
    return waiting.filter(condition)


def decide[T: TransferRequest](
    transfer: T, *, approve: bool, note: str, acting_user: Any, source: str, target: str, carry_out: Callable[[T], None]
) -> T:
    """Record the decision on a locked `transfer` (regions in its fields `source` and
    `target`); `carry_out` makes an approved one happen, in the same transaction."""
    if not can_decide(acting_user, getattr(transfer, source), getattr(transfer, target)):
        raise PermissionDenied(_("Only an office whose area holds both regions decides this request."))
    if acting_user is not None and transfer.requested_by_id == acting_user.pk:
        raise PermissionDenied(_("Nobody decides their own request."))
    if transfer.status != TransferStatus.WAITING:
        raise ValidationError(_("This request has been decided already."), code="decided")
    note = note.strip()
    if not approve and not note:
        raise ValidationError(_("Say why the request is refused."), code="note_required")
    if approve:
        carry_out(transfer)
    transfer.status = TransferStatus.APPROVED if approve else TransferStatus.REFUSED
    transfer.decided_by = acting_user
    transfer.decided_at = timezone.now()
    transfer.decision_note = note[:300]
    transfer.save()
    return transfer
