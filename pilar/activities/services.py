"""Every change to activities and monthly reports; pages, the API, commands and the
demo call these.

A monthly report's figures are counted again at every submission and kept with it,
so what the supervisor approves is what the worker submitted, whatever is recorded
afterwards. A report is due by `REPORT_DUE_DAY` of the next month; one submitted
later is late, one not submitted by then is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.activities import policy
from pilar.activities.figures import count_month
from pilar.activities.models import (
    REPORT_MOVES,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Letterhead,
    MonthlyReport,
    ReportEvent,
    ReportStatus,
    next_month,
)
from pilar.cases.attachments import check_upload
from pilar.core import images
from pilar.core.history import stamp
from pilar.core.scoping import subtree
from pilar.core.versions import check_version
from pilar.notices import services as notices
from pilar.notices.models import NoticeKind
from pilar.regions.models import Region
from pilar.workforce.kinds import WorkerKind
from pilar.workforce.models import Engagement, Institution, Worker

REPORT_DUE_DAY = 5


def _check_activity(
    *, kind: str, title: str, held_on: datetime.date, region: Region, men: int, women: int, acting_user: Any
) -> None:
    if acting_user is not None and not policy.can_record(acting_user, region.code):
        raise PermissionDenied(_("You may record activities only in your own area."))
    if kind not in ActivityKind.values:
        raise ValidationError(_("Choose the kind of activity."), code="kind")
    if not title.strip():
        raise ValidationError(_("Give the activity a title."), code="title")
    if held_on > timezone.localdate():
        raise ValidationError(_("The activity's date is in the future."), code="future")
    if men < 0 or women < 0:
        raise ValidationError(_("Participants cannot be negative."), code="participants")


@transaction.atomic
def record_activity(
    *,
    kind: str,
    title: str,
    held_on: datetime.date,
    region: Region,
    place: str = "",
    organisers: Sequence[Worker] = (),
    partners: Sequence[Institution] = (),
    men: int = 0,
    women: int = 0,
    notes: str = "",
    acting_user: Any,
) -> Activity:
    _check_activity(
        kind=kind, title=title, held_on=held_on, region=region, men=men, women=women, acting_user=acting_user
    )
    activity = Activity(
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        region=region,
        place=place.strip(),
        men=men,
        women=women,
        notes=notes.strip(),
        recorded_by=acting_user,
    )
    stamp(activity, acting_user, _("Recorded"))
    activity.save()
    activity.organisers.set(organisers)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def update_activity(
    activity: Activity, *, acting_user: Any, expected_version: str | None = None, **changes: Any
) -> Activity:
    """Correct an activity (its history keeps what it was); `StaleVersion` when it
    changed after `expected_version`."""
    if acting_user is not None and not policy.can_record(acting_user, activity.region_id):
        raise PermissionDenied(_("You may record activities only in your own area."))
    organisers = changes.pop("organisers", None)
    partners = changes.pop("partners", None)
    allowed = {"kind", "title", "held_on", "region", "place", "men", "women", "notes"}
    if set(changes) - allowed:
        raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    for name, value in changes.items():
        setattr(activity, name, value)
    _check_activity(
        kind=activity.kind,
        title=activity.title,
        held_on=activity.held_on,
        region=activity.region,
        men=activity.men,
        women=activity.women,
        acting_user=acting_user,
    )
    stamp(activity, acting_user, _("Corrected"))
    activity.save()
    if organisers is not None:
        activity.organisers.set(organisers)
    if partners is not None:
        activity.partners.set(partners)
    return activity


def add_photo(activity: Activity, *, upload: Any, acting_user: Any) -> ActivityPhoto:
    if acting_user is not None and not policy.can_record(acting_user, activity.region_id):
        raise PermissionDenied(_("You may record activities only in your own area."))
    content_type = check_upload(upload)
    stored = images.kept(upload, content_type)
    photo = ActivityPhoto(
        activity=activity,
        original_name=(getattr(upload, "name", "") or "foto")[-200:],
        content_type=content_type,
        size=stored.size,
        uploaded_at=timezone.now(),
    )
    photo.file.save("foto", stored, save=False)
    photo.save()
    return photo


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return first_of_month(first_of_month(day) - datetime.timedelta(days=1))


def parse_month(text: str) -> datetime.date | None:
    """`YYYY-MM` (as pages, the API and `pilar report monthly` write a month), or None."""
    try:
        return datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        return None


def due_date(month: datetime.date) -> datetime.date:
    return next_month(month).replace(day=REPORT_DUE_DAY)


def _require_author(acting_user: Any, engagement: Engagement) -> None:
    if acting_user is not None and not policy.is_author(acting_user, engagement):
        raise PermissionDenied(_("Only the worker writes and submits their own monthly report."))


def report_for(engagement: Engagement, month: datetime.date) -> MonthlyReport:
    """The worker's report of `month` (unsaved and empty when not started)."""
    if engagement.kind not in policy.REPORTING_KINDS:
        raise ValidationError(_("Only PSM and TKSK file monthly reports."), code="kind")
    month = first_of_month(month)
    existing = MonthlyReport.objects.filter(engagement=engagement, month=month).first()
    return existing or MonthlyReport(engagement=engagement, month=month)


