from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pilar.notices import services


def unread_notices(request: HttpRequest) -> dict[str, Any]:
    """Unread notices, for the navigation; counted only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_notices": SimpleLazyObject(lambda: services.unread(user))}
