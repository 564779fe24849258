"""Loading the official area list (Kemendagri codes) into the Region table.

The source is a folder of four CSV files (provinces, regencies, districts, villages),
shipped in `pilar/regions/data/wilayah`. The whole source is read and validated before
anything is written; one bad line stops the load with the file and line named, and
the database is left as it was. A load is idempotent: a second run changes nothing.
A code that disappears from a newer source is marked inactive, never deleted, because
records elsewhere may still point at it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from pilar.core.bulk import insert_rows
from pilar.regions.models import Region, RegionKind, RegionLevel
from pilar.regions.text import fold

DEFAULT_SOURCE = Path(__file__).resolve().parent / "data" / "wilayah"


@dataclass(frozen=True)
class SourceFile:
    level: int
    filename: str
    parent_column: str | None
    code_pattern: re.Pattern[str]

    @property
    def columns(self) -> list[str]:
        if self.parent_column is None:
            return ["code", "name"]
        return ["code", self.parent_column, "name"]


SOURCE_FILES = [
    SourceFile(1, "provinces.csv", None, re.compile(r"\d{2}")),
    SourceFile(2, "regencies.csv", "province_code", re.compile(r"\d{2}\.\d{2}")),
    SourceFile(3, "districts.csv", "regency_code", re.compile(r"\d{2}\.\d{2}\.\d{2}")),
    SourceFile(4, "villages.csv", "district_code", re.compile(r"\d{2}\.\d{2}\.\d{2}\.[123]\d{3}")),
]


@dataclass(frozen=True)
class SourceRegion:
    code: str
    level: int
    name: str
    parent_code: str | None


class RegionSourceError(Exception):
    """The source is malformed; `problems` lists every problem as "file:line: message"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadReport:
    created: int = 0
    renamed: int = 0
    moved: int = 0
    deactivated: int = 0
    reactivated: int = 0
    total_active_by_level: dict[int, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any((self.created, self.renamed, self.moved, self.deactivated, self.reactivated))


def kind_for(code: str, level: int, name: str) -> str:
    if level == RegionLevel.PROVINCE:
        return RegionKind.PROVINCE
    if level == RegionLevel.REGENCY:
        return RegionKind.CITY if name.startswith("Kota ") else RegionKind.REGENCY
    if level == RegionLevel.DISTRICT:
        return RegionKind.DISTRICT
    # The first digit of a village serial tells its kind (Kemendagri convention).
    return {
        "1": RegionKind.URBAN_VILLAGE,
        "2": RegionKind.VILLAGE,
        "3": RegionKind.CUSTOMARY_VILLAGE,
    }[code.rsplit(".", 1)[1][0]]


def build_region(*, code: str, name: str, is_active: bool = True) -> Region:
    """An unsaved Region with every derived column set from its code and name."""
    level = code.count(".") + 1
    return Region(
        code=code,
        level=level,
        kind=kind_for(code, level, name),
        name=name,
        search_name=fold(name),
        parent_id=code.rsplit(".", 1)[0] if level > 1 else None,
        is_active=is_active,
    )


def read_source(directory: Path) -> list[SourceRegion]:
    """Read and validate the four files; raise RegionSourceError listing every problem."""
    problems: list[str] = []
    regions: list[SourceRegion] = []
    known_codes: dict[str, str] = {}  # code -> "file:line" where it was first seen
    for source in SOURCE_FILES:
        path = directory / source.filename
        if not path.is_file():
            problems.append(_("%(file)s: file not found.") % {"file": path})
            continue
        regions.extend(_read_file(path, source, known_codes, problems))
    if problems:
        raise RegionSourceError(problems)
    return regions


def _read_file(path: Path, source: SourceFile, known_codes: dict[str, str], problems: list[str]) -> list[SourceRegion]:
    rows: list[SourceRegion] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != source.columns:
            problems.append(
                _("%(file)s:1: expected the columns %(expected)s, found %(found)s.")
                % {
                    "file": path.name,
                    "expected": ", ".join(source.columns),
                    "found": ", ".join(header or []) or _("nothing"),
                }
            )
            return rows
        for line_number, row in enumerate(reader, start=2):
            where = f"{path.name}:{line_number}"
            if len(row) != len(source.columns):
                problems.append(
                    _("%(where)s: expected %(expected)d columns, found %(found)d.")
                    % {"where": where, "expected": len(source.columns), "found": len(row)}
                )
                continue
            if source.parent_column is None:
                code, name = row[0].strip(), row[1].strip()
                parent_code = None
            else:
                code, parent_code, name = row[0].strip(), row[1].strip(), row[2].strip()
            if not source.code_pattern.fullmatch(code):
                problems.append(_("%(where)s: invalid code %(code)r.") % {"where": where, "code": code})
                continue
            if not name:
                problems.append(_("%(where)s: the name is empty.") % {"where": where})
                continue
            if code in known_codes:
                problems.append(
                    _("%(where)s: duplicate code %(code)s (first at %(first)s).")
                    % {"where": where, "code": code, "first": known_codes[code]}
                )
                continue
            if parent_code is not None:
                if parent_code != code.rsplit(".", 1)[0]:
                    problems.append(
                        _("%(where)s: parent %(parent)s does not match code %(code)s.")
                        % {"where": where, "parent": parent_code, "code": code}
                    )
                    continue
                if parent_code not in known_codes:
                    problems.append(
                        _("%(where)s: unknown parent %(parent)s.") % {"where": where, "parent": parent_code}
                    )
                    continue
            known_codes[code] = where
            rows.append(SourceRegion(code, source.level, name, parent_code))
    return rows


def load_regions(directory: Path = DEFAULT_SOURCE) -> LoadReport:
    """Bring the Region table in line with the source folder, in one transaction."""
    source = read_source(directory)
    report = LoadReport()
    existing = {row[0]: row for row in Region.objects.values_list("code", "name", "parent_id", "is_active")}
    to_create: list[SourceRegion] = []
    to_update: list[Region] = []
    for item in source:
        current = existing.get(item.code)
        if current is None:
            to_create.append(item)
            report.created += 1
            continue
        _code, name, parent_code, is_active = current
        if name == item.name and parent_code == item.parent_code and is_active:
            continue
        report.renamed += name != item.name
        report.moved += parent_code != item.parent_code
        report.reactivated += not is_active
        to_update.append(build_region(code=item.code, name=item.name))

    source_codes = {item.code for item in source}
    to_deactivate = [
        code for code, (_c, _n, _p, is_active) in existing.items() if is_active and code not in source_codes
    ]
    report.deactivated = len(to_deactivate)

    with transaction.atomic():
        _insert(to_create)
        Region.objects.bulk_update(to_update, ["name", "search_name", "kind", "parent", "is_active"], batch_size=1000)
        for start in range(0, len(to_deactivate), 1000):
            Region.objects.filter(code__in=to_deactivate[start : start + 1000]).update(is_active=False)

    counts = Region.objects.active().order_by("level").values_list("level").annotate(Count("code"))
    report.total_active_by_level = dict(counts)
    return report


INSERT_COLUMNS = ["code", "level", "kind", "name", "search_name", "parent_id", "is_active"]


def region_rows(regions: list[SourceRegion]) -> list[tuple[str | int | bool | None, ...]]:
    """The INSERT_COLUMNS values of new regions, derived as `build_region` derives them."""
    return [
        (
            item.code,
            item.level,
            kind_for(item.code, item.level, item.name),
            item.name,
            fold(item.name),
            item.parent_code,
            True,
        )
        for item in regions
    ]


def _insert(regions: list[SourceRegion]) -> None:
    """Insert new regions without building model instances (90,000 of them would take
    most of a full load's time). Parents come before children (the source is read in
    level order), and the derived columns are those of `build_region`."""
    with connection.cursor() as cursor:
        insert_rows(cursor, Region._meta.db_table, INSERT_COLUMNS, region_rows(regions))
