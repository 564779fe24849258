"""The 26 PPKS types (data/ppks_categories.csv): stable codes PPKS-01..26 and their
official names. The official names are Indonesian in every language, like the names
of regions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pilar.regions.text import fold

SOURCE = Path(__file__).parent / "data" / "ppks_categories.csv"


@dataclass(frozen=True)
class PpksType:
    code: str
    name: str
    group: str

    @property
    def number(self) -> int:
        return int(self.code.removeprefix("PPKS-"))


def _load() -> dict[str, PpksType]:
    with SOURCE.open(encoding="utf-8", newline="") as source:
        return {row["code"]: PpksType(row["code"], row["name"], row["group"]) for row in csv.DictReader(source)}


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
