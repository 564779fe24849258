"""Pages of activities and monthly reports.

An activity or a report outside the viewer's area is 404; changes go through
`services`, which refuse (403) what the viewer's role may not do. Reports and their
files are written to the access log (they name the people a worker accompanied only
as counts, but they are a worker's personal record).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.activities import documents, policy, services
from pilar.activities.forms import ActivityFilterForm, ActivityForm, LetterheadForm, NarrativeForm, ReviewForm
from pilar.activities.models import Activity, ActivityPhoto, Letterhead, MonthlyReport, ReportStatus
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.once import once_per_key
from pilar.core.scoping import Scope, subtree
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response
from pilar.core.versions import StaleVersion, version_of
from pilar.core.views import edit_version, stale_edit
from pilar.regions.models import Region
from pilar.workforce.kinds import InstitutionStatus, WorkerStatus
from pilar.workforce.models import Engagement, Institution, Worker

PAGE_SIZE = 50


def filtered_activities(request: AuthenticatedHttpRequest) -> tuple[ActivityFilterForm, QuerySet[Activity]]:
    form = ActivityFilterForm(request.GET or None)
    activities = Activity.objects.visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            activities = activities.filter(kind=data["kind"])
        month = services.parse_month(data["month"])
        if month:
            activities = activities.in_month(month)
        if data["region"].strip():
            activities = activities.filter(subtree("region__code", data["region"].strip()))
    return form, activities.order_by("-held_on", "-pk")


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, activities = filtered_activities(request)
    page = Paginator(activities.select_related("region"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/activity_list.html",
        {
            "form": form,
            "page": page,
            "can_record": policy.records_somewhere(request.user),
            "export_formats": EXPORT_FORMATS,
        },
    )


def activity_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _form, activities = filtered_activities(request)
    rows: list[list[Value]] = [
        [
            activity.held_on,
            activity.get_kind_display(),
            activity.title,
            activity.region_id,
            activity.region.name,
            activity.place,
            ", ".join(worker.full_name for worker in activity.organisers.all()),
            ", ".join(institution.name for institution in activity.partners.all()),
            activity.men,
            activity.women,
            activity.participants,
        ]
        for activity in activities.select_related("region").prefetch_related("organisers", "partners")
    ]
    record_request(request, action=AccessAction.EXPORT, model=Activity, ids=[], count=len(rows))
    headers = [
        "tanggal",
        "jenis",
        "judul",
        "kode_wilayah",
        "nama_wilayah",
        "tempat",
        "penyelenggara",
        "mitra",
        "peserta_laki_laki",
        "peserta_perempuan",
        "peserta_total",
    ]
    return table_response(export_format, "kegiatan", headers, rows)


def _form_choices(user: Any) -> tuple[QuerySet[Worker], QuerySet[Institution]]:
    """The workers and institutions of the user's area that can organise or partner."""
    engagements = Engagement.objects.visible_to(user).exclude(status=WorkerStatus.INACTIVE)
    workers = Worker.objects.filter(engagements__in=engagements).distinct().order_by("full_name")
    institutions = Institution.objects.visible_to(user).filter(status=InstitutionStatus.ACTIVE).order_by("name")
    return workers, institutions


def _activity_form(request: AuthenticatedHttpRequest, activity: Activity | None) -> ActivityForm:
    workers, institutions = _form_choices(request.user)
    initial: dict[str, Any] = {"held_on": timezone.localdate(), "men": 0, "women": 0}
    own = Worker.objects.filter(account=request.user).first()
    if activity is not None:
        initial = {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "region": activity.region_id,
            "place": activity.place,
            "organisers": list(activity.organisers.all()),
            "partners": list(activity.partners.all()),
            "men": activity.men,
            "women": activity.women,
            "notes": activity.notes,
        }
    else:
        if own is not None:
            initial["organisers"] = [own]
        scope = Scope.for_user(request.user)
        if len(scope.roots) == 1:
            initial["region"] = next(iter(scope.roots))
    return ActivityForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        workers=workers,
        institutions=institutions,
        regions=policy.recording_regions(request.user),
    )


def _save_activity(
    request: AuthenticatedHttpRequest, form: ActivityForm, activity: Activity | None, version: str
) -> Activity:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("kind", "title", "held_on", "region", "place", "men", "women", "notes")}
    if activity is None:
        activity = services.record_activity(
            **fields,
            organisers=list(data["organisers"]),
            partners=list(data["partners"]),
            acting_user=request.user,
        )
    else:
        activity = services.update_activity(
            activity,
            **fields,
            organisers=list(data["organisers"]),
            partners=list(data["partners"]),
            acting_user=request.user,
            expected_version=version,
        )
    if data.get("photo"):
        services.add_photo(activity, upload=data["photo"], acting_user=request.user)
    return activity


