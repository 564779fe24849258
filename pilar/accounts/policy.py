"""Who may manage which accounts.

- Only managing roles (Dinsos operator of a regency/city or province, administrator)
  create users and grant or revoke roles.
- A Dinsos operator acts only inside the region of that role, and only on roles below
  its own level: the operator of a regency may grant PSM and TKSK roles there, never
  a regency, province, ministry or administrator role. Users of equal or higher rank
  (a fellow regency operator) are managed by the administrator alone, so that no
  operator can take over a peer's account.
- The administrator may grant any role anywhere.
- Nobody changes their own roles or account through these rules: a user can never
  raise their own role or widen their own region. (Changing one's own password is a
  separate, ordinary action.)
- Changing a user's account (password, active flag) needs authority over every role
  that user holds, so an operator cannot lock out someone above them.

Every check fails closed: an anonymous or inactive user, or one without a managing
role, may do nothing here.
"""

from __future__ import annotations

from pilar.accounts.models import RoleAssignment, User
from pilar.accounts.roles import MANAGER_ROLES, NATIONAL_ROLES, Role, rank
from pilar.core.scoping import contains


def _managing_assignments(acting_user: User | None) -> list[RoleAssignment]:
    if acting_user is None or not acting_user.is_authenticated or not acting_user.is_active:
        return []
    return [a for a in acting_user.active_role_assignments() if a.role in MANAGER_ROLES]


def is_manager(acting_user: User | None) -> bool:
    return bool(_managing_assignments(acting_user))


def _may_grant(acting_user: User | None, role: str, region_code: str | None) -> bool:
    for assignment in _managing_assignments(acting_user):
        if assignment.role == Role.ADMIN:
            return True
        if role in NATIONAL_ROLES or region_code is None:
            continue
        if rank(role) > rank(assignment.role) and contains(assignment.region_id, region_code):  # type: ignore[arg-type]
            return True
    return False


def _has_authority_over(acting_user: User | None, target: User) -> bool:
    """`acting_user` could grant every active role `target` holds."""
    return all(
        _may_grant(acting_user, assignment.role, assignment.region_id)
        for assignment in target.active_role_assignments()
    )


def can_grant(acting_user: User | None, *, role: str, region_code: str | None, target: User | None = None) -> bool:
    """May `acting_user` give `role` at `region_code` (None for national roles) to
    `target`? Giving a role to someone is managing them: it needs authority over every
    role they already hold, so a peer cannot be given (or stripped of) roles."""
    if target is not None and acting_user is not None and target.pk == acting_user.pk:
        return False
    if not _may_grant(acting_user, role, region_code):
        return False
    return target is None or _has_authority_over(acting_user, target)


def can_manage_user(acting_user: User | None, target: User) -> bool:
    """Authority over every active role of `target` (and never over oneself)."""
    if acting_user is None or target.pk == acting_user.pk:
        return False
    if not target.active_role_assignments():
        return any(a.role == Role.ADMIN for a in _managing_assignments(acting_user))
    return _has_authority_over(acting_user, target)


def grantable_roles(acting_user: User | None) -> list[str]:
    """The roles `acting_user` could grant somewhere, highest first (for form choices)."""
    assignments = _managing_assignments(acting_user)
    if any(a.role == Role.ADMIN for a in assignments):
        return list(Role.values)
    lowest_rank = min((rank(a.role) for a in assignments), default=None)
    if lowest_rank is None:
        return []
    return [role for role in Role.values if role not in NATIONAL_ROLES and rank(role) > lowest_rank]
