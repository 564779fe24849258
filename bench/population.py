"""A synthetic PPKS population over the real villages, as an import file.

    .venv/bin/python bench/population.py OUT.csv --people 1000000 [--seed 1] [--province 18]

Every person lives in a real village of Pilar's region list (all villages, or those of
one province), in households of one to six people sharing a family card (No. KK);
one in ten has no NIK (street children, remote communities), the others a valid NIK
first issued in their kecamatan with the birth date (+40 for women) and a serial
unique in the kecamatan. PPKS types follow rough national proportions (most are
Fakir Miskin; children's types go to children, Lanjut Usia Telantar to the elderly);
one person in eight has two types. Names are common Indonesian names. The same seed
gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pilar.beneficiaries.exchange import COLUMNS as HEADER  # noqa: E402
from pilar.core.synthetic import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES  # noqa: E402

VILLAGES = ROOT / "pilar" / "regions" / "data" / "wilayah" / "villages.csv"
# Shares of PPKS types among adults of working age (rough national proportions).
ADULT_TYPES = {
    "PPKS-24": 62, "PPKS-09": 9, "PPKS-23": 8, "PPKS-25": 4, "PPKS-21": 4, "PPKS-22": 1,
    "PPKS-13": 2, "PPKS-19": 1, "PPKS-15": 1, "PPKS-17": 1, "PPKS-20": 1, "PPKS-16": 1,
    "PPKS-11": 1, "PPKS-12": 1, "PPKS-26": 2, "PPKS-14": 1,
}  # fmt: skip
CHILD_TYPES = {"PPKS-02": 45, "PPKS-01": 15, "PPKS-05": 12, "PPKS-04": 6, "PPKS-06": 6, "PPKS-07": 8, "PPKS-03": 3}
ELDER_TYPES = {"PPKS-08": 60, "PPKS-24": 30, "PPKS-09": 10}
TODAY = datetime.date(2026, 11, 1)


def read_villages(province: str | None) -> list[tuple[str, str]]:
    with VILLAGES.open(encoding="utf-8", newline="") as source:
        rows = csv.DictReader(source)
        return [
            (row["code"], row["name"]) for row in rows if province is None or row["code"].startswith(province + ".")
        ]


def _weighted(table: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(table), list(table.values())


def generate(out: Path, people: int, *, seed: int = 1, province: str | None = None, part: int = 0) -> int:
    """`part` K of a population made of several files: serials start at K x 1000 so that
    NIKs and family cards stay unique across up to ten parts."""
    chooser = random.Random(seed * 100 + part)
    villages = read_villages(province)
    adult, child, elder = _weighted(ADULT_TYPES), _weighted(CHILD_TYPES), _weighted(ELDER_TYPES)
    serials: dict[str, int] = defaultdict(lambda: part * 1000)
    card_serials: dict[str, int] = defaultdict(lambda: part * 1000)
    written = 0
    # People without NIK are keyed by name, birth date and village: keep those unique.
    keys: set[tuple[str, datetime.date, str]] = set()
    with out.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(HEADER)
        while written < people:
            code, village_name = villages[chooser.randrange(len(villages))]
            district = code[:8]
            digits = district.replace(".", "")
            card_serials[district] += 1
            card = f"{digits}{chooser.randrange(1, 29):02d}{chooser.randrange(1, 13):02d}{chooser.randrange(0, 25):02d}"
            card += f"{card_serials[district] % 10000:04d}"
            family = FAMILY_NAMES[chooser.randrange(len(FAMILY_NAMES))]
            address = f"RT {chooser.randrange(1, 20):03d} RW {chooser.randrange(1, 10):03d}"
            for _member in range(min(chooser.randint(1, 6), people - written)):
                age = chooser.choice((chooser.randrange(0, 18), chooser.randrange(18, 60), chooser.randrange(60, 90)))
                birth = TODAY - datetime.timedelta(days=age * 365 + chooser.randrange(0, 365))
                female = chooser.random() < 0.52
                sex = "P" if female else "L"
                given = (FEMALE_NAMES if female else MALE_NAMES)[chooser.randrange(20)]
                nik = ""
                name = f"{given} {family}"
                if chooser.random() < 0.1:
                    while (name, birth, code) in keys:
                        birth -= datetime.timedelta(days=1)
                    keys.add((name, birth, code))
                else:
                    serials[district] += 1
                    day = birth.day + (40 if female else 0)
                    nik = f"{digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serials[district] % 10000:04d}"
                names, weights = child if age < 18 else elder if age >= 60 else adult
                types = chooser.choices(names, weights)
                if chooser.random() < 0.125:
                    second = chooser.choices(names, weights)[0]
                    if second != types[0]:
                        types.append(second)
                phone = f"08{chooser.randrange(11, 99)}{chooser.randrange(10**7, 10**8)}" if age >= 18 else ""
                writer.writerow(
                    [
                        nik,
                        card,
                        name,
                        sex,
                        village_name.title()[:100],
                        birth.isoformat(),
                        code,
                        address,
                        ";".join(types),
                        phone,
                    ]
                )
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", help="only the villages of this province code, e.g. 18")
    parser.add_argument("--part", type=int, default=0, help="part K (0-9) of a population split into files")
    arguments = parser.parse_args()
    count = generate(
        arguments.out, arguments.people, seed=arguments.seed, province=arguments.province, part=arguments.part
    )
    print(f"{count} people written to {arguments.out}")


if __name__ == "__main__":
    main()
