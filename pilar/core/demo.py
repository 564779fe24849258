"""Demo accounts for every role, in Lampung. Made through the same services as the pages."""

from dataclasses import dataclass

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar.accounts import second_factor, services
from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.regions.models import Region

DEMO_PASSWORD = "pilar-demo-2026"  # noqa: S105 (published on purpose; the demo refuses a real database)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    region_code: str | None


DEMO_ACCOUNTS = [
    DemoAccount("psm.hajimena", "Siti Aminah", Role.PSM, "18.01.04.2001"),
    DemoAccount("psm.sidosari", "Bambang Sutrisno", Role.PSM, "18.01.04.2002"),
    DemoAccount("tksk.natar", "Rahmat Hidayat", Role.TKSK, "18.01.04"),
    DemoAccount("dinsos.lampungselatan", "Dewi Lestari", Role.DINSOS_KABKOTA, "18.01"),
    DemoAccount("dinsos.lampung", "Agus Salim", Role.DINSOS_PROVINSI, "18"),
    DemoAccount("kemensos", "Ratna Sari", Role.PUSAT, None),
    DemoAccount("admin", "Administrator Pilar", Role.ADMIN, None),
]


def ensure_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; returns (account, created)."""
    results = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            results.append((account, False))
            continue
        region = Region.objects.get(code=account.region_code) if account.region_code else None
        user = services.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            role=account.role,
            region=region,
            acting_user=None,
        )
        if second_factor.required(user):
            # Their sign-in asks for a code: `pilar demo_code USERNAME` tells it.
            TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
        results.append((account, True))
    return results


def current_code(username: str) -> str:
    """The code the demo account's authenticator would show now (demo accounts only)."""
    if username not in {account.username for account in DEMO_ACCOUNTS}:
        raise LookupError(username)
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        raise LookupError(username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # A code works once: just used, the next one (accepted a step early) is given.
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"
