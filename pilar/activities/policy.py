"""Who may do what with activities and monthly reports.

- Recording an activity (and correcting it, adding photos): the PSM, TKSK and Dinsos
  operators whose area contains the activity's region. Everyone whose area contains
  it reads it; the ministry reads all.
- A monthly report is written and submitted by its worker (the account linked to the
  worker in the registry). It is reviewed, approved or returned, by the worker's
  supervisor: the TKSK of the kecamatan for a PSM, a Dinsos operator of the regency
  for a TKSK. Everyone whose area contains the worker's region reads it.
- Nobody reviews their own report, whatever roles they hold: a TKSK who is also the
  PSM of a village, or an operator whose account is linked to the worker, is refused
  (the author is the worker's account, `is_author`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pilar.accounts.roles import Role
from pilar.core.scoping import contains
from pilar.workforce.kinds import WorkerKind

if TYPE_CHECKING:
    from pilar.activities.models import MonthlyReport
    from pilar.workforce.models import Engagement

RECORDING_ROLES = frozenset({Role.PSM, Role.TKSK, Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI})
# The worker kinds that file a monthly report, and who reviews it: the role, and the
# length of the supervisor's region code (a prefix of the worker's region).
REPORTING_KINDS = {WorkerKind.PSM: (Role.TKSK, 8), WorkerKind.TKSK: (Role.DINSOS_KABKOTA, 5)}


def _assignments(user: Any) -> list[Any]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(user.active_role_assignments())


def can_record(user: Any, region_code: str) -> bool:
    return any(
        assignment.role in RECORDING_ROLES
        and assignment.region_id is not None
        and contains(assignment.region_id, region_code)
        for assignment in _assignments(user)
    )


def recording_regions(user: Any) -> list[str | None]:
    """The regions where `user` records activities."""
    return [a.region_id for a in _assignments(user) if a.role in RECORDING_ROLES and a.region_id is not None]


def records_somewhere(user: Any) -> bool:
    return any(assignment.role in RECORDING_ROLES for assignment in _assignments(user))


def is_author(user: Any, engagement: Engagement) -> bool:
    return user is not None and engagement.worker.account_id is not None and engagement.worker.account_id == user.pk


def supervisor_place(engagement: Engagement) -> tuple[str, str]:
    """The role and region code of the worker's supervisor."""
    role, length = REPORTING_KINDS[WorkerKind(engagement.kind)]
    return role, engagement.region_id[:length]


def can_review(user: Any, report: MonthlyReport) -> bool:
    if is_author(user, report.engagement):
        return False
    role, code = supervisor_place(report.engagement)
    return any(assignment.role == role and assignment.region_id == code for assignment in _assignments(user))


def supervised_places(user: Any) -> list[tuple[str, str]]:
    """(worker kind, region code) pairs whose reports `user` reviews."""
    places: list[tuple[str, str]] = []
    for kind, (role, _length) in REPORTING_KINDS.items():
        for assignment in _assignments(user):
            if assignment.role == role and assignment.region_id is not None:
                places.append((kind, assignment.region_id))
    return places


def manages_office(user: Any, region_code: str) -> bool:
    """A Dinsos operator of exactly this regency or province (its letterhead)."""
    return any(
        assignment.role in (Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI) and assignment.region_id == region_code
        for assignment in _assignments(user)
    )
