from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pilar.accounts.roles import Role
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction, AccessLog
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response

PAGE_SIZE = 100


def _entries(request: AuthenticatedHttpRequest) -> tuple[QuerySet[AccessLog], str, str]:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    entries = AccessLog.objects.all()
    username = request.GET.get("username", "").strip()
    action = request.GET.get("action", "")
    if username:
        entries = entries.filter(username=username)
    if action in AccessAction.values:
        entries = entries.filter(action=action)
    return entries, username, action


def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The access log, for the administrator only (it names who looked at whom)."""
    entries, username, action = _entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "page": page,
            "username": username,
            "action": action,
            "actions": AccessAction.choices,
            "export_formats": EXPORT_FORMATS,
        },
    )


def access_log_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """The filtered access log, for an audit; the export is itself logged."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    entries, _username, _action = _entries(request)
    rows: list[list[Value]] = [
        [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.username,
            entry.roles,
            entry.action,
            entry.record_type,
            entry.record_count,
            " ".join(str(record_id) for record_id in entry.record_ids),
            entry.query,
            entry.path,
        ]
        for entry in entries.iterator(chunk_size=2000)
    ]
    record_request(request, action=AccessAction.EXPORT, model=AccessLog, ids=[], count=len(rows))
    headers = ["waktu", "pengguna", "peran", "tindakan", "jenis_data", "jumlah", "id_data", "pencarian", "alamat"]
    return table_response(export_format, "log-akses", headers, rows)
