"""The home page: each role's work, counted, each count a link to the list it counts.

A count and its list come from the same queryset or function (the case work lists,
the verification queue, the report list, coverage, the TKSK assignments), so that
what the home page says is what the list shows.
- PSM: cases waiting for her, due within three days, overdue; the visits she planned
  for the coming week; the PPKS records of her village waiting for verification and
  those rejected; this month's report.
- TKSK: the verification queue, cases waiting at the kecamatan and overdue, the
  reports of her PSM to review, villages without an active PSM; her own report.
- Regency and province offices: cases escalated to them and overdue, the workers who
  owe last month's report, villages without a PSM and kecamatan without a TKSK,
  TKSK assignments ending within 30 days, quotas not met.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pilar.accounts.roles import Role
from pilar.activities import services as reporting
from pilar.activities.models import MonthlyReport, ReportStatus
from pilar.beneficiaries.models import Person, PpksRecord, PpksStatus
from pilar.cases import worklists
from pilar.regions.models import Region
from pilar.reports.pillars import coverage, quotas_against_actual
from pilar.workforce import assignments
from pilar.workforce.kinds import WorkerKind
from pilar.workforce.models import Assignment, Engagement, Quota


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str
    # Something late or refused: shown first and marked.
    urgent: bool = False


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    # A sentence instead of a count (this month's report).
    notes: list[tuple[str, str]] = field(default_factory=list)


def _cases(user: Any, now: datetime.datetime) -> list[Item]:
    url = reverse("cases:case-list")
    lists = (
        ("menunggu", _("Cases waiting for your action"), False),
        ("segera", _("Cases due within 3 days"), False),
        ("terlambat", _("Overdue cases"), True),
    )
    return [
        Item(label, worklists.work_list(user, name, now).count(), f"{url}?daftar={name}", urgent)
        for name, label, urgent in lists
    ]


def _visits(user: Any, now: datetime.datetime) -> Item:
    planned = worklists.work_list(user, "kunjungan", now).count()
    return Item(_("Visits planned within 7 days"), planned, f"{reverse('cases:case-list')}?daftar=kunjungan")


def _people_with(user: Any, status: str) -> int:
    records = PpksRecord.objects.visible_to(user).filter(status=status, person__isnull=False)
    return Person.objects.visible_to(user).current().filter(pk__in=records.values("person_id")).count()


def _records(user: Any) -> list[Item]:
    url = reverse("beneficiaries:person-list")
    return [
        Item(_("People whose PPKS records wait for verification"), _people_with(user, PpksStatus.REPORTED),
             f"{url}?status={PpksStatus.REPORTED}"),
        Item(_("People whose PPKS records were rejected"), _people_with(user, PpksStatus.REJECTED),
             f"{url}?status={PpksStatus.REJECTED}", urgent=True),
    ]  # fmt: skip


def _own_report(user: Any, today: datetime.date) -> list[tuple[str, str]]:
    """This month's report of each of the user's reporting engagements, in words."""
    notes = []
    month = reporting.first_of_month(today)
    for engagement in Engagement.objects.filter(
        worker__account=user, kind__in=(WorkerKind.PSM, WorkerKind.TKSK)
    ).active():
        report = MonthlyReport.objects.filter(engagement=engagement, month=month).first()
        url = reverse("activities:report-detail", args=[engagement.pk, f"{month:%Y-%m}"])
        if report is None:
            text = _("Your report for this month: not started yet.")
        elif report.status == ReportStatus.RETURNED:
            text = _("Your report for this month was returned: %(reason)s") % {"reason": report.review_comment}
        else:
            text = _("Your report for this month: %(status)s.") % {"status": report.get_status_display().lower()}
        notes.append((text, url))
    return notes


def _areas(user: Any, roles: set[str]) -> list[Region]:
    return [
        assignment.region
        for assignment in user.active_role_assignments()
        if assignment.role in roles and assignment.region is not None
    ]


def _coverage_items(regions: list[Region], *, tksk: bool) -> list[Item]:
    items = []
    for region in regions:
        total = coverage(region).total
        url = f"{reverse('reports:coverage')}?{urlencode({'region': region.code})}"
        items.append(
            Item(_("Villages without an active PSM in %(region)s") % {"region": region.name},
                 total.villages - total.villages_with_psm, url, urgent=True)
        )  # fmt: skip
        if tksk:
            items.append(
                Item(_("Kecamatan without a TKSK in %(region)s") % {"region": region.name},
                     total.districts - total.districts_with_tksk, url, urgent=True)
            )  # fmt: skip
    return items


def _reports_to_review(user: Any) -> Item:
    return Item(
        _("Monthly reports to review"), reporting.reports_to_review(user).count(), reverse("activities:report-list")
    )


def _missing_reports(user: Any, today: datetime.date) -> Item:
    month = reporting.previous_month(today)
    gaps = reporting.missing_and_late(user, month, today)
    return Item(
        _("Workers who owe their report for %(month)s") % {"month": _month_name(month)},
        len(gaps["missing"]),
        f"{reverse('activities:report-list')}?bulan={month:%Y-%m}",
        urgent=gaps["overdue"],
    )


def _month_name(month: datetime.date) -> str:
    return date_format(month, "F Y")


def _office_items(user: Any, today: datetime.date) -> list[Item]:
    visible = Assignment.objects.visible_to(user)
    ending = assignments.ending_soon(visible, today).count()
    quotas = quotas_against_actual(list(Quota.objects.visible_to(user).filter(year=today.year)))
    return [
        Item(_("TKSK assignments ending within 30 days"), ending, reverse("workforce:assignment-list"), urgent=True),
        Item(_("Quotas of this year not met"), sum(1 for line in quotas if line.actual < line.quota.target),
             reverse("workforce:quota-list")),
    ]  # fmt: skip


def sections(user: Any, now: datetime.datetime | None = None) -> list[Section]:
    """The user's work, a section per kind of role they hold."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    roles = {assignment.role for assignment in user.active_role_assignments()}
    result = []
    if Role.PSM in roles:
        psm = Section(_("My village"), [*_cases(user, now), _visits(user, now), *_records(user)])
        psm.notes = _own_report(user, today)
        result.append(psm)
    if Role.TKSK in roles:
        queue = PpksRecord.objects.visible_to(user).filter(status=PpksStatus.REPORTED).exclude(reported_by=user)
        tksk = Section(
            _("My kecamatan"),
            [
                Item(_("PPKS records to verify"), queue.count(), reverse("beneficiaries:verification-queue")),
                *_cases(user, now),
                _reports_to_review(user),
                *_coverage_items(_areas(user, {Role.TKSK}), tksk=False),
            ],
        )
        tksk.notes = _own_report(user, today)
        result.append(tksk)
    offices = _areas(user, {Role.DINSOS_KABKOTA, Role.DINSOS_PROVINSI})
    if offices:
        result.append(
            Section(
                _("My office"),
                [
                    *_cases(user, now),
                    _missing_reports(user, today),
                    *_coverage_items(offices, tksk=True),
                    *_office_items(user, today),
                ],
            )
        )
    for section in result:
        section.items.sort(key=lambda item: not (item.urgent and item.count))
    return result
