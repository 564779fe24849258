from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from pilar.accounts.roles import Role
from pilar.audit.models import AccessAction, AccessLog
from pilar.core.http import AuthenticatedHttpRequest

PAGE_SIZE = 100


def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The access log, for the administrator only (it names who looked at whom)."""
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    entries = AccessLog.objects.all()
    username = request.GET.get("username", "").strip()
    action = request.GET.get("action", "")
    if username:
        entries = entries.filter(username=username)
    if action in AccessAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {"page": page, "username": username, "action": action, "actions": AccessAction.choices},
    )
