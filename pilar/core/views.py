from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pilar.accounts import policy
from pilar.accounts.roles import Role
from pilar.core.http import AuthenticatedHttpRequest


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "assignments": user.active_role_assignments(),
            "is_manager": policy.is_manager(user),
            "is_admin": user.has_role(Role.ADMIN),
        },
    )


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
