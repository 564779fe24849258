"""The places and people every access test is built on.

Village A (Hajimena) and village B (Sidosari) lie in kecamatan Natar of Kabupaten
Lampung Selatan, province Lampung. Around them: a sibling kecamatan, a sibling
regency and another province, each with one village, so that every persona can be
checked against an object one step outside its region at every level.
"""

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilar.accounts import second_factor, services
from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.regions.loading import build_region
from pilar.regions.models import Region

PASSWORD = "correct-horse-battery"

REGIONS = {
    "18": "Lampung",
    "18.01": "Kabupaten Lampung Selatan",
    "18.01.04": "Natar",
    "18.01.04.2001": "Hajimena",
    "18.01.04.2002": "Sidosari",
    "18.01.05": "Tanjung Bintang",
    "18.01.05.2001": "Jati Baru",
    "18.02": "Kabupaten Lampung Tengah",
    "18.02.01": "Padang Ratu",
    "18.02.01.2001": "Bandar Sari",
    "17": "Bengkulu",
    "17.01": "Kabupaten Bengkulu Selatan",
    "17.01.01": "Kedurang",
    "17.01.01.2001": "Air Sulau",
}

# The places where the matrix puts an object, by name.
PLACES = {
    "village_a": "18.01.04.2001",
    "village_b": "18.01.04.2002",
    "sibling_district": "18.01.05.2001",
    "sibling_regency": "18.02.01.2001",
    "other_province": "17.01.01.2001",
}


@dataclass(frozen=True)
class Persona:
    name: str
    role: str | None
    region_code: str | None
    sees: frozenset[str]  # names of PLACES this persona may see


ALL_PLACES = frozenset(PLACES)

PERSONAS = [
    Persona("psm_a", Role.PSM, "18.01.04.2001", frozenset({"village_a"})),
    Persona("psm_b", Role.PSM, "18.01.04.2002", frozenset({"village_b"})),
    Persona("tksk", Role.TKSK, "18.01.04", frozenset({"village_a", "village_b"})),
    Persona(
        "operator_regency",
        Role.DINSOS_KABKOTA,
        "18.01",
        frozenset({"village_a", "village_b", "sibling_district"}),
    ),
    Persona(
        "operator_province",
        Role.DINSOS_PROVINSI,
        "18",
        frozenset({"village_a", "village_b", "sibling_district", "sibling_regency"}),
    ),
    Persona("operator_other_province", Role.DINSOS_PROVINSI, "17", frozenset({"other_province"})),
    Persona("pusat", Role.PUSAT, None, ALL_PLACES),
    Persona("admin", Role.ADMIN, None, ALL_PLACES),
    Persona("no_role", None, None, frozenset()),
]
PERSONA_NAMES = [persona.name for persona in PERSONAS]
BY_NAME = {persona.name: persona for persona in PERSONAS}


def make_regions() -> None:
    Region.objects.bulk_create(
        [build_region(code=code, name=name) for code, name in sorted(REGIONS.items(), key=lambda i: i[0].count("."))]
    )


def make_persona(persona: Persona) -> User:
    if persona.role is None:
        return User.objects.create_user(persona.name, PASSWORD, full_name=persona.name)
    region = Region.objects.get(code=persona.region_code) if persona.region_code else None
    return services.create_user(
        username=persona.name,
        password=PASSWORD,
        full_name=persona.name.replace("_", " ").title(),
        role=persona.role,
        region=region,
        acting_user=None,
    )


def make_worker_account(place: str) -> User:
    """A PSM account in one of PLACES: the region-scoped object of the foundation."""
    return services.create_user(
        username=f"subject_{place}",
        password=PASSWORD,
        full_name=f"Subject {place}",
        role=Role.PSM,
        region=Region.objects.get(code=PLACES[place]),
        acting_user=None,
    )


def sign_in(client: Client, user: User) -> None:
    """Sign `user` in on `client`, second step taken when their role must take it (as
    if they had typed their authenticator's code; tests/accounts/test_second_factor.py
    goes through the real pages)."""
    client.force_login(user)
    if second_factor.must_verify(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
