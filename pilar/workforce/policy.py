"""Who may change the workforce registry.

- The registry is kept by the social offices: a Dinsos operator of a regency/city or
  a province changes workers, institutions, trainings, inaugurations, assignments and
  quotas inside the region of that role; the administrator anywhere.
- PSM and TKSK read the registry of their own area (through `visible_to`) and change
  nothing in it; the ministry reads everything and changes nothing.
- The full NIK of a worker is shown to those who keep the registry (the decrees need
  it); everyone else sees it masked.

`acting_user=None` in the services means the command line, which is trusted.
"""

from __future__ import annotations

from typing import Any

from pilar.accounts.roles import MANAGER_ROLES
from pilar.core.scoping import contains


def _managing_regions(user: Any) -> list[str | None]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [a.region_id for a in user.active_role_assignments() if a.role in MANAGER_ROLES]


def can_manage_registry(user: Any, region_code: str) -> bool:
    """May `user` change registry records that belong to `region_code`?"""
    return any(region is None or contains(region, region_code) for region in _managing_regions(user))


def manages_nation(user: Any) -> bool:
    """Keeps the registry everywhere (the administrator)."""
    return None in _managing_regions(user)


def manages_registry_somewhere(user: Any) -> bool:
    return bool(_managing_regions(user))


def can_see_full_nik(user: Any) -> bool:
    return manages_registry_somewhere(user)
