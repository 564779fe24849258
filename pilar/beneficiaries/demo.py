"""Demo PPKS registry for kecamatan Natar (Kabupaten Lampung Selatan), made through the
same services as the pages, by the demo accounts that would do it: the PSM of
Hajimena and Sidosari map households and people, the TKSK of Natar verifies and
rejects, the regency operator maps the other villages of Natar. Every status, a
person without a NIK, a guardian, a move, and a pair of probable duplicates."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from pilar.accounts.models import User
from pilar.beneficiaries import services
from pilar.beneficiaries.models import Disability, LegalBasis, Person, PpksStatus, Relation
from pilar.core.synthetic import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, make_nik
from pilar.regions.models import Region, RegionLevel

DISTRICT = "18.01.04"
HOUSEHOLDS_PER_VILLAGE = 6
# (PPKS type, age range) drawn for members, in rough proportion.
PROFILES = [
    ("PPKS-24", (25, 59)),
    ("PPKS-24", (30, 55)),
    ("PPKS-08", (65, 85)),
    ("PPKS-09", (20, 50)),
    ("PPKS-02", (6, 15)),
    ("PPKS-23", (30, 55)),
    ("PPKS-05", (5, 14)),
    ("PPKS-25", (30, 50)),
]
TODAY = datetime.date(2026, 11, 1)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def ensure_demo_ppks() -> bool:
    """Create the demo PPKS registry unless Natar has people already; True when created."""
    if Person.objects.filter(village__code__startswith=DISTRICT + ".").exists():
        return False
    chooser = random.Random(2026)
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=DISTRICT + ".").order_by("code")[:8]
    )
    mappers = {
        "18.01.04.2001": _user("psm.hajimena"),
        "18.01.04.2002": _user("psm.sidosari"),
    }
    operator, tksk = _user("dinsos.lampungselatan"), _user("tksk.natar")
    serial = 0
    people: list[Person] = []
    for village in villages:
        mapper = mappers.get(village.code, operator)
        for household_number in range(HOUSEHOLDS_PER_VILLAGE):
            family = chooser.choice(FAMILY_NAMES)
            card = f"{DISTRICT.replace('.', '')}{household_number + 1:02d}0{village.code[-4:]}{serial:04d}"[:16]
            for member in range(chooser.randint(1, 4)):
                serial += 1
                category, (youngest, oldest) = chooser.choice(PROFILES)
                female = chooser.random() < 0.5 or category == "PPKS-23"  # a type for women only
                age = chooser.randint(youngest, oldest)
                birth = TODAY - datetime.timedelta(days=age * 365 + chooser.randrange(365))
                has_nik = not (category == "PPKS-02" and member % 2)  # some neglected children have none
                data = services.PersonData(
                    full_name=f"{chooser.choice(FEMALE_NAMES if female else MALE_NAMES)} {family}",
                    sex="P" if female else "L",
                    village=village,
                    nik=make_nik(DISTRICT, birth, "P" if female else "L", serial) if has_nik else "",
                    family_card=card.ljust(16, "0"),
                    birth_place="Natar",
                    birth_date=birth,
                    address=f"Dusun {household_number % 4 + 1} RT {household_number + 1:03d}",
                    phone=f"0812{chooser.randrange(10**7, 10**8)}" if age >= 18 else "",
                    disability=Disability.PHYSICAL if category in ("PPKS-09", "PPKS-05") else "",
                    legal_basis=LegalBasis.PUBLIC_TASK,
                )
                person = services.register_person(
                    data,
                    categories=[category],
                    conditions="Rumah tidak layak huni, penghasilan tidak tetap." if category == "PPKS-24" else "",
                    acting_user=mapper,
                )
                people.append(person)
    # The TKSK works through the queue: most verified, some rejected, some handled or done.
    for number, person in enumerate(people):
        record = person.ppks_records.get()
        if number % 5 == 4:
            continue  # still waiting for verification
        if number % 11 == 3:
            services.change_status(
                record, PpksStatus.REJECTED, reason="Tidak memenuhi kriteria setelah kunjungan", acting_user=tksk
            )
            continue
        services.change_status(record, PpksStatus.VERIFIED, acting_user=tksk)
        if number % 3 == 0:
            services.change_status(record, PpksStatus.HANDLED, acting_user=mappers.get(person.village_id, operator))
        if number % 9 == 0:
            services.change_status(record, PpksStatus.DONE, acting_user=operator)
    # A child with a guardian, a probable duplicate, a move.
    child = next(person for person in people if person.ppks_records.get().category == "PPKS-02")
    guardian = next(person for person in people if person.household_id == child.household_id and person != child)
    child.guardian, child.guardian_relation = guardian, "Nenek"
    child.save()
    first = people[0]
    services.register_person(
        services.PersonData(
            full_name=first.full_name.replace("i", "y", 1),
            sex=first.sex,
            village=first.village,
            birth_date=first.birth_date,
            address=first.address,
        ),
        categories=["PPKS-24"],
        acting_user=mappers.get(first.village_id, operator),
    )
    mover = people[-1]
    services.move_person(mover, villages[0], reason="Pindah ke rumah saudara", acting_user=operator)
    head = people[1]
    if head.household_id and head.household_relation != Relation.HEAD:
        services.leave_household(head, acting_user=operator)
    return True
