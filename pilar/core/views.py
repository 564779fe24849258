from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pilar.core.http import AuthenticatedHttpRequest


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Whether to offer user management and the access log comes from the
    # `roles` context processor (nav_is_manager, nav_is_admin), as in the menu.
    return render(request, "core/home.html", {"assignments": request.user.active_role_assignments()})


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
