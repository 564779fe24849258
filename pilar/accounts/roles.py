from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.regions.models import RegionLevel


class Role(models.TextChoices):
    PSM = "psm", _("PSM (village)")
    TKSK = "tksk", _("TKSK (kecamatan)")
    DINSOS_KABKOTA = "dinsos_kabkota", _("Dinsos operator, regency/city")
    DINSOS_PROVINSI = "dinsos_provinsi", _("Dinsos operator, province")
    PUSAT = "pusat", _("Ministry (pusat)")
    ADMIN = "admin", _("Administrator")


# The region level each role is tied to; None means the nation (no region).
ROLE_REGION_LEVEL: dict[str, int | None] = {
    Role.PSM: RegionLevel.VILLAGE,
    Role.TKSK: RegionLevel.DISTRICT,
    Role.DINSOS_KABKOTA: RegionLevel.REGENCY,
    Role.DINSOS_PROVINSI: RegionLevel.PROVINCE,
    Role.PUSAT: None,
    Role.ADMIN: None,
}

NATIONAL_ROLES = frozenset({Role.PUSAT, Role.ADMIN})

# Roles that may create users and grant roles (see pilar.accounts.policy).
MANAGER_ROLES = frozenset({Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI, Role.ADMIN})


def rank(role: str) -> int:
    """Height in the hierarchy: 0 for the nation, 4 for a village. Lower is higher up."""
    level = ROLE_REGION_LEVEL[role]
    return 0 if level is None else int(level)
