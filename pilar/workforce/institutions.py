"""Changes to the institution registry (Karang Taruna, LKS, LK3, WKSBM, Dunia Usaha).

Same contract as `pilar.workforce.services`: checked, locked, recorded in history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.core.history import stamp
from pilar.core.versions import check_version
from pilar.regions.models import Region
from pilar.regions.text import fold
from pilar.workforce.kinds import Accreditation, InstitutionKind, InstitutionStatus
from pilar.workforce.models import Institution
from pilar.workforce.services import region_label, require_manager

INSTITUTION_FIELDS = (
    "name",
    "registration_number",
    "accreditation",
    "accreditation_date",
    "leader_name",
    "member_count",
    "phone",
    "address",
    "services",
)


def check_institution(institution: Institution) -> None:
    if not institution.region.is_active:
        raise ValidationError(
            _("%(region)s is no longer an active region.") % {"region": region_label(institution.region)},
            code="inactive_region",
        )
    if institution.accreditation == Accreditation.NONE:
        institution.accreditation_date = None


def karang_taruna_taken_message(region_code: str) -> str:
    holder = Institution.objects.filter(
        region_id=region_code, kind=InstitutionKind.KARANG_TARUNA, status=InstitutionStatus.ACTIVE
    ).first()
    return _("%(region)s already has an active Karang Taruna: %(name)s.") % {
        "region": region_code,
        "name": holder.name if holder else "?",
    }


def _save_institution(institution: Institution) -> None:
    try:
        with transaction.atomic():
            institution.save()
    except IntegrityError:
        if (
            institution.kind == InstitutionKind.KARANG_TARUNA
            and institution.status == InstitutionStatus.ACTIVE
            and Institution.objects.filter(
                region_id=institution.region_id, kind=institution.kind, status=InstitutionStatus.ACTIVE
            )
            .exclude(pk=institution.pk)
            .exists()
        ):
            raise ValidationError(
                karang_taruna_taken_message(institution.region_id), code="karang_taruna_taken"
            ) from None
        raise ValidationError(
            _("Another %(kind)s has the registration number %(number)s.")
            % {"kind": institution.kind, "number": institution.registration_number},
            code="duplicate_registration_number",
        ) from None


@transaction.atomic
def register_institution(*, kind: str, name: str, region: Region, acting_user: Any, **details: Any) -> Institution:
    require_manager(acting_user, region.code)
    institution = Institution(kind=kind, name=name.strip(), search_name=fold(name), region=region)
    for field in INSTITUTION_FIELDS[1:]:
        if field in details:
            setattr(institution, field, details[field])
    check_institution(institution)
    stamp(institution, acting_user, gettext_noop("Registered"))
    _save_institution(institution)
    return institution


@transaction.atomic
def update_institution(
    institution: Institution, *, acting_user: Any, expected_version: str | None = None, **changes: Any
) -> Institution:
    require_manager(acting_user, institution.region_id)
    locked = Institution.objects.select_for_update().select_related("region").get(pk=institution.pk)
    check_version(locked, expected_version)
    for field, value in changes.items():
        if field not in INSTITUTION_FIELDS:
            raise ValueError(f"cannot change {field} here")
        setattr(locked, field, value)
    locked.search_name = fold(locked.name)
    check_institution(locked)
    stamp(locked, acting_user, gettext_noop("Corrected"))
    _save_institution(locked)
    return locked


@transaction.atomic
def set_institution_status(institution: Institution, *, status: str, reason: str, acting_user: Any) -> Institution:
    require_manager(acting_user, institution.region_id)
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    if locked.status == status:
        raise ValidationError(_("The institution already has this status."), code="same_status")
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    locked.status = status
    stamp(locked, acting_user, reason)
    _save_institution(locked)
    return locked
