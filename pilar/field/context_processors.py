from typing import Any

from django.http import HttpRequest

from pilar.field.scope import works_in_field


def field(request: HttpRequest) -> dict[str, Any]:
    """`nav_field`: the user works in the field (the menu links the offline app)."""
    user = getattr(request, "user", None)
    return {"nav_field": works_in_field(user)}
