"""The dashboard and the coverage map of a region (the viewer's own by default).

Both are read-only views over recaps and summaries; a region outside the viewer's
scope is 404. Every number links to the list behind it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilar.activities.models import ActivityKind
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.cases.models import CaseStatus
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.scoping import Scope
from pilar.notices import services as notices
from pilar.notices.models import Notice
from pilar.regions.models import Region, RegionLevel
from pilar.reports import home as home_work
from pilar.reports.dashboard import Dashboard, dashboard
from pilar.reports.maps import INDICATORS, map_data
from pilar.reports.pdf import pdf_response
from pilar.reports.pillars import PILLAR_KEYS
from pilar.reports.views import breadcrumbs, chosen_region
from pilar.workforce.kinds import InstitutionKind, WorkerKind, short_name
from pilar.workforce.models import Engagement


def month_names(months: list[str]) -> list[str]:
    """ "2026-01" -> "Jan 2026", in the page's language."""
    return [date_format(datetime.date.fromisoformat(f"{month}-01"), "M Y") for month in months]


def _links(board: Dashboard) -> dict[str, Any]:
    """Where each number of the dashboard leads: the list it counts."""
    code = board.region.code if board.region else ""
    workers = reverse("workforce:worker-list")
    institutions = reverse("workforce:institution-list")
    pillar_links = {kind: f"{workers}?kind={kind}&region={code}&status=aktif" for kind in WorkerKind.values}
    pillar_links.update(
        {kind: f"{institutions}?kind={kind}&region={code}&status=aktif" for kind in InstitutionKind.values}
    )
    people = reverse("beneficiaries:person-list")
    cases = reverse("cases:case-list")
    activities = reverse("activities:activity-list")
    return {
        "pillars": pillar_links,
        "ppks": {category: f"{people}?category={category}&region={code}" for category in PPKS_TYPES},
        "cases": {status: f"{cases}?daftar=semua&status={status}&region={code}" for status in CaseStatus.values},
        "overdue": f"{cases}?daftar=semua&overdue=on&region={code}",
        "activities": {kind: f"{activities}?kind={kind}&region={code}" for kind in ActivityKind.values},
        "coverage": f"{reverse('reports:coverage')}?region={code}",
        "no_psm": f"{reverse('reports:coverage')}?region={code}&list=psm",
        "no_tksk": f"{reverse('reports:coverage')}?region={code}&list=tksk",
    }


def _context(request: AuthenticatedHttpRequest) -> dict[str, object]:
    region = chosen_region(request)
    board = dashboard(region)
    record_request(request, action=AccessAction.VIEW, model=Engagement, ids=[], count=0)
    links = _links(board)
    return {
        "region": region,
        "board": board,
        "links": links,
        "pillar_rows": [
            (short_name(key), value, links["pillars"][key])
            for key, value in board.pillars.counts.items()
            if value or key in (WorkerKind.PSM, WorkerKind.TKSK)
        ],
        "ppks_rows": [
            (PPKS_TYPES[code].name, value, links["ppks"][code]) for code, value in board.ppks.items() if value
        ],
        "case_rows": [
            (CaseStatus(status).label, value, links["cases"][status]) for status, value in board.cases_by_status.items()
        ],
        "activity_rows": [
            (ActivityKind(kind).label, value, links["activities"][kind])
            for kind, value in board.activities_by_kind.items()
            if value
        ],
        "monthly_rows": [
            (label, [values[index] for values in board.monthly.series.values()])
            for index, label in enumerate(month_names(board.monthly.labels))
        ],
        "pillar_keys": PILLAR_KEYS,
        "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
        "can_map": region is None or region.level <= RegionLevel.REGENCY,
        "charts": {
            "ppks": {"labels": [code[5:] for code in board.ppks], "values": list(board.ppks.values())},
            "cases": {
                "labels": [str(CaseStatus(status).label) for status in board.cases_by_status],
                "values": list(board.cases_by_status.values()),
            },
            "activities": {
                "labels": [str(ActivityKind(kind).label) for kind in board.activities_by_kind],
                "values": list(board.activities_by_kind.values()),
            },
            "monthly": {"labels": month_names(board.monthly.labels), "series": board.monthly.series},
            "yearly": {"labels": board.yearly.labels, "series": board.yearly.series},
            "names": {
                "cases_opened": _("Cases opened"),
                "cases_closed": _("Cases closed"),
                "activities": _("Activities"),
                "ppks_mapped": _("PPKS records mapped"),
            },
        },
    }


def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", _context(request))


def dashboard_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _context(request)
    record_request(request, action=AccessAction.EXPORT, model=Engagement, ids=[], count=0)
    region = context["region"]
    code = region.code if isinstance(region, Region) else "nasional"
    return pdf_response("reports/dashboard_pdf.html", context, f"dasbor-{code}", user=request.user)


def map_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = chosen_region(request)
    indicator = request.GET.get("indikator", "psm")
    if indicator not in INDICATORS:
        indicator = "psm"
    data = map_data(region, indicator, request.GET.get("kategori", ""))
    shapes = [{"code": area.code, "name": area.name, "value": area.value} for area in data.shapes]
    return render(
        request,
        "reports/map.html",
        {
            "region": region,
            "data": data,
            "indicators": INDICATORS,
            "ppks_types": PPKS_TYPES,
            "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
            "map": {
                "layer": data.layer_url,
                "object": data.layer_object,
                "prefix": region.code + "." if region and region.level <= RegionLevel.REGENCY else "",
                "areas": shapes,
                "percent": data.is_percent,
                "legend": str(INDICATORS[indicator]),
                "drill": data.drills_down,
                "target": request.path,
                "dashboard": reverse("reports:dashboard"),
                "query": f"indikator={indicator}&kategori={data.category}",
            },
        },
    )


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's work, counted (pilar.reports.home)."""
    return render(
        request,
        "reports/home.html",
        {
            "sections": home_work.sections(request.user),
            "notices": [
                (notice, notices.describe(notice))
                for notice in Notice.objects.filter(user=request.user, read_at__isnull=True)[:5]
            ],
            "assignments": request.user.active_role_assignments(),
        },
    )
