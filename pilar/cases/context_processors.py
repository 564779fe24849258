from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pilar.cases import policy, worklists


def work_counts(request: HttpRequest) -> dict[str, Any]:
    """Cases waiting and overdue, and unread notifications, for the navigation; counted
    only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_cases": SimpleLazyObject(lambda: worklists.counts(user)),
        "nav_unread": SimpleLazyObject(lambda: user.notifications.filter(read_at__isnull=True).count()),
        "opens_cases": SimpleLazyObject(lambda: policy.opens_somewhere(user)),
    }
