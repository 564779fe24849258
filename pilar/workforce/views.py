"""Pages of the worker registry: workers and their lifecycle, trainings, pengukuhan,
TKSK assignments and evaluations. Objects outside the viewer's region are 404;
changes need a managing role over the object's region (403 otherwise)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilar.audit.access import record_access, record_request
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest, parse_id, parse_ids
from pilar.core.identity import mask_nik
from pilar.core.once import once_per_key
from pilar.core.scoping import subtree
from pilar.core.search import redirect_to_sealed, unseal_params
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response
from pilar.core.versions import StaleVersion
from pilar.core.views import edit_version, stale_edit
from pilar.regions.models import Region, RegionLevel
from pilar.workforce import assignments, policy, services
from pilar.workforce.forms import (
    AssignmentEndForm,
    AssignmentForm,
    EvaluationForm,
    InaugurationForm,
    ParticipantsForm,
    StatusForm,
    TrainingForm,
    WorkerEditForm,
    WorkerFilterForm,
    WorkerForm,
)
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement, Inauguration, Training, Worker

PAGE_SIZE = 50


def require_manager(request: AuthenticatedHttpRequest, region_code: str) -> None:
    if not policy.can_manage_registry(request.user, region_code):
        raise PermissionDenied(_("Only the social office of this region may change its registry."))


def require_some_manager(request: AuthenticatedHttpRequest) -> None:
    if not policy.manages_registry_somewhere(request.user):
        raise PermissionDenied(_("Only a social office may change the registry."))


def add_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def filtered_engagements(request: AuthenticatedHttpRequest) -> tuple[WorkerFilterForm, QuerySet[Engagement]]:
    form = WorkerFilterForm(unseal_params(request.user, request.GET) or None)
    engagements = Engagement.objects.visible_to(request.user).select_related("worker", "region")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            engagements = engagements.filter(worker__in=Worker.objects.search(data["q"]))
        if data["kind"]:
            engagements = engagements.filter(kind=data["kind"])
        if data["status"]:
            engagements = engagements.filter(status=data["status"])
        if data["region"].strip():
            engagements = engagements.filter(subtree("region__code", data["region"].strip()))
    return form, engagements.order_by("region_id", "worker__full_name", "pk")


def worker_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":  # the search form: the NIK or name stays out of the URL
        return redirect_to_sealed(request)
    form, engagements = filtered_engagements(request)
    page = Paginator(engagements, PAGE_SIZE).get_page(request.GET.get("page"))
    record_request(
        request,
        model=Worker,
        ids=(engagement.worker_id for engagement in page.object_list),
    )
    full_nik = policy.can_see_full_nik(request.user)
    rows = [(engagement, engagement.worker.nik if full_nik else mask_nik(engagement.worker.nik)) for engagement in page]
    return render(
        request,
        "workforce/worker_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_manage": policy.manages_registry_somewhere(request.user),
            "export_formats": EXPORT_FORMATS,
        },
    )


def worker_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _form, engagements = filtered_engagements(request)
    full_nik = policy.can_see_full_nik(request.user)
    rows = [
        [
            engagement.kind,
            engagement.worker.nik if full_nik else mask_nik(engagement.worker.nik),
            engagement.worker.full_name,
            engagement.worker.sex,
            engagement.worker.birth_date,
            engagement.region_id,
            engagement.region.name,
            engagement.status,
            engagement.decree_number,
            engagement.decree_date,
            engagement.worker.phone,
        ]
        for engagement in engagements
    ]
    record_request(
        request,
        action=AccessAction.EXPORT,
        model=Worker,
        ids=(engagement.worker_id for engagement in engagements),
        count=len(rows),
    )
    headers = [
        "jenis",
        "nik",
        "nama",
        "jenis_kelamin",
        "tanggal_lahir",
        "kode_wilayah",
        "nama_wilayah",
        "status",
        "nomor_sk",
        "tanggal_sk",
        "telepon",
    ]
    return table_response(export_format, "pekerja-psks", headers, rows)


@once_per_key("workforce.worker-create")
def worker_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_some_manager(request)
    form = WorkerForm(request.POST or None)
    existing = transfer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = services.register_worker(acting_user=request.user, **data)
        except PermissionDenied:
            form.add_error("region", _("This region is outside the area you manage."))
        except services.DuplicateWorker as error:
            if error.visible:
                existing = error.existing
            else:  # nothing of the worker is shown; who tried is logged
                record_request(request, action=AccessAction.SEARCH, model=Worker, ids=[error.existing.pk])
                transfer = {"nik": data["nik"], "kind": data["kind"], "region": data["region"].code}
            add_errors(form, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered as a candidate.") % {"name": engagement.worker})
            return redirect("workforce:worker-detail", engagement.worker_id)
    return render(request, "workforce/worker_form.html", {"form": form, "existing": existing, "transfer": transfer})


def _visible_worker(request: AuthenticatedHttpRequest, worker_id: int) -> Worker:
    return get_object_or_404(Worker.objects.visible_to(request.user).select_related("home_village"), pk=worker_id)


def worker_detail(request: AuthenticatedHttpRequest, worker_id: int) -> HttpResponse:
    worker = _visible_worker(request, worker_id)
    record_access(user=request.user, action=AccessAction.VIEW, model=Worker, ids=[worker.pk], path=request.path)
    engagements = list(
        worker.engagements.select_related("region")
        .prefetch_related("events__acting_user", "events__to_region", "assignments__evaluation", "attendance__training")
        .order_by("kind")
    )
    can_manage = {
        engagement.pk: policy.can_manage_registry(request.user, engagement.region_id) for engagement in engagements
    }
    return render(
        request,
        "workforce/worker_detail.html",
        {
            "worker": worker,
            "nik": worker.nik if policy.can_see_full_nik(request.user) else mask_nik(worker.nik),
            "engagements": [(engagement, can_manage[engagement.pk]) for engagement in engagements],
            "can_edit": any(can_manage.values()),
            "status_form": StatusForm(),
        },
    )


def worker_photo(request: AuthenticatedHttpRequest, worker_id: int) -> FileResponse:
    worker = _visible_worker(request, worker_id)
    if not worker.photo:
        raise Http404
    return FileResponse(worker.photo.open("rb"), content_type="image/*")


def worker_edit(request: AuthenticatedHttpRequest, worker_id: int) -> HttpResponse:
    worker = _visible_worker(request, worker_id)
    for engagement in worker.engagements.all():
        require_manager(request, engagement.region_id)
    initial = {
        "full_name": worker.full_name,
        "phone": worker.phone,
        "education": worker.education,
        "account": worker.account.username if worker.account else "",
    }
    form = WorkerEditForm(request.POST or None, request.FILES or None, initial=initial, viewer=request.user)
    version = edit_version(request, worker)
    context = {"form": form, "title": worker.full_name, "multipart": True, "version": version}
    if request.method == "POST" and form.is_valid():
        changes = {key: value for key, value in form.cleaned_data.items() if key != "photo"}
        if form.cleaned_data.get("photo"):
            changes["photo"] = form.cleaned_data["photo"]
        try:
            services.update_worker(worker, acting_user=request.user, expected_version=version, **changes)
        except StaleVersion as stale:
            return stale_edit(request, "workforce/simple_form.html", context, form=form, current=stale.current)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:worker-detail", worker.pk)
    return render(request, "workforce/simple_form.html", context)


def _visible_engagement(request: AuthenticatedHttpRequest, engagement_id: int) -> Engagement:
    return get_object_or_404(Engagement.objects.visible_to(request.user).select_related("worker"), pk=engagement_id)


@require_POST
def engagement_status(request: AuthenticatedHttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _visible_engagement(request, engagement_id)
    require_manager(request, engagement.region_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        decree = None
        if data["decree_number"] and data["decree_date"]:
            decree = services.DecreeInfo(data["decree_number"], data["decree_date"], data["decree_issuer"])
        try:
            services.change_status(
                engagement,
                to_status=data["to_status"],
                acting_user=request.user,
                reason=data["reason"],
                note=data["note"],
                decree=decree,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("workforce:worker-detail", engagement.worker_id)


def engagement_assign(request: AuthenticatedHttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _visible_engagement(request, engagement_id)
    require_manager(request, engagement.region_id)
    if engagement.kind != WorkerKind.TKSK:
        raise Http404
    initial: dict[str, Any] = {"region": engagement.region_id}
    renewed = engagement.assignments.filter(pk=parse_id(request.GET.get("perpanjang")) or 0).first()
    if renewed is not None:  # the next budget year, from the day after the last one ends
        year = renewed.budget_year + 1
        initial.update(
            region=renewed.region_id,
            budget_year=year,
            start_date=renewed.end_date + datetime.timedelta(days=1),
            end_date=datetime.date(year, 12, 31),
        )
    form = AssignmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            require_manager(request, data["region"].code)
            services.assign_tksk(
                engagement,
                region=data["region"],
                budget_year=data["budget_year"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                decree=services.DecreeInfo(data["decree_number"], data["decree_date"], data["decree_issuer"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Assignment recorded."))
            return redirect("workforce:worker-detail", engagement.worker_id)
    title = _("Assign %(name)s as TKSK") % {"name": engagement.worker.full_name}
    return render(request, "workforce/simple_form.html", {"form": form, "title": title})


def assignment_evaluate(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("engagement__worker"), pk=assignment_id
    )
    require_manager(request, assignment.region_id)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_assignment(assignment, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Evaluation recorded."))
            return redirect("workforce:worker-detail", assignment.engagement.worker_id)
    title = _("Evaluation %(year)s: %(name)s") % {
        "year": assignment.budget_year,
        "name": assignment.engagement.worker.full_name,
    }
    return render(request, "workforce/simple_form.html", {"form": form, "title": title})


def training_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainings = Training.objects.visible_to(request.user).select_related("organiser")
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    inaugurations = Inauguration.objects.visible_to(request.user).select_related("region")[:20]
    return render(
        request,
        "workforce/training_list.html",
        {
            "page": page,
            "inaugurations": inaugurations,
            "can_manage": policy.manages_registry_somewhere(request.user),
            "export_formats": EXPORT_FORMATS,
        },
    )


def training_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """Every visible bimtek with its number of participants and how many completed it."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    trainings = (
        Training.objects.visible_to(request.user)
        .select_related("organiser")
        .annotate(
            participant_count=Count("attendance"),
            completed_count=Count("attendance", filter=Q(attendance__completed=True)),
        )
    )
    rows: list[list[Value]] = [
        [
            training.start_date,
            training.end_date,
            training.get_kind_display(),
            training.title,
            training.organiser_id,
            training.organiser.name,
            training.place,
            training.participant_count,
            training.completed_count,
        ]
        for training in trainings
    ]
    record_request(request, action=AccessAction.EXPORT, model=Training, ids=[], count=len(rows))
    headers = [
        "mulai",
        "selesai",
        "jenis",
        "judul",
        "kode_penyelenggara",
        "penyelenggara",
        "tempat",
        "peserta",
        "selesai_mengikuti",
    ]
    return table_response(export_format, "bimtek", headers, rows)


