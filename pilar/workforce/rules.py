"""The rules of the worker lifecycle, as pure checks.

The services (one change at a time) and the roster import (thousands at once) both
call these, so a rule is written once. Each raises ValidationError with a message
for the person who made the request.

PSM rules (Permensos 10/2019): the village served is the PSM's home village; a PSM is
at least 18 years old on the date of the decree; a PSM becomes trained through a
completed basic bimtek and active through pengukuhan or a new decree after it. A
roster import records the state the office already holds on paper, so it does not
ask for the training record behind a trained or active PSM.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pilar.core.identity import age_on
from pilar.regions.models import Region, RegionLevel
from pilar.workforce.kinds import ALLOWED_MOVES, WorkerKind, WorkerStatus, worker_region_levels

PSM_MINIMUM_AGE = 18


def check_region_for_kind(kind: str, region: Region) -> None:
    levels = worker_region_levels(kind)
    if region.level not in levels:
        allowed = ", ".join(str(RegionLevel(level).label).lower() for level in sorted(levels))
        raise ValidationError(
            _("A %(kind)s serves a %(levels)s; %(region)s is a %(actual)s.")
            % {
                "kind": kind,
                "levels": allowed,
                "region": f"{region.code} {region.name}",
                "actual": str(RegionLevel(region.level).label).lower(),
            },
            code="wrong_region_level",
        )
    if not region.is_active:
        raise ValidationError(
            _("%(region)s is no longer an active region.") % {"region": f"{region.code} {region.name}"},
            code="inactive_region",
        )


def check_move(from_status: str, to_status: str) -> None:
    if to_status not in ALLOWED_MOVES.get(from_status, frozenset()):
        raise ValidationError(
            _("A worker cannot go from %(from)s to %(to)s.")
            % {"from": WorkerStatus(from_status).label, "to": WorkerStatus(to_status).label},
            code="illegal_move",
        )


def check_step(
    *,
    kind: str,
    to_status: str,
    birth_date: datetime.date,
    home_village_code: str,
    region_code: str,
    decree_number: str,
    decree_date: datetime.date | None,
    reason: str,
    has_basic_training: bool,
    from_roster: bool,
) -> None:
    """The conditions of reaching `to_status`, beyond the move itself."""
    if to_status == WorkerStatus.INACTIVE and not reason and not from_roster:
        raise ValidationError(_("Give the reason the worker becomes inactive."), code="reason_required")
    if to_status == WorkerStatus.ACTIVE and not (decree_number and decree_date):
        raise ValidationError(
            _("A worker becomes active only by a decree: give the SK number and date."), code="decree_required"
        )
    if kind != WorkerKind.PSM:
        return
    if to_status != WorkerStatus.INACTIVE and home_village_code != region_code:
        raise ValidationError(
            _("A PSM serves their home village: %(home)s is not the village served, %(region)s.")
            % {"home": home_village_code, "region": region_code},
            code="psm_home_village",
        )
    if to_status == WorkerStatus.ACTIVE and decree_date is not None:
        age = age_on(birth_date, decree_date)
        if age < PSM_MINIMUM_AGE:
            raise ValidationError(
                _("A PSM must be at least %(minimum)s years old on the decree date; this one is %(age)s.")
                % {"minimum": PSM_MINIMUM_AGE, "age": age},
                code="psm_too_young",
            )
    if to_status in {WorkerStatus.TRAINED, WorkerStatus.ACTIVE} and not (has_basic_training or from_roster):
        raise ValidationError(
            _("A PSM must complete the basic bimtek first."),
            code="psm_basic_training_required",
        )
