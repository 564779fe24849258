"""The dashboard of a region: every figure a social office, a TKSK or a PSM watches,
from the recaps and summaries (never a scan of the people table), with trends.

Trends count by month over the last 12 months and by year over the last 5: cases
opened and closed and activities held everywhere; PPKS records mapped only from the
regency down (above it the records are counted in summaries, which keep no dates).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone

from pilar.activities.models import Activity, ActivityKind
from pilar.beneficiaries.models import PpksRecord
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.cases.models import OPEN_STATUSES, Case, CaseStatus
from pilar.regions.models import Region, RegionLevel
from pilar.reports.cases import case_recap
from pilar.reports.pillars import (
    CoverageLine,
    PillarRecap,
    QuotaLine,
    coverage,
    pillar_recap,
    quotas_against_actual,
    within,
)
from pilar.reports.ppks import ppks_recap
from pilar.workforce.models import Quota


@dataclass
class Trend:
    labels: list[str]
    series: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Dashboard:
    region: Region | None
    pillars: PillarRecap
    coverage: CoverageLine
    quotas: list[QuotaLine]
    ppks: dict[str, int]
    ppks_total: int
    cases_by_status: dict[str, int]
    cases_overdue: int
    cases_open: int
    activities_by_kind: dict[str, int]
    participants: int
    monthly: Trend
    yearly: Trend

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region.code if self.region else None,
            "pillars": self.pillars.counts,
            "coverage": self.coverage.as_dict(),
            "quotas": [
                {
                    "region": line.quota.region_id,
                    "kind": line.quota.kind,
                    "year": line.quota.year,
                    "target": line.quota.target,
                    "actual": line.actual,
                }
                for line in self.quotas
            ],
            "ppks": self.ppks,
            "cases_by_status": self.cases_by_status,
            "cases_overdue": self.cases_overdue,
            "activities_by_kind": self.activities_by_kind,
            "participants": self.participants,
            "monthly": {"labels": self.monthly.labels, **self.monthly.series},
            "yearly": {"labels": self.yearly.labels, **self.yearly.series},
        }


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return list(reversed(months))


def _series(rows: Any, keys: list[datetime.date]) -> list[int]:
    counts = {
        timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment: n for moment, n in rows
    }
    return [counts.get(key, 0) for key in keys]


def trends(region: Region | None, today: datetime.date) -> tuple[Trend, Trend]:
    months = _months(today, 12)
    years = [datetime.date(today.year - back, 1, 1) for back in range(4, -1, -1)]
    since_month = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    since_year = timezone.make_aware(datetime.datetime.combine(years[0], datetime.time.min))
    cases = Case.objects.filter(within("region__code", region))
    activities = Activity.objects.filter(within("region__code", region))
    sources: dict[str, tuple[Any, str, bool]] = {
        "cases_opened": (cases, "opened_at", True),
        "cases_closed": (cases.filter(status=CaseStatus.CLOSED), "closed_at", True),
        "activities": (activities, "held_on", False),
    }
    if region is not None and region.level >= RegionLevel.REGENCY:
        sources["ppks_mapped"] = (PpksRecord.objects.filter(within("region__code", region)), "reported_at", True)
    monthly, yearly = Trend(labels=[f"{month:%Y-%m}" for month in months]), Trend(labels=[str(y.year) for y in years])
    for name, (queryset, field_name, is_moment) in sources.items():
        start_month = since_month if is_moment else months[0]
        start_year = since_year if is_moment else years[0]
        by_month = (
            queryset.filter(**{f"{field_name}__gte": start_month})
            .annotate(bucket=TruncMonth(field_name))
            .values_list("bucket")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_year = (
            queryset.filter(**{f"{field_name}__gte": start_year})
            .annotate(bucket=TruncYear(field_name))
            .values_list("bucket")
            .annotate(n=Count("pk"))
            .order_by()
        )
        monthly.series[name] = _series(by_month, months)
        yearly.series[name] = _series(by_year, years)
    return monthly, yearly


def dashboard(region: Region | None, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    ppks = ppks_recap(region)
    cases = case_recap(region)
    by_status: dict[str, int] = {str(status): 0 for status in OPEN_STATUSES}
    for statuses in cases.open_by_level.values():
        for status, count in statuses.items():
            by_status[status] += count
    by_status[CaseStatus.CLOSED] = cases.counts["closed"]
    year_start = datetime.date(today.year, 1, 1)
    activities = Activity.objects.filter(within("region__code", region), held_on__gte=year_start)
    by_kind = dict.fromkeys(ActivityKind.values, 0)
    participants = 0
    for kind, count, men, women in (
        activities.values_list("kind").annotate(n=Count("pk"), men=Sum("men"), women=Sum("women")).order_by()
    ):
        by_kind[kind] = count
        participants += (men or 0) + (women or 0)
    quotas = list(
        Quota.objects.filter(within("region__code", region), year=today.year).order_by("region_id", "kind")[:20]
    )
    monthly, yearly = trends(region, today)
    return Dashboard(
        region=region,
        pillars=pillar_recap(region),
        coverage=coverage(region).total,
        quotas=quotas_against_actual(quotas),
        ppks={code: ppks.counts[code] for code in PPKS_TYPES},
        ppks_total=ppks.total,
        cases_by_status=by_status,
        cases_overdue=cases.counts["overdue"],
        cases_open=cases.counts["open"],
        activities_by_kind=by_kind,
        participants=participants,
        monthly=monthly,
        yearly=yearly,
    )
