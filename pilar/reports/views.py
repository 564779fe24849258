"""Recap and coverage pages. The region comes from `?region=CODE`, defaulting to the
viewer's own area; a region outside the viewer's scope is 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.beneficiaries.models import PpksRecord
from pilar.beneficiaries.ppks import PPKS_CODES, PPKS_TYPES
from pilar.cases.models import OPEN_STATUSES, Case, CaseLevel, CaseStatus, ReferralStatus
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.scoping import Scope
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response
from pilar.regions.models import Region
from pilar.reports import pillars
from pilar.reports.access import recap_region
from pilar.reports.cases import CASE_KEYS, LEVEL_KEYS
from pilar.reports.cases import case_recap as make_case_recap
from pilar.reports.pdf import Column, table_pdf
from pilar.reports.ppks import PpksRecap
from pilar.reports.ppks import ppks_recap as make_ppks_recap
from pilar.workforce.kinds import short_name
from pilar.workforce.models import Engagement

# A recap goes out as a spreadsheet or, to print, as a PDF.
RECAP_FORMATS = (*EXPORT_FORMATS, "pdf")

COVERAGE_LISTS = {
    "psm": pillars.villages_without_psm,
    "tksk": pillars.districts_without_tksk,
    "karang_taruna": pillars.villages_without_karang_taruna,
}


def chosen_region(request: AuthenticatedHttpRequest) -> Region | None:
    return recap_region(request.user, request.GET.get("region", ""))


def breadcrumbs(region: Region | None, scope: Scope) -> list[Region]:
    """The visible ancestors of `region`, from the top."""
    trail = []
    current = region.parent if region else None
    while current is not None:
        if scope.includes(current.code):
            trail.append(current)
        current = current.parent
    return list(reversed(trail))


def pillar_recap(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = chosen_region(request)
    recap = pillars.pillar_recap(region)
    return render(
        request,
        "reports/pillar_recap.html",
        {
            "region": region,
            "recap": recap,
            "titles": [short_name(key) for key in pillars.PILLAR_KEYS],
            "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
            "export_formats": RECAP_FORMATS,
        },
    )


def region_columns() -> list[Column]:
    return [Column("kode_wilayah", _("Region code"), number=False), Column("nama_wilayah", _("Region"), number=False)]


def recap_table(
    request: AuthenticatedHttpRequest,
    export_format: str,
    *,
    recap: pillars.PillarRecap | PpksRecap,
    columns: list[Column],
    model: type[Model],
    name: str,
    title: str,
) -> HttpResponse:
    """A recap as CSV/XLSX/PDF: one row per child region and the total, with a total
    column first when the recap has one (PPKS). Counts only, but logged as an export."""
    with_total = isinstance(recap, PpksRecap)

    def line(code: str | None, label: str, counts: dict[str, int]) -> list[Value]:
        return [code or "", label, *([sum(counts.values())] if with_total else []), *counts.values()]

    rows = [line(child.region, child.name, child.counts) for child in recap.children]
    record_request(
        request,
        action=AccessAction.EXPORT,
        model=model,
        ids=[],
        count=0,
    )
    columns = [*region_columns(), *([Column("total", _("Total"))] if with_total else []), *columns]
    filename = f"{name}-{recap.region or 'nasional'}"
    if export_format == "pdf":
        total = line(recap.region, _("Total"), recap.counts)
        return table_pdf(
            f"{title}: {recap.name}",
            columns,
            rows,
            filename,
            user=request.user,
            leading=3 if with_total else 2,
            total=total,
        )
    rows.append(line(recap.region, "Total", recap.counts))
    return table_response(export_format, filename, [column.key for column in columns], rows)


def pillar_recap_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    if export_format not in RECAP_FORMATS:
        raise Http404
    recap = pillars.pillar_recap(chosen_region(request))
    return recap_table(
        request,
        export_format,
        recap=recap,
        columns=[Column(key, short_name(key)) for key in pillars.PILLAR_KEYS],
        model=Engagement,
        name="rekap-pilar",
        title=_("Pillar recap"),
    )


def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = chosen_region(request)
    result = pillars.coverage(region)
    missing = request.GET.get("list", "")
    page = None
    if missing in COVERAGE_LISTS:
        page = Paginator(COVERAGE_LISTS[missing](region).order_by("code"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/coverage.html",
        {
            "region": region,
            "coverage": result,
            "missing": missing,
            "page": page,
            "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
            "export_formats": RECAP_FORMATS,
        },
    )


def coverage_columns() -> list[Column]:
    return [
        *region_columns(),
        Column("desa", _("Villages")),
        Column("desa_dengan_psm", _("Villages with a PSM")),
        Column("persen_psm", _("PSM %")),
        Column("kecamatan", _("Kecamatan")),
        Column("kecamatan_dengan_tksk", _("Kecamatan with a TKSK")),
        Column("persen_tksk", _("TKSK %")),
        Column("desa_dengan_karang_taruna", _("Villages with a Karang Taruna")),
        Column("persen_karang_taruna", _("Karang Taruna %")),
    ]


def coverage_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """The coverage of every child region and the total or, with `?list=psm|tksk|
    karang_taruna`, every area without one (areas only, logged as an export)."""
    if export_format not in RECAP_FORMATS:
        raise Http404
    region = chosen_region(request)
    missing = request.GET.get("list", "")
    record_request(request, action=AccessAction.EXPORT, model=Engagement, ids=[], count=0)
    suffix = region.code if region else "nasional"
    if missing in COVERAGE_LISTS:
        titles = {
            "psm": _("Villages without an active PSM"),
            "tksk": _("Kecamatan without an active TKSK"),
            "karang_taruna": _("Villages without a Karang Taruna"),
        }
        areas: list[list[Value]] = [
            [code, name] for code, name in COVERAGE_LISTS[missing](region).order_by("code").values_list("code", "name")
        ]
        filename = f"tanpa-{missing.replace('_', '-')}-{suffix}"
        if export_format == "pdf":
            title = f"{titles[missing]}: {pillars.region_name(region)}"
            return table_pdf(title, region_columns(), areas, filename, user=request.user)
        return table_response(export_format, filename, [column.key for column in region_columns()], areas)
    result = pillars.coverage(region)
    rows: list[list[Value]] = [
        [
            line.region or "",
            line.name,
            line.villages,
            line.villages_with_psm,
            line.psm_percent,
            line.districts,
            line.districts_with_tksk,
            line.tksk_percent,
            line.villages_with_karang_taruna,
            line.karang_taruna_percent,
        ]
        for line in [*result.children, result.total]
    ]
    columns = coverage_columns()
    filename = f"cakupan-{suffix}"
    if export_format == "pdf":
        rows[-1][1] = _("Total")
        title = f"{_('Coverage')}: {result.total.name}"
        return table_pdf(title, columns, rows[:-1], filename, user=request.user, total=rows[-1])
    rows[-1][1] = "Total"
    return table_response(export_format, filename, [column.key for column in columns], rows)


def ppks_recap(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = chosen_region(request)
    recap = make_ppks_recap(region)
    return render(
        request,
        "reports/ppks_recap.html",
        {
            "region": region,
            "recap": recap,
            "types": list(PPKS_TYPES.values()),
            "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
            "export_formats": RECAP_FORMATS,
        },
    )


def ppks_recap_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    if export_format not in RECAP_FORMATS:
        raise Http404
    recap = make_ppks_recap(chosen_region(request))
    return recap_table(
        request,
        export_format,
        recap=recap,
        columns=[Column(code, PPKS_TYPES[code].name) for code in PPKS_CODES],
        model=PpksRecord,
        name="rekap-ppks",
        title=_("PPKS recap"),
    )


def case_recap(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = chosen_region(request)
    recap = make_case_recap(region)
    levels = [(CaseLevel(level).label, recap.open_by_level[key]) for level, key in LEVEL_KEYS.items()]
    return render(
        request,
        "reports/case_recap.html",
        {
            "region": region,
            "recap": recap,
            "levels": levels,
            "open_statuses": [CaseStatus(status) for status in OPEN_STATUSES],
            "referral_statuses": list(ReferralStatus),
            "crumbs": breadcrumbs(region, Scope.for_user(request.user)),
            "export_formats": RECAP_FORMATS,
        },
    )


def case_recap_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """Every child region's figures and the total (counts only, logged as an export)."""
    if export_format not in RECAP_FORMATS:
        raise Http404
    recap = make_case_recap(chosen_region(request))
    # The median is the whole area's: a child's line leaves it empty.
    rows: list[list[Value]] = [
        [child.region or "", child.name, *child.counts.values(), None] for child in recap.children
    ]
    rows.append([recap.region or "", recap.name, *recap.counts.values(), recap.median_days_to_close])
    record_request(request, action=AccessAction.EXPORT, model=Case, ids=[], count=0)
    titles = {
        "open": _("Open"),
        "overdue": _("Overdue"),
        "closed": _("Closed"),
        "escalations": _("Escalations"),
        "referrals": _("Referrals"),
    }
    columns = [
        *region_columns(),
        *(Column(key, titles[key]) for key in CASE_KEYS),
        Column("median_hari_sampai_ditutup", _("Median days to close")),
    ]
    filename = f"rekap-kasus-{recap.region or 'nasional'}"
    if export_format == "pdf":
        rows[-1][1] = _("Total")
        title = f"{_('Case recap')}: {recap.name}"
        return table_pdf(title, columns, rows[:-1], filename, user=request.user, total=rows[-1])
    rows[-1][1] = "Total"
    return table_response(export_format, filename, [column.key for column in columns], rows)