@once_per_key("activities.activity-create")
def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.records_somewhere(request.user):
        raise PermissionDenied(_("Your role does not record activities."))
    return _activity_page(request, None)


def _activity_page(request: AuthenticatedHttpRequest, activity: Activity | None) -> HttpResponse:
    form = _activity_form(request, activity)
    version = edit_version(request, activity)
    context = {"form": form, "activity": activity, "version": version}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the activity and its photo, or neither
                activity = _save_activity(request, form, activity, version)
        except StaleVersion as stale:
            return stale_edit(request, "activities/activity_form.html", context, form=form, current=stale.current)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("activities:activity-detail", activity.pk)
    return render(request, "activities/activity_form.html", context)


def visible_activity(request: AuthenticatedHttpRequest, activity_id: int) -> Activity:
    return get_object_or_404(Activity.objects.visible_to(request.user).select_related("region"), pk=activity_id)


def activity_detail(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = visible_activity(request, activity_id)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "can_record": policy.can_record(request.user, activity.region_id),
            "history": activity.history.select_related("history_user").order_by("-history_date")[:10],
        },
    )


def activity_edit(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = visible_activity(request, activity_id)
    if not policy.can_record(request.user, activity.region_id):
        raise PermissionDenied(_("You may record activities only in your own area."))
    return _activity_page(request, activity)


def activity_photo(request: AuthenticatedHttpRequest, photo_id: int) -> FileResponse:
    photo = get_object_or_404(
        ActivityPhoto.objects.filter(activity__in=Activity.objects.visible_to(request.user)), pk=photo_id
    )
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Monthly reports -------------------------------------------------------------------


def visible_engagement(request: AuthenticatedHttpRequest, engagement_id: int) -> Engagement:
    return get_object_or_404(
        Engagement.objects.visible_to(request.user).select_related("worker", "region"), pk=engagement_id
    )


def _report(request: AuthenticatedHttpRequest, engagement_id: int, month_text: str) -> MonthlyReport:
    engagement = visible_engagement(request, engagement_id)
    month = services.parse_month(month_text)
    if month is None or engagement.kind not in policy.REPORTING_KINDS:
        raise Http404
    return services.report_for(engagement, month)


def _chosen_month(request: AuthenticatedHttpRequest) -> datetime.date:
    """`?bulan=YYYY-MM`, by default the month before this one (the one now due)."""
    return services.parse_month(request.GET.get("bulan", "")) or services.previous_month(timezone.localdate())


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The viewer's own reports, the reports waiting for their review, and the missing
    and late reports of the workers they supervise for the chosen month."""
    today = timezone.localdate()
    month = _chosen_month(request)
    own = [
        engagement
        for engagement in Engagement.objects.filter(worker__account=request.user, kind__in=policy.REPORTING_KINDS)
        .active()
        .select_related("region", "worker")
    ]
    supervised = list(services.supervised_engagements(request.user))
    waiting = services.reports_to_review(request.user)
    my_reports = MonthlyReport.objects.filter(engagement__in=own).select_related("engagement").order_by("-month")[:24]
    months = [services.first_of_month(today)]
    for _step in range(5):
        months.append(services.previous_month(months[-1]))
    return render(
        request,
        "activities/report_list.html",
        {
            "month": month,
            "months": months,
            "own": own,
            "my_reports": my_reports,
            "waiting": waiting,
            "supervises": bool(supervised),
            "gaps": services.missing_and_late(request.user, month, today) if supervised else None,
            "due": services.due_date(month),
            "export_formats": EXPORT_FORMATS,
        },
    )


def report_status_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """The supervisor's table of a month: every worker they supervise, with the state
    of their report, when it was submitted and whether it is late or missing."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    if not policy.supervised_places(request.user):
        raise PermissionDenied(_("Only supervisors have workers' reports to list."))
    month = _chosen_month(request)
    states = services.report_states(request.user, month)
    yes, no = _("yes"), _("no")
    rows: list[list[Value]] = [
        [
            month.strftime("%Y-%m"),
            state.engagement.worker.full_name,
            state.engagement.kind,
            state.engagement.region_id,
            state.engagement.region.name,
            state.report.get_status_display() if state.report else _("Not started"),
            timezone.localtime(state.report.submitted_at).date()
            if state.report and state.report.submitted_at
            else None,
            yes if state.late else no,
        ]
        for state in states
    ]
    record_request(request, action=AccessAction.EXPORT, model=MonthlyReport, ids=[], count=len(rows))
    headers = ["bulan", "nama_pekerja", "peran", "kode_wilayah", "nama_wilayah", "status", "diajukan", "terlambat"]
    return table_response(export_format, f"laporan-bulanan-{month:%Y-%m}", headers, rows)


def report_detail(request: AuthenticatedHttpRequest, engagement_id: int, month: str) -> HttpResponse:
    report = _report(request, engagement_id, month)
    is_author = policy.is_author(request.user, report.engagement)
    form = NarrativeForm(request.POST or None, initial={"narrative": report.narrative})
    if request.method == "POST":
        if not is_author:
            raise PermissionDenied(_("Only the worker writes and submits their own monthly report."))
        if form.is_valid():
            narrative = form.cleaned_data["narrative"]
            try:
                if "submit" in request.POST:
                    services.submit_report(
                        report.engagement, report.month, narrative=narrative, acting_user=request.user
                    )
                    messages.success(request, _("The report is submitted to your supervisor."))
                else:
                    services.save_narrative(
                        report.engagement,
                        report.month,
                        narrative=narrative,
                        acting_user=request.user,
                        expected_version=request.POST.get("version", ""),
                    )
                    messages.success(request, _("Saved."))
            except StaleVersion:
                messages.error(
                    request,
                    _("The report changed after you opened it; your text is kept below: compare, then save again."),
                )
                report = _report(request, engagement_id, month)
                return _report_page(request, report, form, status=409)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            return redirect("activities:report-detail", engagement_id, month)
    return _report_page(request, report, form)


def _report_page(
    request: AuthenticatedHttpRequest, report: MonthlyReport, form: NarrativeForm, status: int = 200
) -> HttpResponse:
    if report.pk:
        record_request(request, action=AccessAction.VIEW, model=MonthlyReport, ids=[report.pk])
    document = documents.document_for(report)
    is_author = policy.is_author(request.user, report.engagement)
    editable = is_author and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
    return render(
        request,
        "activities/report_detail.html",
        {
            "report": report,
            "document": document,
            "form": form if editable else None,
            "version": version_of(report) if report.pk else "",
            "saved_narrative": report.narrative if status == 409 else None,
            "review_form": ReviewForm() if report.pk and policy.can_review(request.user, report) else None,
            "events": report.events.select_related("acting_user") if report.pk else [],
            "month_text": f"{report.month:%Y-%m}",
            "due": services.due_date(report.month),
        },
        status=status,
    )


@require_POST
def report_review(request: AuthenticatedHttpRequest, engagement_id: int, month: str) -> HttpResponse:
    report = _report(request, engagement_id, month)
    if report.pk is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.review_report(
                report, approve=approve, comment=form.cleaned_data["comment"], acting_user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Approved.") if approve else _("Returned to the worker."))
    return redirect("activities:report-detail", engagement_id, month)


def report_download(request: AuthenticatedHttpRequest, engagement_id: int, month: str, file_format: str) -> Any:
    if file_format not in ("pdf", "xlsx"):
        raise Http404
    report = _report(request, engagement_id, month)
    document = documents.document_for(report)
    record_request(request, action=AccessAction.EXPORT, model=MonthlyReport, ids=[report.pk] if report.pk else [])
    name = f"laporan-{report.engagement.kind.lower()}-{report.engagement.worker_id}-{month}.{file_format}"
    if file_format == "pdf":
        content = documents.render_pdf(document, generated=timezone.localtime())
        response = HttpResponse(content, content_type="application/pdf")
    else:
        content = documents.render_xlsx(document)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def letterhead_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A Dinsos operator sets the letterhead of their office (regency or province)."""
    offices = [
        assignment.region
        for assignment in request.user.active_role_assignments()
        if assignment.region is not None and policy.manages_office(request.user, assignment.region.code)
    ]
    if not offices:
        raise PermissionDenied(_("Only the social office sets its letterhead."))
    region = offices[0]
    chosen = request.GET.get("region") or request.POST.get("region")
    if chosen:
        region = next((office for office in offices if office.code == chosen), None) or _not_found()
    instance = Letterhead.objects.filter(region=region).first() or documents.default_letterhead(region)
    instance.region = region
    version = edit_version(request, instance)
    context = {"region": region, "offices": offices, "version": version}
    form = LetterheadForm(request.POST or None, instance=instance)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            services.save_letterhead(form.save(commit=False), acting_user=request.user, expected_version=version)
        except StaleVersion as stale:
            return stale_edit(request, "activities/letterhead_form.html", context, form=form, current=stale.current)
        messages.success(request, _("Saved."))
        return redirect(f"{request.path}?region={region.code}")
    return render(request, "activities/letterhead_form.html", context)


def _not_found() -> Region:
    raise Http404
