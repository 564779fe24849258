from typing import Any

from django.http import HttpRequest

from pilar.accounts import policy
from pilar.accounts.roles import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_manager": policy.is_manager(user),
        "nav_is_admin": user.has_role(Role.ADMIN),
    }
