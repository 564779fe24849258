"""Two-step sign-in (django-otp): a code from an authenticator app (TOTP) or one of
ten single-use recovery codes, after the password.

Who must: every role above the TKSK (Dinsos operators, the ministry, the
administrator), who read full NIKs and export people in bulk. Who may: PSM and TKSK,
from their account; once they have set it up, their sign-in asks for it too.

A session is verified when `django_otp.login` recorded in it the device that accepted
a code; a password alone never verifies one, nor does a password reset. Until then
`SecondFactorMiddleware` lets the user reach only the set-up and code pages (and sign
out). django-otp slows down guessing: each wrong code doubles the wait before the
next try of that device."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.core.history import stamp

# Roles for which the second step is a choice; every other role must take it.
OPTIONAL_FOR = frozenset({Role.PSM, Role.TKSK})
RECOVERY_CODES = 10


def required(user: Any) -> bool:
    """Whether `user` holds a role that must sign in in two steps."""
    return any(assignment.role not in OPTIONAL_FOR for assignment in user.active_role_assignments())


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user: Any) -> bool:
    """Whether a session of `user` needs a code before it reaches anything else."""
    return required(user) or has_authenticator(user)


def start_setup(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator secret (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def pending_setup(user: User, device_id: int | None) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_setup(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm `device` with a code it shows, replacing the user's earlier app and
    recovery codes, and verify the session. The new recovery codes (shown once), or
    None if the code is wrong."""
    user = device.user
    if not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    stamp(user, user, gettext_noop("Two-step sign-in set up"))
    user.save()
    request.session.cycle_key()
    otp_login(request, device)
    return codes


@transaction.atomic
def renew_recovery_codes(user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    stamp(user, user, gettext_noop("New recovery codes made"))
    user.save()
    return codes


class Refusal(Exception):
    """A code refused, with the message for the user."""


def verify(request: HttpRequest, code: str) -> None:
    """Verify the session with a code of the user's app, or one of their recovery
    codes (used up by this). Raises Refusal when no device accepts it."""
    user = request.user
    code = "".join(code.split()).lower()
    waiting = []
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                waiting.append((details or {}).get("locked_until"))
                continue
            if device.verify_token(code):
                request.session.cycle_key()
                otp_login(request, device)
                return
    if waiting:
        raise Refusal(_("Too many wrong codes: wait a minute, then try again."))
    raise Refusal(_("That code is not right. Type the 6 digits your app shows now, or a recovery code."))


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def can_reset(acting_user: Any) -> bool:
    """Only an administrator resets a second factor."""
    return any(assignment.role == Role.ADMIN for assignment in acting_user.active_role_assignments())


@transaction.atomic
def reset(user: User, *, acting_user: User) -> None:
    """Remove every second factor of `user` (a lost phone), end their sessions, and
    record who did it; their next sign-in sets up a new one."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.end_sessions()
    stamp(user, acting_user, gettext_noop("Two-step sign-in reset by an administrator"))
    user.save()
