"""Every route of Pilar, classified by who may reach it.

`tests/test_access_matrix.py` walks the URL resolver and fails on any route missing
here (or listed here but gone), so a new page or endpoint cannot ship without
someone deciding who may see it. Later features add their routes to ROUTES.

Kinds:
- PUBLIC: anyone, signed in or not.
- SIGNED_IN: any signed-in user, whatever their roles (master data, one's own account).
- MANAGERS: users with a managing role (Dinsos operators, administrator); others get 403.
- ADMIN: the administrator only; others get 403.
- SCOPED: an object that belongs to a place. A persona that may see the place gets
  an answer; any other persona gets 404, never a 403 that confirms the object exists.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pilar.accounts.models import User

PUBLIC = "public"
SIGNED_IN = "signed_in"
MANAGERS = "managers"
ADMIN = "admin"
SCOPED = "scoped"


@dataclass(frozen=True)
class Route:
    kind: str
    method: str = "get"
    api: bool = False
    # For routes with URL arguments: builds them from the object placed in a region.
    kwargs: Callable[[User], dict[str, Any]] = field(default=lambda subject: {})
    data: dict[str, Any] = field(default_factory=dict)
    # What an allowed signed-in user gets, when not 200 (GET) or 302 (POST).
    allowed_status: int | None = None


def _user(subject: User) -> dict[str, Any]:
    return {"user_id": subject.pk}


def _user_pk(subject: User) -> dict[str, Any]:
    return {"pk": subject.pk}


def _assignment(subject: User) -> dict[str, Any]:
    return {"user_id": subject.pk, "assignment_id": subject.role_assignments.get().pk}


ROUTES: dict[str, Route] = {
    "home": Route(SIGNED_IN),
    "health": Route(PUBLIC),
    "set-language": Route(PUBLIC, method="post", data={"language": "en", "next": "/"}),
    "accounts:login": Route(PUBLIC, allowed_status=302),  # a signed-in user is sent home
    "accounts:logout": Route(SIGNED_IN, method="post"),
    "accounts:password-change": Route(SIGNED_IN),
    "accounts:user-list": Route(SIGNED_IN),
    "accounts:user-create": Route(MANAGERS),
    "accounts:user-detail": Route(SCOPED, kwargs=_user),
    "accounts:role-grant": Route(SCOPED, method="post", kwargs=_user, data={"role": "psm", "region_code": ""}),
    "accounts:role-revoke": Route(SCOPED, method="post", kwargs=_assignment, data={"reason": "uji akses"}),
    "accounts:user-set-password": Route(SCOPED, kwargs=_user),
    "accounts:user-set-active": Route(SCOPED, method="post", kwargs=_user, data={"reason": "uji akses"}),
    "regions:index": Route(SIGNED_IN),
    "regions:detail": Route(SIGNED_IN, kwargs=lambda subject: {"code": "18.01"}),
    "audit:access-log": Route(ADMIN),
    "api-me": Route(SIGNED_IN, api=True),
    "region-list": Route(SIGNED_IN, api=True),
    "region-detail": Route(SIGNED_IN, api=True, kwargs=lambda subject: {"code": "18.01.04"}),
    "user-list": Route(SIGNED_IN, api=True),
    "user-detail": Route(SCOPED, api=True, kwargs=_user_pk),
    "api-schema": Route(SIGNED_IN, api=True),
    "api-docs": Route(SIGNED_IN, api=True),
}
