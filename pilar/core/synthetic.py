"""Made-up but well-formed people for the demo, the tests and the benchmarks.

Deterministic for a given seed, so a test or a benchmark sees the same data every run.
Names are common Indonesian given names and family names; NIKs have a valid
structure (region digits of the kecamatan, birth date with +40 for women) and are
unique for distinct `number`s.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from pilar.core.identity import Sex

MALE_NAMES = [
    "Agus", "Ahmad", "Andi", "Bambang", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan",
    "Joko", "Kurniawan", "Made", "Nyoman", "Rahmat", "Rizki", "Slamet", "Teguh", "Wahyu", "Yusuf",
]  # fmt: skip
FEMALE_NAMES = [
    "Aminah", "Ani", "Dewi", "Eka", "Fitri", "Indah", "Kartini", "Lestari", "Mega", "Nur",
    "Putri", "Ratna", "Rina", "Sari", "Siti", "Sri", "Tuti", "Wulan", "Yanti", "Yuni",
]  # fmt: skip
FAMILY_NAMES = [
    "Hidayat", "Saputra", "Santoso", "Wijaya", "Pratama", "Kusuma", "Nugroho", "Setiawan", "Siregar",
    "Harahap", "Lubis", "Nasution", "Simanjuntak", "Putra", "Susanto", "Gunawan", "Purnomo", "Rahayu",
    "Suryani", "Handayani", "Wulandari", "Permata", "Utami", "Anggraini",
]  # fmt: skip

EPOCH = datetime.date(1965, 1, 1)


@dataclass(frozen=True)
class SyntheticPerson:
    nik: str
    name: str
    sex: str
    birth_date: datetime.date
    phone: str


def make_nik(district_code: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """A NIK first issued in `district_code` (a kecamatan code such as 18.01.04)."""
    region_digits = district_code.replace(".", "")[:6]
    day = birth_date.day + (40 if sex == Sex.FEMALE else 0)
    return f"{region_digits}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def person(number: int, district_code: str, *, seed: int = 0) -> SyntheticPerson:
    """The `number`-th synthetic person of a kecamatan; distinct numbers give distinct NIKs."""
    chooser = random.Random(number * 7919 + seed)
    sex = Sex.FEMALE if chooser.random() < 0.5 else Sex.MALE
    given = chooser.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
    # Serial and birth date together encode `number`: 9,999 serials per birth date.
    birth_date = EPOCH + datetime.timedelta(days=(number // 9999) * 17 % 11985 + chooser.randrange(0, 17))
    serial = number % 9999 + 1
    return SyntheticPerson(
        nik=make_nik(district_code, birth_date, sex, serial),
        name=f"{given} {chooser.choice(FAMILY_NAMES)}",
        sex=sex,
        birth_date=birth_date,
        phone=f"08{chooser.randrange(11, 99)}{chooser.randrange(10**7, 10**8)}",
    )
