"""Case recap for a region: open cases by level and status, overdue, closed,
escalations, referrals by destination and answer, and the median time to close, with
the main figures for each child region.

A case counts in the region of its village (where it was opened), whichever level
holds it now: the recap of a kecamatan shows its people's cases even when the
province is handling them. Cases are few next to people (one in tens of PPKS), so
the figures are grouped straight from the case tables through their region index.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from pilar.cases.models import (
    OPEN_STATUSES,
    Agency,
    Case,
    CaseEvent,
    CaseLevel,
    CaseStatus,
    EventKind,
    Referral,
    ReferralStatus,
)
from pilar.regions.models import Region
from pilar.reports.pillars import child_code_length, child_regions, region_name, within
from pilar.workforce.kinds import InstitutionKind

LEVEL_KEYS = {
    CaseLevel.VILLAGE: "desa",
    CaseLevel.DISTRICT: "kecamatan",
    CaseLevel.REGENCY: "kabupaten",
    CaseLevel.PROVINCE: "provinsi",
    CaseLevel.MINISTRY: "pusat",
}
# The figures of every region line, in this order in tables and files.
CASE_KEYS = ["open", "overdue", "closed", "escalations", "referrals"]


@dataclass
class CaseCounts:
    region: str | None
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CASE_KEYS, 0))

    def as_dict(self) -> dict[str, object]:
        return {"region": self.region, "name": self.name, **self.counts}


@dataclass
class ReferralLine:
    destination: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ReferralStatus.values, 0))

    def as_dict(self) -> dict[str, object]:
        return {"destination": self.destination, "label": self.label, **self.counts}


@dataclass
class CaseRecap(CaseCounts):
    open_by_level: dict[str, dict[str, int]] = field(default_factory=dict)
    referrals_by_destination: list[ReferralLine] = field(default_factory=list)
    median_days_to_close: float | None = None
    children: list[CaseCounts] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            **super().as_dict(),
            "open_by_level": self.open_by_level,
            "referrals_by_destination": [line.as_dict() for line in self.referrals_by_destination],
            "median_days_to_close": self.median_days_to_close,
            "children": [child.as_dict() for child in self.children],
        }


def _per_child(queryset: QuerySet[Any], field_name: str, length: int | None) -> dict[str | None, int]:
    if length is None:
        return {None: queryset.count()}
    rows = (
        queryset.annotate(child=Substr(field_name, 1, length)).values_list("child").annotate(n=Count("pk")).order_by()
    )
    return dict(rows)


def _destination(kind: str, institution_kind: str | None, programme: str | None, agency: str) -> tuple[str, str]:
    if kind == "lembaga":
        return f"lembaga:{institution_kind}", str(InstitutionKind(institution_kind or "").label)
    if kind == "program":
        code, name = (programme or "").split("\t", 1)
        return f"program:{code}", name
    return f"instansi:{agency}", str(Agency(agency).label)


def case_recap(region: Region | None, now: datetime.datetime | None = None) -> CaseRecap:
    now = now or timezone.now()
    length = child_code_length(region)
    recap = CaseRecap(region=region.code if region else None, name=region_name(region))
    children = {child.code: CaseCounts(region=child.code, name=child.name) for child in child_regions(region)}
    cases = Case.objects.filter(within("region__code", region))
    figures = {
        "open": _per_child(cases.filter(status__in=OPEN_STATUSES), "region_id", length),
        "overdue": _per_child(cases.overdue(now), "region_id", length),
        "closed": _per_child(cases.filter(status=CaseStatus.CLOSED), "region_id", length),
        "escalations": _per_child(
            CaseEvent.objects.filter(within("case__region__code", region), kind=EventKind.ESCALATION),
            "case__region_id",
            length,
        ),
        "referrals": _per_child(
            Referral.objects.filter(within("case__region__code", region)), "case__region_id", length
        ),
    }
    for key, per_child in figures.items():
        for child, count in per_child.items():
            recap.counts[key] += count
            if child in children:
                children[child].counts[key] += count
    recap.children = list(children.values())

    recap.open_by_level = {key: dict.fromkeys(OPEN_STATUSES, 0) for key in LEVEL_KEYS.values()}
    for level, status, count in (
        cases.filter(status__in=OPEN_STATUSES).values_list("level", "status").annotate(n=Count("pk")).order_by()
    ):
        recap.open_by_level[LEVEL_KEYS[CaseLevel(level)]][status] = count

    lines: dict[str, ReferralLine] = {}
    referrals = (
        Referral.objects.filter(within("case__region__code", region))
        .values_list("destination_kind", "institution__kind", "programme__code", "programme__name", "agency")
        .annotate(
            **{status: Count("pk", filter=Q(status=status)) for status in ReferralStatus.values},
        )
        .order_by()
    )
    for kind, institution_kind, programme_code, programme_name, agency, *by_status in referrals:
        programme = f"{programme_code}\t{programme_name}" if programme_code else None
        key, label = _destination(kind, institution_kind, programme, agency)
        line = lines.setdefault(key, ReferralLine(destination=key, label=label))
        for status, count in zip(ReferralStatus.values, by_status, strict=True):
            line.counts[status] += count
    recap.referrals_by_destination = sorted(lines.values(), key=lambda line: line.destination)

    durations = [
        (closed - opened).total_seconds() / 86400
        for opened, closed in cases.filter(status=CaseStatus.CLOSED, closed_at__isnull=False).values_list(
            "opened_at", "closed_at"
        )
        if closed is not None
    ]
    recap.median_days_to_close = round(statistics.median(durations), 1) if durations else None
    return recap
