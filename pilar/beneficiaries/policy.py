"""Who may do what in the PPKS registry.

- Mapping (recording people, households and PPKS records, correcting them, following
  a record through handling) belongs to those who work in the area: the PSM of the
  village, the TKSK of the kecamatan, the Dinsos operators above, the administrator.
- Verifying or rejecting a reported record, merging duplicates and deciding that two
  people are not the same belong to the TKSK of the kecamatan and the Dinsos
  operators (and the administrator): never to the PSM who mapped the record.
- Nobody verifies or rejects a record they reported themselves, whatever roles they
  hold (a TKSK who also maps as a PSM): another verifier must.
- The ministry (pusat) reads everything and changes nothing.
- The full NIK is shown to the roles that work with the person (they check it with
  Dukcapil and programmes); the ministry sees it masked.

Every check fails closed; `acting_user=None` in the services is the command line.
"""

from __future__ import annotations

from typing import Any

from pilar.accounts.roles import Role
from pilar.core.scoping import contains

MAPPING_ROLES = frozenset({Role.PSM, Role.TKSK, Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI, Role.ADMIN})
VERIFYING_ROLES = frozenset({Role.TKSK, Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI, Role.ADMIN})


def _regions(user: Any, roles: frozenset[str]) -> list[str | None]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [a.region_id for a in user.active_role_assignments() if a.role in roles]


def _covers(user: Any, roles: frozenset[str], code: str) -> bool:
    return any(region is None or contains(region, code) for region in _regions(user, roles))


def mapping_regions(user: Any) -> list[str | None]:
    """The regions where `user` maps (None: the whole nation); empty when nowhere."""
    return _regions(user, MAPPING_ROLES)


def can_map(user: Any, village_code: str) -> bool:
    return _covers(user, MAPPING_ROLES, village_code)


def can_verify(user: Any, village_code: str) -> bool:
    return _covers(user, VERIFYING_ROLES, village_code)


def reported(user: Any, record: Any) -> bool:
    """`user` reported `record` (their own work, which they may not verify)."""
    return user is not None and record.reported_by_id is not None and record.reported_by_id == user.pk


def maps_somewhere(user: Any) -> bool:
    return bool(_regions(user, MAPPING_ROLES))


def verifies_somewhere(user: Any) -> bool:
    return bool(_regions(user, VERIFYING_ROLES))


def can_see_full_nik(user: Any) -> bool:
    return maps_somewhere(user)
