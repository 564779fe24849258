"""Who may do what with a case.

- Reading: a case belongs to the village of its person (`Case.region`), so every
  role whose area contains that village reads it: the PSM who opened it, the TKSK,
  the social offices above, the ministry. The levels a case passed through keep
  following it after it moves up, and a sibling village never sees it.
- Handling (taking up, visits, referrals, escalating, returning, closing): the role
  of the level that holds the case, for the holding region (the PSM of the village,
  the TKSK of the kecamatan, the operators of the regency or province, the
  ministry), and the worker the case is assigned to. Higher levels read but do not
  act on a case they do not hold: it comes to them by escalation.
- A referral's answer (accepted, done, refused) is recorded by someone other than
  the person who sent it: another handler of the case, or the level above that
  supervises it (the TKSK for a village's case). Nobody confirms their own referral.
- Opening: PSM, TKSK and the Dinsos operators, for a person in their area; the case
  starts at the opener's own level.
- The story of a sensitive case (summary, needs, visit notes, attachments) is shown
  only to those handling it: the current holders and assignee, and everyone who
  opened it or acted on it. Everyone else who may read the case sees its status,
  level and deadline, and that it is sensitive.

`acting_user=None` in the services is the command line or the scheduler.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from pilar.accounts.roles import Role
from pilar.core.scoping import contains, subtree

if TYPE_CHECKING:
    from pilar.cases.models import Case

# The role that handles a case at each level (see CaseLevel; 0 is the ministry).
HANDLING_ROLE = {4: Role.PSM, 3: Role.TKSK, 2: Role.DINSOS_KABKOTA, 1: Role.DINSOS_PROVINSI, 0: Role.PUSAT}
LEVEL_OF_ROLE = {role: level for level, role in HANDLING_ROLE.items()}
OPENING_ROLES = frozenset({Role.PSM, Role.TKSK, Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI})


def deadline_for(level: int, priority: str, start: datetime.datetime) -> datetime.datetime:
    """When a case of `priority` that arrived at `level` at `start` is overdue: the
    level's days (CASE_DEADLINE_DAYS), shorter for high and urgent priority
    (CASE_PRIORITY_DEADLINE_DAYS)."""
    days = settings.CASE_DEADLINE_DAYS[level]
    if priority in settings.CASE_PRIORITY_DEADLINE_DAYS:
        days = min(days, settings.CASE_PRIORITY_DEADLINE_DAYS[priority])
    return start + datetime.timedelta(days=days)


def holding_code(village_code: str, level: int) -> str | None:
    """The code of the region that holds a case of `village_code` at `level`."""
    if level == 0:
        return None
    return ".".join(village_code.split(".")[:level])


def _assignments(user: Any) -> list[Any]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(user.active_role_assignments())


def places(user: Any) -> list[tuple[int, str | None]]:
    """The (level, region code) pairs where `user` handles cases."""
    return [
        (LEVEL_OF_ROLE[assignment.role], assignment.region_id)
        for assignment in _assignments(user)
        if assignment.role in LEVEL_OF_ROLE
    ]


def holding_filter(user: Any, prefix: str = "") -> Q | None:
    """A Q for the cases held where `user` handles cases; None when nowhere."""
    condition = None
    for level, code in places(user):
        here = Q(**{f"{prefix}level": level, f"{prefix}holding_region": code})
        condition = here if condition is None else condition | here
    return condition


def holds(user: Any, case: Case) -> bool:
    return (case.level, case.holding_region_id) in places(user)


def can_handle(user: Any, case: Case) -> bool:
    if user is None:
        return False
    return holds(user, case) or (case.assigned_to_id is not None and case.assigned_to_id == user.pk)


def accompanies(user: Any, case: Case) -> bool:
    """`user` accompanies the person of `case` whatever level holds it: the case's
    handlers, who opened it, and the PSM of the person's village. They record visits
    and notes; only the holders move the case (take, escalate, refer, close...)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if can_handle(user, case) or (case.opened_by_id is not None and case.opened_by_id == user.pk):
        return True
    if case.is_sensitive:  # its story is for those involved only
        return is_involved(user, case)
    return any(
        assignment.role == Role.PSM
        and assignment.region_id is not None
        and contains(assignment.region_id, case.region_id)
        for assignment in _assignments(user)
    )


def accompanied_filter(user: Any) -> Q:
    """A Q for the cases `user` accompanies (see `accompanies`)."""
    condition = holding_filter(user) or Q(pk__in=[])
    condition |= Q(assigned_to=user) | Q(opened_by=user)
    for assignment in _assignments(user):
        if assignment.role == Role.PSM and assignment.region_id is not None:
            condition |= subtree("region__code", assignment.region_id) & Q(is_sensitive=False)
    return condition


def supervises(user: Any, case: Case) -> bool:
    """`user` handles cases at the level just above the one holding `case`."""
    if case.level == 0:
        return False
    above = case.level - 1
    return (above, holding_code(case.region_id, above)) in places(user)


def can_answer_referral(user: Any, case: Case, sent_by_id: int | None) -> bool:
    if user is None or (sent_by_id is not None and sent_by_id == user.pk):
        return False
    return can_handle(user, case) or supervises(user, case)


def opening_level(user: Any, village_code: str) -> int | None:
    """The level a case opened by `user` in `village_code` starts at: the user's most
    local role there; None when the user may not open a case there."""
    levels = [
        LEVEL_OF_ROLE[assignment.role]
        for assignment in _assignments(user)
        if assignment.role in OPENING_ROLES
        and assignment.region_id is not None
        and contains(assignment.region_id, village_code)
    ]
    return max(levels) if levels else None


def opens_somewhere(user: Any) -> bool:
    return any(assignment.role in OPENING_ROLES for assignment in _assignments(user))


def handles_somewhere(user: Any) -> bool:
    return bool(places(user))


def is_involved(user: Any, case: Case) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_handle(user, case) or case.opened_by_id == user.pk or case.events.filter(actor=user).exists()


def can_read_story(user: Any, case: Case) -> bool:
    """The summary, needs, notes and attachments (the case itself is already visible)."""
    return not case.is_sensitive or is_involved(user, case)