@once_per_key("workforce.training-create")
def training_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_some_manager(request)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.create_training(acting_user=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("organiser", _("This region is outside the area you manage."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("workforce:training-detail", training.pk)
    return render(request, "workforce/simple_form.html", {"form": form, "title": _("New bimtek")})


def training_detail(request: AuthenticatedHttpRequest, training_id: int) -> HttpResponse:
    training = get_object_or_404(Training.objects.visible_to(request.user).select_related("organiser"), pk=training_id)
    can_manage = policy.can_manage_registry(request.user, training.organiser_id)
    participants_form = ParticipantsForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_manager(request, training.organiser_id)
        if "completed" in request.POST or "record_completion" in request.POST:
            completed = set(parse_ids(request.POST.getlist("completed")))
            try:
                trained = services.record_completion(training, completed_ids=completed, acting_user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Completion saved; %(count)s became trained.") % {"count": trained})
            return redirect("workforce:training-detail", training.pk)
        if participants_form is not None and participants_form.is_valid():
            niks = participants_form.cleaned_data["niks"]
            engagements = list(
                Engagement.objects.visible_to(request.user)
                .filter(worker__nik__in=niks)
                .exclude(status=WorkerStatus.INACTIVE)
                .select_related("worker")
            )
            found = {engagement.worker.nik for engagement in engagements}
            missing = [nik for nik in niks if nik not in found]
            if missing:
                participants_form.add_error(
                    "niks", _("No worker in your area with NIK %(niks)s.") % {"niks": ", ".join(missing)}
                )
            else:
                try:
                    added = services.add_participants(training, engagements, acting_user=request.user)
                except ValidationError as error:
                    add_errors(participants_form, error)
                else:
                    messages.success(request, _("%(count)s participants added.") % {"count": added})
                    return redirect("workforce:training-detail", training.pk)
    attendance = training.attendance.select_related("engagement__worker", "engagement__region").order_by(
        "engagement__worker__full_name"
    )
    return render(
        request,
        "workforce/training_detail.html",
        {"training": training, "attendance": attendance, "can_manage": can_manage, "form": participants_form},
    )


@once_per_key("workforce.inauguration-create")
def inauguration_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_some_manager(request)
    region_code = request.GET.get("region") or request.POST.get("region_code", "")
    regencies = [
        regency
        for regency in Region.objects.active().filter(level=RegionLevel.REGENCY).order_by("code")
        if policy.can_manage_registry(request.user, regency.code)
    ]
    fallback = regencies[0] if regencies else None
    region = next((regency for regency in regencies if regency.code == region_code), fallback)
    if region is None:
        raise PermissionDenied(_("A pengukuhan is held by a regency/city office."))
    trained = (
        Engagement.objects.visible_to(request.user)
        .filter(kind=WorkerKind.PSM, status=WorkerStatus.TRAINED, region__code__startswith=region.code + ".")
        .select_related("worker", "region")
        .order_by("region_id", "worker__full_name")
    )
    candidates = [
        (engagement.pk, f"{engagement.worker.full_name} · {engagement.region.name}") for engagement in trained
    ]
    form = InaugurationForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(trained.filter(pk__in=[int(value) for value in data["engagements"]]))
        try:
            inauguration = services.inaugurate(
                region=region,
                date=data["date"],
                place=data["place"],
                official=data["official"],
                decree=services.DecreeInfo(data["decree_number"], data["decree_date"], data["decree_issuer"]),
                engagements=chosen,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(count)s PSM confirmed.") % {"count": inauguration.engagements.count()})
            return redirect("workforce:inauguration-detail", inauguration.pk)
    return render(
        request,
        "workforce/simple_form.html",
        {
            "form": form,
            "title": _("Pengukuhan in %(region)s") % {"region": region.name},
            "hidden": {"region_code": region.code},
        },
    )


def inauguration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every pengukuhan of the user's area, newest first, with its number of PSM."""
    inaugurations = (
        Inauguration.objects.visible_to(request.user)
        .select_related("region")
        .annotate(confirmed=Count("engagements"))
        .order_by("-date", "-pk")
    )
    page = Paginator(inaugurations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/inauguration_list.html",
        {"page": page, "can_manage": policy.manages_registry_somewhere(request.user)},
    )


def visible_inauguration(
    request: AuthenticatedHttpRequest, inauguration_id: int, *, action: AccessAction
) -> tuple[Inauguration, list[Engagement]]:
    """A pengukuhan of the viewer's area (404 otherwise) and the PSM it confirmed, by
    village and name; their workers' reads (or export) logged."""
    inauguration = get_object_or_404(
        Inauguration.objects.visible_to(request.user).select_related("region", "created_by"), pk=inauguration_id
    )
    participants = list(
        inauguration.engagements.select_related("worker", "region", "region__parent").order_by(
            "region_id", "worker__full_name"
        )
    )
    record_access(
        user=request.user,
        action=action,
        model=Worker,
        ids=[engagement.worker_id for engagement in participants],
        path=request.path,
    )
    return inauguration, participants


def inauguration_detail(request: AuthenticatedHttpRequest, inauguration_id: int) -> HttpResponse:
    """Who was confirmed, when, where, by which decree and by whom."""
    inauguration, participants = visible_inauguration(request, inauguration_id, action=AccessAction.VIEW)
    return render(
        request,
        "workforce/inauguration_detail.html",
        {"inauguration": inauguration, "participants": participants},
    )


def assignment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The TKSK assignments of the user's area: those ending within 30 days without a
    renewal first (the warning), then the others in force, then the ended ones."""
    today = timezone.localdate()
    visible = Assignment.objects.visible_to(request.user).select_related("engagement__worker", "region", "evaluation")
    ending = assignments.ending_soon(visible, today).order_by("end_date", "region_id")
    return render(
        request,
        "workforce/assignment_list.html",
        {
            "ending": ending,
            "in_force": visible.filter(start_date__lte=today, end_date__gte=today)
            .exclude(pk__in=ending.values("pk"))
            .order_by("region_id"),
            "ended": visible.filter(end_date__lt=today).order_by("-end_date", "region_id")[:PAGE_SIZE],
            "today": today,
            "warning_days": assignments.WARNING_DAYS,
            "can_manage": policy.manages_registry_somewhere(request.user),
            "end_form": AssignmentEndForm(initial={"on": today}),
        },
    )


@require_POST
def assignment_end(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=assignment_id)
    require_manager(request, assignment.region_id)
    form = AssignmentEndForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(str(error) for error in errors)}")
        return redirect("workforce:assignment-list")
    try:
        assignments.end_assignment(
            assignment, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("The assignment ends on %(date)s.") % {"date": date_format(form.cleaned_data["on"], "j F Y")}
        )
    return redirect("workforce:assignment-list")
