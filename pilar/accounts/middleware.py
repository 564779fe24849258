"""The second step of signing in, enforced on every request (see
pilar.accounts.second_factor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pilar.accounts import second_factor


def second_factor_exempt[V: Callable[..., Any]](view: V) -> V:
    """Mark a view that a signed-in user reaches before their second step."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware:
    """A session that must take the second step (see second_factor.must_verify) and
    has not reaches only the set-up and code pages and signing out; pages are sent
    there with ?next=, the API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        user = request.user
        api = request.path_info.startswith("/api/")
        if (
            not user.is_authenticated
            or getattr(view_func, "second_factor_exempt", False)
            # Public pages (login, language); REST framework marks every API view so.
            or (not api and not getattr(view_func, "login_required", True))
            or user.is_verified()  # type: ignore[attr-defined]  # set by django-otp's middleware
            or not second_factor.must_verify(user)
        ):
            return None
        if api:
            return JsonResponse({"detail": _("Finish signing in with your second step first.")}, status=403)
        page = "accounts:second-factor" if second_factor.has_authenticator(user) else "accounts:second-factor-setup"
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
