"""Demo accounts for every role, in Lampung. Made through the same services as the pages."""

from dataclasses import dataclass

from pilar.accounts import services
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
        services.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            role=account.role,
            region=region,
            acting_user=None,
        )
        results.append((account, True))
    return results
