"""Pages of the institution registry and of quotas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pilar.audit.access import record_access, record_request
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.once import once_per_key
from pilar.core.scoping import Scope, subtree
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response
from pilar.core.versions import StaleVersion
from pilar.core.views import edit_version, stale_edit
from pilar.reports.pillars import quotas_against_actual
from pilar.workforce import institutions, policy, services
from pilar.workforce.forms import (
    InstitutionEditForm,
    InstitutionFilterForm,
    InstitutionForm,
    InstitutionStatusForm,
    QuotaForm,
)
from pilar.workforce.models import Institution, Quota
from pilar.workforce.views import PAGE_SIZE, add_errors, require_manager, require_some_manager


def filtered_institutions(request: AuthenticatedHttpRequest) -> tuple[InstitutionFilterForm, QuerySet[Institution]]:
    form = InstitutionFilterForm(request.GET or None)
    found = Institution.objects.visible_to(request.user).select_related("region")
    if form.is_valid():
        data = form.cleaned_data
        found = found.search(data["q"])
        if data["kind"]:
            found = found.filter(kind=data["kind"])
        if data["status"]:
            found = found.filter(status=data["status"])
        if data["region"].strip():
            found = found.filter(subtree("region__code", data["region"].strip()))
    return form, found.order_by("region_id", "kind", "name")


def institution_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, found = filtered_institutions(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/institution_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": policy.manages_registry_somewhere(request.user),
            "export_formats": EXPORT_FORMATS,
        },
    )


def institution_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _form, found = filtered_institutions(request)
    rows = [
        [
            institution.kind,
            institution.name,
            institution.region_id,
            institution.region.name,
            institution.registration_number,
            institution.accreditation,
            institution.accreditation_date,
            institution.leader_name,
            institution.member_count,
            institution.phone,
            institution.address,
            institution.status,
        ]
        for institution in found
    ]
    record_request(
        request,
        action=AccessAction.EXPORT,
        model=Institution,
        ids=(institution.pk for institution in found),
        count=len(rows),
    )
    headers = [
        "jenis",
        "nama",
        "kode_wilayah",
        "nama_wilayah",
        "nomor_registrasi",
        "akreditasi",
        "tanggal_akreditasi",
        "ketua",
        "jumlah_anggota",
        "telepon",
        "alamat",
        "status",
    ]
    return table_response(export_format, "lembaga-psks", headers, rows)


@once_per_key("workforce.institution-create")
def institution_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_some_manager(request)
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = institutions.register_institution(acting_user=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("region", _("This region is outside the area you manage."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("workforce:institution-detail", institution.pk)
    return render(request, "workforce/simple_form.html", {"form": form, "title": _("New institution")})


def _visible_institution(request: AuthenticatedHttpRequest, institution_id: int) -> Institution:
    return get_object_or_404(Institution.objects.visible_to(request.user).select_related("region"), pk=institution_id)


def institution_detail(request: AuthenticatedHttpRequest, institution_id: int) -> HttpResponse:
    institution = _visible_institution(request, institution_id)
    record_access(
        user=request.user, action=AccessAction.VIEW, model=Institution, ids=[institution.pk], path=request.path
    )
    can_manage = policy.can_manage_registry(request.user, institution.region_id)
    return render(
        request,
        "workforce/institution_detail.html",
        {
            "institution": institution,
            "can_manage": can_manage,
            "status_form": InstitutionStatusForm(),
            "history": institution.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


def institution_edit(request: AuthenticatedHttpRequest, institution_id: int) -> HttpResponse:
    institution = _visible_institution(request, institution_id)
    require_manager(request, institution.region_id)
    initial = {field: getattr(institution, field) for field in institutions.INSTITUTION_FIELDS}
    form = InstitutionEditForm(request.POST or None, initial=initial)
    version = edit_version(request, institution)
    context = {"form": form, "title": institution.name, "version": version}
    if request.method == "POST" and form.is_valid():
        try:
            institutions.update_institution(
                institution, acting_user=request.user, expected_version=version, **form.cleaned_data
            )
        except StaleVersion as stale:
            return stale_edit(request, "workforce/simple_form.html", context, form=form, current=stale.current)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:institution-detail", institution.pk)
    return render(request, "workforce/simple_form.html", context)


def institution_status(request: AuthenticatedHttpRequest, institution_id: int) -> HttpResponse:
    institution = _visible_institution(request, institution_id)
    require_manager(request, institution.region_id)
    form = InstitutionStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institutions.set_institution_status(institution, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Status changed."))
            return redirect("workforce:institution-detail", institution.pk)
    return render(request, "workforce/simple_form.html", {"form": form, "title": institution.name})


def quota_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    quotas = list(
        Quota.objects.visible_to(request.user).select_related("region").order_by("-year", "region_id", "kind")
    )
    can_manage = policy.manages_registry_somewhere(request.user)
    form = QuotaForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_some_manager(request)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            if not Scope.for_user(request.user).includes(data["region"].code):
                form.add_error("region", _("This region is outside the area you manage."))
            else:
                try:
                    services.set_quota(acting_user=request.user, **data)
                except PermissionDenied:
                    form.add_error("region", _("This region is outside the area you manage."))
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("Quota saved."))
                    return redirect("workforce:quota-list")
    return render(
        request,
        "workforce/quota_list.html",
        {"lines": quotas_against_actual(quotas), "form": form, "export_formats": EXPORT_FORMATS},
    )


def quota_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """Every visible quota beside the active workers of its kind in its region today."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    quotas = list(
        Quota.objects.visible_to(request.user).select_related("region").order_by("-year", "region_id", "kind")
    )
    rows: list[list[Value]] = [
        [
            line.quota.year,
            line.quota.region_id,
            line.quota.region.name,
            line.quota.kind,
            line.quota.target,
            line.actual,
            max(line.gap, 0),
            line.percent,
        ]
        for line in quotas_against_actual(quotas)
    ]
    record_request(request, action=AccessAction.EXPORT, model=Quota, ids=[], count=len(rows))
    headers = ["tahun", "kode_wilayah", "nama_wilayah", "jenis", "target", "aktif", "kekurangan", "persen"]
    return table_response(export_format, "kuota", headers, rows)
