"""A monthly report as a document: the page's content as PDF (WeasyPrint, A4, with
the office letterhead), as an XLSX workbook, or as JSON for the command line.

The figures printed are those kept with a submitted report, or counted now for a
draft (marked as such)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from pilar.activities.figures import FIGURE_KEYS, count_month
from pilar.activities.models import ActivityKind, Letterhead, MonthlyReport
from pilar.core import pdf
from pilar.core.scoping import Scope
from pilar.core.tabular import safe_cell
from pilar.regions.models import Region, RegionLevel


def figure_labels() -> dict[str, str]:
    return {
        "ppks_mapped": _("PPKS records mapped"),
        "ppks_verified": _("PPKS records verified"),
        "ppks_rejected": _("PPKS records rejected"),
        "cases_opened": _("Cases opened"),
        "cases_handled": _("Cases handled"),
        "visits": _("Accompaniment visits"),
        "referrals": _("Referrals sent"),
        "escalations": _("Cases escalated"),
        "cases_closed": _("Cases closed"),
        "activities": _("Activities organised"),
        "participants_men": _("Participants, men"),
        "participants_women": _("Participants, women"),
        "participants": _("Participants, total"),
    }


@dataclass
class ReportDocument:
    report: MonthlyReport
    figures: dict[str, Any]
    is_draft: bool
    letterhead: Letterhead

    @property
    def rows(self) -> list[tuple[str, int]]:
        labels = figure_labels()
        return [(labels[key], int(self.figures.get(key, 0))) for key in FIGURE_KEYS]

    @property
    def activity_rows(self) -> list[tuple[str, int]]:
        return [
            (str(ActivityKind(kind).label), count) for kind, count in self.figures.get("activities_by_kind", {}).items()
        ]

    def as_dict(self) -> dict[str, Any]:
        report = self.report
        return {
            "worker": report.engagement.worker_id,
            "name": report.engagement.worker.full_name,
            "kind": report.engagement.kind,
            "region": report.engagement.region_id,
            "month": f"{report.month:%Y-%m}",
            "status": report.status if report.pk else "draf",
            "figures": {key: self.figures.get(key, 0) for key in FIGURE_KEYS},
            "activities_by_kind": self.figures.get("activities_by_kind", {}),
            "narrative": report.narrative,
        }


def default_letterhead(region: Region | None) -> Letterhead:
    """The letterhead of the office above `region`: the regency's (or the province's)
    own when recorded, otherwise one made from the region's name; the ministry's for
    the whole country."""
    if region is None:
        return Letterhead(government="REPUBLIK INDONESIA", office="KEMENTERIAN SOSIAL")
    codes = [region.code[:5], region.code[:2]]
    for code in codes:
        found = Letterhead.objects.filter(region_id=code).first()
        if found is not None:
            return found
    office = Region.objects.filter(code=codes[0]).first() or region
    name = f"Provinsi {office.name}" if office.level == RegionLevel.PROVINCE else office.name
    return Letterhead(region=office, government=f"PEMERINTAH {name.upper()}", office="DINAS SOSIAL")


def office_letterhead(user: Any) -> Letterhead:
    """The letterhead of the viewer's own office: the one above their area (the first,
    if they hold several), the ministry's for a national role."""
    scope = Scope.for_user(user)
    if scope.everything or not scope.roots:
        return default_letterhead(None)
    return default_letterhead(Region.objects.get(code=min(scope.roots)))


def document_for(report: MonthlyReport) -> ReportDocument:
    is_draft = report.submitted_at is None
    figures = count_month(report.engagement, report.month).as_dict() if is_draft else report.figures
    return ReportDocument(
        report=report, figures=figures, is_draft=is_draft, letterhead=default_letterhead(report.engagement.region)
    )


def render_pdf(document: ReportDocument, *, generated: datetime.datetime) -> bytes:
    return pdf.render_pdf("activities/report_pdf.html", {"document": document, "generated": generated})


def render_xlsx(document: ReportDocument) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Monthly report")[:31])
    bold = workbook.add_format({"bold": True})
    report = document.report
    header = [
        (_("Worker"), report.engagement.worker.full_name),
        (_("Kind"), report.engagement.get_kind_display()),
        (_("Region"), f"{report.engagement.region.name} ({report.engagement.region_id})"),
        (_("Month"), f"{report.month:%Y-%m}"),
        (_("Status"), report.get_status_display()),
    ]
    row: int = 0
    for label, text in header:
        sheet.write_string(row, 0, str(safe_cell(label)), bold)
        sheet.write_string(row, 1, str(safe_cell(text)))
        row += 1
    row += 1
    for label, value in document.rows:
        sheet.write_string(row, 0, str(safe_cell(label)))
        sheet.write_number(row, 1, value)
        row += 1
    row += 1
    for label, value in document.activity_rows:
        sheet.write_string(row, 0, str(safe_cell(label)))
        sheet.write_number(row, 1, value)
        row += 1
    row += 1
    sheet.write_string(row, 0, _("Narrative"), bold)
    # The narrative is the worker's own text: it may begin like a formula.
    sheet.write_string(row + 1, 0, str(safe_cell(report.narrative)))
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 30)
    workbook.close()
    return buffer.getvalue()
