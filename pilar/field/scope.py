"""Who works in the field, and where: the regions of a user's PSM and TKSK roles.

The field download, the offline app and the phone's copy of the data follow these
regions only (a user who is also an operator does not carry the regency onto a
phone). The digest of the regions goes into every sync token, so a change of
assignment makes the next sync a full one that drops what left the worker's scope.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pilar.accounts.roles import Role

FIELD_ROLES = frozenset({Role.PSM, Role.TKSK})


def field_regions(user: Any) -> list[str]:
    """The region codes of `user`'s field roles (village for a PSM, kecamatan for a TKSK)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return sorted(
        {a.region_id for a in user.active_role_assignments() if a.role in FIELD_ROLES and a.region_id is not None}
    )


def works_in_field(user: Any) -> bool:
    return bool(field_regions(user))


def scope_digest(user: Any) -> str:
    return hashlib.sha256(f"{user.pk}:{','.join(field_regions(user))}".encode()).hexdigest()[:16]
