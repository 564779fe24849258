"""Which region a recap is for: the one asked for, or the viewer's own.

Shared by the pages and the API (DRF turns these Django exceptions into 403/404 too).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from pilar.core.scoping import Scope
from pilar.regions.models import Region


def recap_region(user: Any, code: str) -> Region | None:
    """The region with `code`, or the user's own area when `code` is empty; None is the
    nation. 404 outside the user's scope; 403 for a user without any role."""
    scope = Scope.for_user(user)
    code = code.strip()
    if not code:
        if scope.everything:
            return None
        if scope.is_empty:
            raise PermissionDenied(_("Your account has no role yet; ask the social office for one."))
        code = sorted(scope.roots)[0]
    region = Region.objects.filter(code=code).select_related("parent").first() if scope.includes(code) else None
    if region is None:
        raise Http404
    return region
