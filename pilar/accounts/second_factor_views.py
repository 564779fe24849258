"""The pages of two-step sign-in: set up an authenticator app, type a code, see one's
sign-in security, make new recovery codes; and the administrator's reset of another
user's second factor (see pilar.accounts.second_factor)."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from pilar.accounts import passkeys, second_factor, tokens
from pilar.accounts.middleware import second_factor_exempt
from pilar.accounts.models import User
from pilar.core.http import AuthenticatedHttpRequest

# The session key of the authenticator being set up (not yet confirmed).
PENDING = "pilar_second_factor_pending"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


# The session key of recovery codes just made, shown once by `recovery_codes`.
FRESH_CODES = "pilar_recovery_codes"
# The session key of an API token's key just made, shown once by `security`.
FRESH_TOKEN = "pilar_api_token"  # noqa: S105 (the name of a session key, not a secret)


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Keep the new codes for one showing and go there (a reload shows them no more)."""
    request.session[FRESH_CODES] = codes
    return redirect(f"{reverse('accounts:recovery-codes')}?{urlencode({'next': _next(request)})}")


@second_factor_exempt
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), type a code."""
    user = request.user
    if second_factor.has_authenticator(user) and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing an app needs the old one (or a recovery code) first.
        return redirect(f"{reverse('accounts:second-factor')}?next={reverse('accounts:second-factor-setup')}")
    device = second_factor.pending_setup(user, request.session.get(PENDING))
    if device is None:
        device = second_factor.start_setup(user)
        request.session[PENDING] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_setup(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(PENDING, None)
            return _show_codes(request, codes)
        form.add_error("code", _("That code is not right: type the 6 digits the app shows now."))
    key = device.bin_key
    secret = base64.b32encode(key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    context = {
        "form": form,
        "qr": mark_safe(qr),  # noqa: S308 (segno's SVG of our own URL)
        "secret": " ".join(secret[index : index + 4] for index in range(0, len(secret), 4)),
        "required": second_factor.required(user),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@second_factor_exempt
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Type the code of one's app, or a recovery code."""
    if not second_factor.has_authenticator(request.user):
        return render(request, "accounts/second_factor_verify.html", {"no_app": True, "next": _next(request)})
    has_passkey = passkeys.has_passkey(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request, form.cleaned_data["code"])
        except second_factor.Refusal as refusal:
            form.add_error("code", str(refusal))
        else:
            left = second_factor.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(
                    request, _("%(count)s recovery codes left: make new ones on Sign-in security.") % {"count": left}
                )
            return redirect(_next(request))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": _next(request), "has_passkey": has_passkey},
    )


def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's own sign-in security: whether the second step is on, required, how many
    recovery codes are left, and one's API token (its key shown once, when made)."""
    user = request.user
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "accounts/security.html",
        {
            "has_app": second_factor.has_authenticator(user),
            "passkeys": passkeys.of(user),
            "required": second_factor.required(user),
            "codes_left": second_factor.recovery_codes_left(user),
            "token": token,
            "token_expires": tokens.expires_at(token) if token else None,
            "new_key": request.session.pop(FRESH_TOKEN, None),
        },
    )


@require_POST
def token_issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new API token for oneself (the old one stops working); its key shown once."""
    request.session[FRESH_TOKEN] = tokens.issue(request.user).key
    return redirect("accounts:security")


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, user_id: int | None = None) -> HttpResponse:
    """End one's own API token, or, for the administrator, another user's."""
    if user_id is None:
        tokens.revoke(request.user, acting_user=request.user)
        messages.success(request, _("Your API token no longer works."))
        return redirect("accounts:security")
    target = get_object_or_404(User.objects.visible_to(request.user), pk=user_id)
    if not second_factor.can_reset(request.user):
        raise PermissionDenied(_("Only an administrator revokes another user's API token."))
    tokens.revoke(target, acting_user=request.user)
    messages.success(request, _("The API token of %(username)s no longer works.") % {"username": target.username})
    return redirect("accounts:user-detail", user_id=target.pk)


def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just made, once."""
    codes = request.session.pop(FRESH_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@require_POST
def renew_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes; the old ones stop working."""
    if not second_factor.has_authenticator(request.user):
        messages.error(request, _("Set up an authenticator app first."))
        return redirect("accounts:second-factor-setup")
    return _show_codes(request, second_factor.renew_recovery_codes(request.user))


@require_POST
def passkey_remove(request: AuthenticatedHttpRequest, credential_id: int) -> HttpResponse:
    """Remove one of one's own passkeys (a lost security key, a phone given away)."""
    if not passkeys.remove(request.user, credential_id):
        raise Http404
    messages.success(request, _("The passkey was removed: it no longer opens your account."))
    return redirect("accounts:security")


@require_POST
def reset(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """The administrator removes a user's second factor (a lost phone); recorded in
    the user's history, and the user's sessions end."""
    target = get_object_or_404(User.objects.visible_to(request.user), pk=user_id)
    if not second_factor.can_reset(request.user):
        raise PermissionDenied(_("Only an administrator resets another user's second step."))
    second_factor.reset(target, acting_user=request.user)
    messages.success(
        request,
        _("The second step of %(username)s was removed: they set up a new one at their next sign-in.")
        % {"username": target.username},
    )
    return redirect("accounts:user-detail", user_id=target.pk)
