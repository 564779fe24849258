"""Upload pages: send a file, see the preview (every row checked, nothing written),
confirm to import; download the template or the error report as a workbook."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pilar.accounts.roles import MANAGER_ROLES
from pilar.beneficiaries import policy as beneficiaries_policy
from pilar.beneficiaries.policy import MAPPING_ROLES
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.tabular import table_response
from pilar.imports import tasks
from pilar.imports.base import ImportReport
from pilar.imports.models import Upload, UploadStatus
from pilar.imports.reading import SUPPORTED_SUFFIXES
from pilar.imports.registry import IMPORT_KINDS, run_import
from pilar.workforce import policy

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[(name, kind.label) for name, kind in IMPORT_KINDS.items()],
    )
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(
                _("Upload a CSV or XLSX file (this one is %(suffix)s).") % {"suffix": suffix or "?"}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it or use the command line."))
        return upload


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not policy.manages_registry_somewhere(request.user):
        raise PermissionDenied(_("Only a social office may import into the registry."))


def _require_importer(request: AuthenticatedHttpRequest, kind: str) -> None:
    """Workers and institutions are imported by the social office; people (social
    mapping) also by the TKSK and PSM of their area."""
    if IMPORT_KINDS[kind].in_background:
        if not beneficiaries_policy.maps_somewhere(request.user):
            raise PermissionDenied(_("Your role does not map PPKS."))
        return
    _require_manager(request)


def _upload_region_code(request: AuthenticatedHttpRequest, kind: str) -> str | None:
    """The region of the uploader's widest role that may import this kind (None: national)."""
    roles = MAPPING_ROLES if IMPORT_KINDS[kind].in_background else MANAGER_ROLES
    regions = [a.region_id for a in request.user.active_role_assignments() if a.role in roles]
    return None if None in regions else min(regions, key=len)  # type: ignore[arg-type]


def upload_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (policy.manages_registry_somewhere(request.user) or beneficiaries_policy.maps_somewhere(request.user)):
        raise PermissionDenied(_("Your role does not import files."))
    form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        _require_importer(request, kind)
        sent = form.cleaned_data["file"]
        data = sent.read()
        upload = Upload(
            kind=kind,
            original_name=sent.name[:200],
            region_id=_upload_region_code(request, kind),
            uploaded_by=request.user,
        )
        upload.file.save(f"{kind}-{sent.name[-60:]}", ContentFile(data), save=False)
        if IMPORT_KINDS[kind].in_background:
            with transaction.atomic():
                upload.status = UploadStatus.CHECKING
                upload.save()
                tasks.start(upload, write=False)
        else:
            report = run_import(kind, data, sent.name, acting_user=request.user, dry_run=True)
            upload.status = UploadStatus.CHECKED if report.is_valid else UploadStatus.REJECTED
            upload.report = report.as_dict()
            upload.save()
        return redirect("imports:upload-detail", upload.pk)
    recent = Upload.objects.visible_to(request.user).filter(uploaded_by=request.user)[:10]
    return render(request, "imports/upload_start.html", {"form": form, "kinds": IMPORT_KINDS, "recent": recent})


def _visible_upload(request: AuthenticatedHttpRequest, upload_id: int) -> Upload:
    upload = get_object_or_404(Upload.objects.visible_to(request.user), pk=upload_id)
    _require_importer(request, upload.kind)
    return upload


def report_of(upload: Upload) -> ImportReport:
    """The upload's report so far: empty until the job has checked the file."""
    return ImportReport.from_dict({"kind": upload.kind, "filename": upload.original_name, **upload.report})


def upload_detail(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    upload = _visible_upload(request, upload_id)
    report = report_of(upload)
    return render(
        request,
        "imports/upload_detail.html",
        {
            "upload": upload,
            "report": report,
            "errors": report.errors[:200],
            "kind": IMPORT_KINDS[upload.kind],
            "can_skip_invalid": _can_skip_invalid(upload, report),
        },
    )


def _can_skip_invalid(upload: Upload, report: ImportReport) -> bool:
    """A checked large file with some invalid rows may import its valid rows."""
    return (
        upload.status == UploadStatus.REJECTED
        and IMPORT_KINDS[upload.kind].in_background
        and not report.written
        and report.created + report.updated + report.unchanged > 0
    )


@require_POST
def upload_confirm(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    upload = _visible_upload(request, upload_id)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        skip_invalid = request.POST.get("skip_invalid") == "1"
        allowed = upload.status == UploadStatus.CHECKED or (
            skip_invalid and _can_skip_invalid(upload, report_of(upload))
        )
        if not allowed:
            messages.error(request, _("This file cannot be imported (again)."))
            return redirect("imports:upload-detail", upload.pk)
        if not upload.file:
            messages.error(
                request,
                _("The file was deleted %(days)s days after its upload; upload it again.")
                % {"days": settings.PILAR_UPLOAD_KEEP_DAYS},
            )
            return redirect("imports:upload-detail", upload.pk)
        if IMPORT_KINDS[upload.kind].in_background:
            upload.status = UploadStatus.IMPORTING
            upload.progress_done = 0
            upload.save(update_fields=["status", "progress_done"])
            tasks.start(upload, write=True, skip_invalid=skip_invalid)
            return redirect("imports:upload-detail", upload.pk)
        with upload.file.open("rb") as stored:
            data = stored.read()
        # Checked again: the registry may have changed since the preview.
        report = run_import(upload.kind, data, upload.original_name, acting_user=request.user, dry_run=False)
        upload.report = report.as_dict()
        upload.status = UploadStatus.IMPORTED if report.written else UploadStatus.REJECTED
        upload.save(update_fields=["report", "status"])
    if report.written:
        messages.success(request, _("Imported: %(created)s new, %(updated)s changed.") % report.as_dict())
    else:
        messages.error(request, _("Nothing was imported; see the problems below."))
    return redirect("imports:upload-detail", upload.pk)


def upload_errors(request: AuthenticatedHttpRequest, upload_id: int) -> HttpResponse:
    upload = _visible_upload(request, upload_id)
    report = report_of(upload)
    rows = [[error.row or None, error.column, error.message] for error in report.errors]
    return table_response("xlsx", f"galat-{upload.pk}", [_("row"), _("column"), _("message")], rows)


def template_download(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in IMPORT_KINDS:
        raise Http404
    spec = IMPORT_KINDS[kind]
    return table_response("xlsx", f"templat-{kind}", spec.columns, [spec.example])