def _step(report: MonthlyReport, to_status: str, comment: str, acting_user: Any, now: datetime.datetime) -> None:
    if to_status not in REPORT_MOVES[report.status]:
        raise ValidationError(
            _("A report that is %(from)s cannot become %(to)s.")
            % {"from": report.get_status_display().lower(), "to": ReportStatus(to_status).label.lower()},
            code="illegal_move",
        )
    ReportEvent.objects.create(
        report=report, from_status=report.status, to_status=to_status, comment=comment, acting_user=acting_user, at=now
    )
    report.status = to_status


@transaction.atomic
def save_narrative(
    engagement: Engagement,
    month: datetime.date,
    *,
    narrative: str,
    acting_user: Any,
    expected_version: str | None = None,
) -> MonthlyReport:
    """Write the worker's own words into a draft or a returned report."""
    _require_author(acting_user, engagement)
    report = report_for(engagement, month)
    if report.pk:
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        check_version(report, expected_version)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(_("A submitted report can no longer be changed."), code="submitted")
    report.narrative = narrative.strip()
    stamp(report, acting_user, _("Narrative"))
    report.save()
    return report


@transaction.atomic
def submit_report(
    engagement: Engagement, month: datetime.date, *, narrative: str | None = None, acting_user: Any
) -> MonthlyReport:
    """Count the month's figures, keep them with the report, and submit it for review."""
    _require_author(acting_user, engagement)
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError(_("A month that has not begun cannot be reported."), code="future")
    report = report_for(engagement, month)
    if report.pk:
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    now = timezone.now()
    if narrative is not None:
        report.narrative = narrative.strip()
    report.figures = count_month(engagement, month).as_dict()
    report.submitted_at = now
    if report.pk is None:
        report.save()
    _step(report, ReportStatus.SUBMITTED, "", acting_user, now)
    stamp(report, acting_user, _("Submitted"))
    report.save()
    notices.notify(
        reviewers(engagement),
        NoticeKind.REPORT_SUBMITTED,
        url=_report_url(report),
        params={"worker": engagement.worker.full_name, "month": f"{month:%Y-%m}"},
        excluding=acting_user,
    )
    return report


def reviewers(engagement: Engagement) -> list[User]:
    """Who reviews the worker's reports: the users holding the supervisor's role there."""
    role, code = policy.supervisor_place(engagement)
    return list(User.objects.holding(role, code))


def _report_url(report: MonthlyReport) -> str:
    return reverse("activities:report-detail", args=[report.engagement_id, f"{report.month:%Y-%m}"])


@transaction.atomic
def review_report(report: MonthlyReport, *, approve: bool, comment: str = "", acting_user: Any) -> MonthlyReport:
    """The supervisor approves the report, or returns it with a comment."""
    if acting_user is not None and policy.is_author(acting_user, report.engagement):
        raise PermissionDenied(_("Nobody reviews their own report: another supervisor must review it."))
    if acting_user is not None and not policy.can_review(acting_user, report):
        raise PermissionDenied(_("Only the worker's supervisor reviews this report."))
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(_("Say what the worker should change."), code="comment_required")
    now = timezone.now()
    _step(report, ReportStatus.APPROVED if approve else ReportStatus.RETURNED, comment, acting_user, now)
    report.reviewed_by = acting_user
    report.reviewed_at = now
    report.review_comment = comment
    stamp(report, acting_user, comment or _("Approved"))
    report.save()
    author = report.engagement.worker.account
    if author is not None:
        notices.notify(
            [author],
            NoticeKind.REPORT_APPROVED if approve else NoticeKind.REPORT_RETURNED,
            url=_report_url(report),
            params={"month": f"{report.month:%Y-%m}", "comment": comment},
            excluding=acting_user,
        )
    return report


