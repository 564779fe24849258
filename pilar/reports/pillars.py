"""Recaps of the pillars: counts, coverage and quotas for a region and its children.

Every figure counts active records only (active engagements, active institutions,
active regions), computed by grouping on the leading characters of the region code:
area codes have a fixed length per level (`18`, `18.01`, `18.01.04`,
`18.01.04.2001`), so the child a record falls in is a prefix of its code. `None` as
the region means the whole nation, whose children are the provinces.

Records held at the region's own level (a Tagana of a regency office, a Karang
Taruna of a kecamatan) count in the region's totals but in no child.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from pilar.core.scoping import subtree
from pilar.regions.models import Region, RegionLevel
from pilar.workforce.kinds import InstitutionKind, InstitutionStatus, WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement, Institution, Quota

CODE_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.REGENCY: 5, RegionLevel.DISTRICT: 8, RegionLevel.VILLAGE: 13}
PILLAR_KEYS = [*WorkerKind.values, *InstitutionKind.values]


def child_code_length(region: Region | None) -> int | None:
    if region is None:
        return CODE_LENGTH[RegionLevel.PROVINCE]
    if region.level == RegionLevel.VILLAGE:
        return None
    return CODE_LENGTH[RegionLevel(region.level + 1)]


def within(field_name: str, region: Region | None) -> Q:
    return Q() if region is None else subtree(field_name, region.code)


def child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.active().filter(level=RegionLevel.PROVINCE).order_by("code"))
    return list(region.children.active().order_by("code"))


def region_name(region: Region | None) -> str:
    return region.name if region else _("Indonesia (national)")


@dataclass
class PillarCounts:
    region: str | None
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PILLAR_KEYS, 0))

    def as_dict(self) -> dict[str, object]:
        return {"region": self.region, "name": self.name, "counts": dict(self.counts)}


@dataclass
class PillarRecap(PillarCounts):
    children: list[PillarCounts] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "children": [child.as_dict() for child in self.children]}


def _grouped_counts(queryset, region: Region | None, length: int | None):  # type: ignore[no-untyped-def]
    """(child code or None, kind, count) for the rows of `queryset` inside `region`."""
    rows = queryset.filter(within("region__code", region))
    if length is None:
        return [(None, row["kind"], row["n"]) for row in rows.values("kind").annotate(n=Count("pk"))]
    grouped = (
        rows.annotate(child=Substr("region_id", 1, length)).values("child", "kind").annotate(n=Count("pk")).order_by()
    )
    return [(row["child"], row["kind"], row["n"]) for row in grouped]


def pillar_recap(region: Region | None) -> PillarRecap:
    length = child_code_length(region)
    recap = PillarRecap(region=region.code if region else None, name=region_name(region))
    children = {child.code: PillarCounts(region=child.code, name=child.name) for child in child_regions(region)}
    sources = [
        Engagement.objects.serving(),
        Institution.objects.filter(status=InstitutionStatus.ACTIVE),
    ]
    for queryset in sources:
        for child, kind, count in _grouped_counts(queryset, region, length):
            recap.counts[kind] += count
            if child in children:
                children[child].counts[kind] += count
    recap.children = list(children.values())
    return recap


@dataclass
class CoverageLine:
    region: str | None
    name: str
    villages: int = 0
    villages_with_psm: int = 0
    villages_with_karang_taruna: int = 0
    districts: int = 0
    districts_with_tksk: int = 0

    @staticmethod
    def percent(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0

    @property
    def villages_without_psm(self) -> int:
        return self.villages - self.villages_with_psm

    @property
    def villages_without_karang_taruna(self) -> int:
        return self.villages - self.villages_with_karang_taruna

    @property
    def districts_without_tksk(self) -> int:
        return self.districts - self.districts_with_tksk

    @property
    def psm_percent(self) -> float:
        return self.percent(self.villages_with_psm, self.villages)

    @property
    def tksk_percent(self) -> float:
        return self.percent(self.districts_with_tksk, self.districts)

    @property
    def karang_taruna_percent(self) -> float:
        return self.percent(self.villages_with_karang_taruna, self.villages)

    def as_dict(self) -> dict[str, object]:
        return {
            "region": self.region,
            "name": self.name,
            "villages": self.villages,
            "villages_with_psm": self.villages_with_psm,
            "villages_with_karang_taruna": self.villages_with_karang_taruna,
            "districts": self.districts,
            "districts_with_tksk": self.districts_with_tksk,
            "psm_percent": self.psm_percent,
            "karang_taruna_percent": self.karang_taruna_percent,
            "tksk_percent": self.tksk_percent,
        }


@dataclass
class Coverage:
    total: CoverageLine
    children: list[CoverageLine]


def _active_psm() -> Exists:
    return Exists(
        Engagement.objects.filter(region_id=OuterRef("code"), kind=WorkerKind.PSM, status=WorkerStatus.ACTIVE)
    )


def _active_tksk() -> Exists:
    return Exists(Engagement.objects.serving().filter(region_id=OuterRef("code"), kind=WorkerKind.TKSK))


def _active_karang_taruna() -> Exists:
    return Exists(
        Institution.objects.filter(
            region_id=OuterRef("code"), kind=InstitutionKind.KARANG_TARUNA, status=InstitutionStatus.ACTIVE
        )
    )


def villages_without_psm(region: Region | None):  # type: ignore[no-untyped-def]
    return Region.objects.active().filter(within("code", region), level=RegionLevel.VILLAGE).exclude(_active_psm())


def villages_without_karang_taruna(region: Region | None):  # type: ignore[no-untyped-def]
    return (
        Region.objects.active()
        .filter(within("code", region), level=RegionLevel.VILLAGE)
        .exclude(_active_karang_taruna())
    )


def districts_without_tksk(region: Region | None):  # type: ignore[no-untyped-def]
    return Region.objects.active().filter(within("code", region), level=RegionLevel.DISTRICT).exclude(_active_tksk())


def coverage(region: Region | None) -> Coverage:
    length = child_code_length(region)
    total = CoverageLine(region=region.code if region else None, name=region_name(region))
    children = {child.code: CoverageLine(region=child.code, name=child.name) for child in child_regions(region)}
    areas = Region.objects.active().filter(within("code", region))
    child_expression = Substr("code", 1, length) if length else Substr("code", 1, 13)
    villages = (
        areas.filter(level=RegionLevel.VILLAGE)
        .annotate(child=child_expression, has_psm=_active_psm(), has_karang_taruna=_active_karang_taruna())
        .values("child")
        .annotate(
            n=Count("code"),
            with_psm=Count("code", filter=Q(has_psm=True)),
            with_karang_taruna=Count("code", filter=Q(has_karang_taruna=True)),
        )
        .order_by()
    )
    for row in villages:
        for line in (total, children.get(row["child"])):
            if line is not None:
                line.villages += row["n"]
                line.villages_with_psm += row["with_psm"]
                line.villages_with_karang_taruna += row["with_karang_taruna"]
    districts = (
        areas.filter(level=RegionLevel.DISTRICT)
        .annotate(child=child_expression, has_tksk=_active_tksk())
        .values("child")
        .annotate(n=Count("code"), with_tksk=Count("code", filter=Q(has_tksk=True)))
        .order_by()
    )
    for district_row in districts:
        for line in (total, children.get(district_row["child"])):
            if line is not None:
                line.districts += district_row["n"]
                line.districts_with_tksk += district_row["with_tksk"]
    return Coverage(total=total, children=list(children.values()))


@dataclass
class QuotaLine:
    quota: Quota
    actual: int

    @property
    def gap(self) -> int:
        return self.quota.target - self.actual

    @property
    def percent(self) -> float:
        return CoverageLine.percent(self.actual, self.quota.target)


def quotas_against_actual(quotas: list[Quota]) -> list[QuotaLine]:
    """Each quota beside the active workers of its kind in its region, today."""
    actual: dict[tuple[str, str], int] = defaultdict(int)
    for region_code, kind in {(quota.region_id, quota.kind) for quota in quotas}:
        actual[(region_code, kind)] = (
            Engagement.objects.serving().filter(within("region__code", Region(code=region_code)), kind=kind).count()
        )
    return [QuotaLine(quota=quota, actual=actual[(quota.region_id, quota.kind)]) for quota in quotas]
