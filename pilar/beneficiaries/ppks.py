"""The 26 PPKS types (data/ppks_categories.csv): stable codes PPKS-01..26 and their
official names. The official names are Indonesian in every language, like the names
of regions.

Each type's criteria from Permensos 08/2012 are data beside them: who it is for, by
age and sex (data/ppks_criteria.csv; a person who does not fit is refused, by
`refusal`, on every path that maps one), and the conditions a worker ticks when
reporting it (data/ppks_conditions.csv), stored with the record for the TKSK who
verifies it."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pilar.regions.text import fold

DATA = Path(__file__).parent / "data"
SOURCE = DATA / "ppks_categories.csv"


@dataclass(frozen=True)
class Condition:
    """One condition of a type's checklist, numbered within the type."""

    number: int
    text_id: str
    text_en: str

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "id").startswith("en") else self.text_id


@dataclass(frozen=True)
class PpksType:
    code: str
    name: str
    group: str
    # Ages (in whole years) the type is for; None: no bound.
    min_age: int | None = None
    max_age: int | None = None
    # "P" for a type that is for women only.
    sex: str = ""
    # The type for people of the other ages (a child is not "Gelandangan" but "Anak Jalanan").
    for_other_ages: str = ""
    conditions: tuple[Condition, ...] = ()

    @property
    def number(self) -> int:
        return int(self.code.removeprefix("PPKS-"))

    def ages(self) -> str:
        """The ages it is for, in words ("" when any)."""
        if self.min_age is not None and self.max_age is not None:
            if self.min_age == 0 and self.max_age == 17:
                return _("under 18 years")
            return _("%(low)s to %(high)s years") % {"low": self.min_age, "high": self.max_age}
        if self.min_age is not None:
            return _("%(low)s years and over") % {"low": self.min_age}
        if self.max_age is not None:
            return _("%(high)s years and under") % {"high": self.max_age}
        return ""

    def condition_numbers(self) -> frozenset[int]:
        return frozenset(condition.number for condition in self.conditions)


def _optional_int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _load() -> dict[str, PpksType]:
    with (DATA / "ppks_conditions.csv").open(encoding="utf-8", newline="") as source:
        conditions: dict[str, list[Condition]] = {}
        for row in csv.DictReader(source):
            conditions.setdefault(row["code"], []).append(Condition(int(row["number"]), row["text_id"], row["text_en"]))
    with (DATA / "ppks_criteria.csv").open(encoding="utf-8", newline="") as source:
        criteria = {row["code"]: row for row in csv.DictReader(source)}
    with SOURCE.open(encoding="utf-8", newline="") as source:
        return {
            row["code"]: PpksType(
                row["code"],
                row["name"],
                row["group"],
                min_age=_optional_int(criteria[row["code"]]["min_age"]),
                max_age=_optional_int(criteria[row["code"]]["max_age"]),
                sex=criteria[row["code"]]["sex"],
                for_other_ages=criteria[row["code"]]["for_other_ages"],
                conditions=tuple(conditions.get(row["code"], ())),
            )
            for row in csv.DictReader(source)
        }


PPKS_TYPES = _load()
PPKS_CODES = list(PPKS_TYPES)
PPKS_CHOICES = [(ppks.code, f"{ppks.code} {ppks.name}") for ppks in PPKS_TYPES.values()]
CODE_LENGTH = len("PPKS-01")

_BY_TEXT = {fold(ppks.code): ppks.code for ppks in PPKS_TYPES.values()} | {
    fold(ppks.name): ppks.code for ppks in PPKS_TYPES.values()
}


def resolve(text: str) -> str | None:
    """The code for a PPKS type written as its code (PPKS-07, ppks-7) or official name."""
    folded = fold(text)
    if folded in _BY_TEXT:
        return _BY_TEXT[folded]
    number = folded.removeprefix("ppks-").removeprefix("ppks ")
    if number.isdigit() and f"PPKS-{int(number):02d}" in PPKS_TYPES:
        return f"PPKS-{int(number):02d}"
    return None


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def refusal(code: str, *, birth_date: datetime.date | None, sex: str, on: datetime.date) -> str | None:
    """Why a person born on `birth_date` of `sex` cannot be mapped as type `code` on
    `on` (a message naming the type's ages), or None when they fit. An unknown birth
    date is not refused: many PPKS have no papers, and the TKSK verifies."""
    ppks = PPKS_TYPES[code]
    if ppks.sex and sex and sex != ppks.sex:
        return _("%(code)s %(name)s is for women only.") % {"code": code, "name": ppks.name}
    if birth_date is None:
        return None
    age = age_on(birth_date, on)
    if (ppks.min_age is None or age >= ppks.min_age) and (ppks.max_age is None or age <= ppks.max_age):
        return None
    message = _("%(code)s %(name)s is for ages %(ages)s; this person is %(age)s years old.") % {
        "code": code,
        "name": ppks.name,
        "ages": ppks.ages(),
        "age": age,
    }
    other = PPKS_TYPES.get(ppks.for_other_ages)
    if other is not None and refusal(other.code, birth_date=birth_date, sex=sex, on=on) is None:
        message += " " + _("For this age: %(code)s %(name)s.") % {"code": other.code, "name": other.name}
    return message
