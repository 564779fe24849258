import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts import policy
from pilar.audit.access import record_request
from pilar.audit.models import AccessAction, AccessedRecord, AccessLog
from pilar.beneficiaries.models import Person
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.scoping import Scope
from pilar.core.tabular import EXPORT_FORMATS, Value, table_response

PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    username: str = ""
    action: str = ""
    person: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _entries(request: AuthenticatedHttpRequest) -> tuple[QuerySet[AccessLog], Filters]:
    """The entries the viewer may read: all of them for the administrator; for a
    regency or province operator, those that showed or exported people or cases of
    their area (UU PDP: the supervisor sees who read the people they are responsible
    for). Narrowed by user, action, person and dates."""
    user = request.user
    if not policy.is_manager(user):
        raise PermissionDenied(_("The access log is for the Dinsos operators and the administrator."))
    entries = AccessLog.objects.all()
    scope = Scope.for_user(user)
    if not scope.everything:
        entries = entries.filter(Exists(AccessedRecord.objects.filter(scope.filter("region"), entry=OuterRef("pk"))))
    person = request.GET.get("orang", "").strip()
    filters = Filters(
        username=request.GET.get("username", "").strip(),
        action=request.GET.get("action", ""),
        person=int(person) if person.isdigit() else None,
        since=_day(request.GET.get("dari", "")),
        until=_day(request.GET.get("sampai", "")),
    )
    if filters.username:
        entries = entries.filter(username=filters.username)
    if filters.action in AccessAction.values:
        entries = entries.filter(action=filters.action)
    if filters.person is not None:
        get_object_or_404(Person.objects.visible_to(user), pk=filters.person)
        entries = entries.filter(
            Exists(
                AccessedRecord.objects.filter(
                    entry=OuterRef("pk"), record_type=Person._meta.label, record_id=filters.person
                )
            )
        )
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries, filters


def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The access log: who looked at whom, and when."""
    entries, filters = _entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    record_request(request, action=AccessAction.VIEW, model=AccessLog, ids=[entry.pk for entry in page.object_list])
    return render(
        request,
        "audit/access_log.html",
        {
            "page": page,
            "filters": filters,
            "actions": AccessAction.choices,
            "export_formats": EXPORT_FORMATS,
        },
    )


def access_log_export(request: AuthenticatedHttpRequest, export_format: str) -> HttpResponse:
    """The filtered access log, for an audit; the export is itself logged."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    entries, _filters = _entries(request)
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