def supervised_engagements(user: Any, month: datetime.date | None = None) -> Iterable[Engagement]:
    """The active PSM and TKSK whose reports `user` reviews; with `month`, only those
    already active before it ended (a worker appointed later owes no report for it)."""
    result = Engagement.objects.none()
    for kind, code in policy.supervised_places(user):
        result = result | Engagement.objects.active().filter(subtree("region__code", code), kind=kind)
    if month is not None:  # active since: the appointment decree's date, else when it was recorded
        ends = next_month(month)
        recorded_before = timezone.make_aware(datetime.datetime.combine(ends, datetime.time()))
        result = result.filter(
            Q(decree_date__lt=ends) | Q(decree_date__isnull=True, status_changed_at__lt=recorded_before)
        )
    return result.select_related("worker", "region").order_by("kind", "region_id", "worker__full_name")


def reports_to_review(user: Any) -> QuerySet[MonthlyReport]:
    """The submitted reports of the workers `user` supervises, oldest first."""
    return (
        MonthlyReport.objects.visible_to(user)
        .filter(engagement__in=list(supervised_engagements(user)), status=ReportStatus.SUBMITTED)
        .select_related("engagement__worker", "engagement__region")
        .order_by("submitted_at")
    )


def missing_and_late(user: Any, month: datetime.date, today: datetime.date | None = None) -> dict[str, Any]:
    """For a supervisor: of the workers who owe a report for `month`, those who have
    not submitted it (`missing`, `overdue` once the due date passed) and the reports
    submitted after the due date (`late`); `expected` counts the workers."""
    today = today or timezone.localdate()
    states = report_states(user, month, today)
    return {
        "expected": len(states),
        "missing": [state.engagement for state in states if not state.submitted],
        "overdue": today > due_date(month),
        "late": [state.report for state in states if state.submitted and state.late],
    }


@dataclass(frozen=True)
class ReportState:
    """One supervised worker's report for a month: the report, if any, and whether it
    came (or is still missing) after the due date."""

    engagement: Engagement
    report: MonthlyReport | None
    late: bool

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.submitted_at is not None


def report_states(user: Any, month: datetime.date, today: datetime.date | None = None) -> list[ReportState]:
    """Every worker `user` supervises, with their report for `month` (the supervisor's
    table of the month, also exported)."""
    today = today or timezone.localdate()
    month = first_of_month(month)
    due = due_date(month)
    engagements = list(supervised_engagements(user, month))
    reports = {
        report.engagement_id: report for report in MonthlyReport.objects.filter(engagement__in=engagements, month=month)
    }
    states = []
    for engagement in engagements:
        report = reports.get(engagement.pk)
        if report is None or report.submitted_at is None:
            late = today > due
        else:
            late = timezone.localdate(report.submitted_at) > due
        states.append(ReportState(engagement, report, late))
    return states


def reporting_engagement(worker: Worker) -> Engagement:
    """The worker's active PSM or TKSK engagement (the one that reports)."""
    engagement = (
        worker.engagements.active().filter(kind__in=[WorkerKind.TKSK, WorkerKind.PSM]).order_by("-kind").first()
    )
    if engagement is None:
        raise ValidationError(_("%(name)s is not an active PSM or TKSK.") % {"name": worker.full_name})
    return engagement


@transaction.atomic
def save_letterhead(letterhead: Letterhead, *, acting_user: Any, expected_version: str | None = None) -> Letterhead:
    """Record the letterhead of a social office (a regency or a province)."""
    if acting_user is not None and not policy.manages_office(acting_user, letterhead.region_id):
        raise PermissionDenied(_("Only the social office sets its letterhead."))
    if letterhead.pk:
        check_version(Letterhead.objects.select_for_update().get(pk=letterhead.pk), expected_version)
    stamp(letterhead, acting_user, _("Letterhead"))
    letterhead.save()
    return letterhead
