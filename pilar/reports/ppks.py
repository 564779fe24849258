"""PPKS recap: records per type for a region, with the breakdown by child region.

Counts every PPKS record that is not rejected. Above the kecamatan (nation, province,
regency) the figures come from `PpksSummary` (kecamatan x type), so a national recap
reads at most 7,285 x 26 summary rows and never the records; a kecamatan and a
village are counted from their own records (a few thousand at most, through the
index on region).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from pilar.beneficiaries.models import PpksRecord
from pilar.beneficiaries.ppks import PPKS_CODES
from pilar.beneficiaries.summaries import summaries_within
from pilar.core.scoping import subtree
from pilar.regions.models import Region, RegionLevel
from pilar.reports.pillars import child_code_length, child_regions, region_name


def _zero() -> dict[str, int]:
    return dict.fromkeys(PPKS_CODES, 0)


@dataclass
class PpksCounts:
    region: str | None
    name: str
    counts: dict[str, int] = field(default_factory=_zero)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, object]:
        return {"region": self.region, "name": self.name, "total": self.total, "counts": dict(self.counts)}


@dataclass
class PpksRecap(PpksCounts):
    children: list[PpksCounts] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "children": [child.as_dict() for child in self.children]}


def _grouped(region: Region | None, length: int | None) -> list[tuple[str | None, str, int]]:
    """(child code or None, type, count) inside `region`."""
    if region is not None and region.level >= RegionLevel.DISTRICT:
        records = PpksRecord.objects.counted().filter(subtree("region__code", region.code))
        if length is None:
            return [(None, category, n) for category, n in records.values_list("category").annotate(n=Count("pk"))]
        rows = (
            records.annotate(child=Substr("region_id", 1, length))
            .values_list("child", "category")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return list(rows)
    summaries = summaries_within(region.code if region else None)
    rows = (
        summaries.annotate(child=Substr("district_id", 1, length))
        .values_list("child", "category")
        .annotate(n=Sum("total"))
        .order_by()
    )
    return list(rows)


def ppks_recap(region: Region | None) -> PpksRecap:
    length = child_code_length(region)
    recap = PpksRecap(region=region.code if region else None, name=region_name(region))
    children = {child.code: PpksCounts(region=child.code, name=child.name) for child in child_regions(region)}
    for child, category, count in _grouped(region, length):
        recap.counts[category] += count
        if child in children:
            children[child].counts[category] += count
    recap.children = list(children.values())
    return recap
