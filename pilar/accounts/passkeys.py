"""Passkeys and security keys (WebAuthn) as the second step of signing in, through
django-otp-webauthn: a user adds one on *Sign-in security* once their authenticator
app is set up (so that recovery codes exist when a phone with the passkey is lost),
and from then on their second step offers it beside the app's code. Never instead of
the password: passwordless sign-in is off (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN).

The relying party is the host the user reached Pilar on (Django has checked it against
ALLOWED_HOSTS), so one setting fewer for an operator to get wrong. Adding and removing
a passkey is recorded in the user's history; the administrator's reset of a lost
second step (second_factor.reset) removes the passkeys with every other device."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import path
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from pilar.accounts import second_factor
from pilar.accounts.middleware import second_factor_exempt
from pilar.accounts.models import User
from pilar.core.history import stamp
from pilar.core.http import AuthenticatedHttpRequest


def relying_party_id(request: HttpRequest) -> str:
    return split_domain_port(request.get_host())[0]


class PilarWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


def of(user: Any) -> list[WebAuthnCredential]:
    """The user's passkeys, newest first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk"))


def has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def remove(user: User, credential_id: int) -> bool:
    """Remove one of `user`'s passkeys (recorded); False if they have no such passkey."""
    deleted, _ = WebAuthnCredential.objects.filter(user=user, pk=credential_id).delete()
    if not deleted:
        return False
    stamp(user, user, gettext_noop("Passkey removed"))
    user.save()
    return True


class AppFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "app_first"
    default_detail = gettext_lazy(
        "Set up the authenticator app first and sign in with it: its recovery codes "
        "open your account if the device with the passkey is lost."
    )


class RegistrationRules:
    """A passkey is added only from a session that took its second step with the app
    or a recovery code (or an earlier passkey)."""

    request: AuthenticatedHttpRequest

    def check_can_register(self) -> None:
        user = self.request.user
        if not second_factor.has_authenticator(user) or not user.is_verified():  # type: ignore[attr-defined]
            raise AppFirst()


class BeginRegistration(RegistrationRules, webauthn.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(RegistrationRules, webauthn.CompleteCredentialRegistrationView):
    request: AuthenticatedHttpRequest

    def post(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            user = self.request.user
            stamp(user, user, gettext_noop("Passkey added"))
            user.save()
        return response


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> Any:
        # A new session key once the second step is taken, as with a typed code.
        self.request.session.cycle_key()
        otp_login(self.request, device)
        return device.user


app_name = "otp_webauthn"
urlpatterns = [
    path("daftar/mulai/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("daftar/selesai/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path(
        "masuk/mulai/",
        second_factor_exempt(webauthn.BeginCredentialAuthenticationView.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "masuk/selesai/",
        second_factor_exempt(CompleteAuthentication.as_view()),
        name="credential-authentication-complete",
    ),
    # The library's messages, in Pilar's translation (pilar/locale/id, djangojs).
    path(
        "jsi18n/",
        second_factor_exempt(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
