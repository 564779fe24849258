from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from pilar.accounts import policy, second_factor, services
from pilar.accounts.forms import (
    LoginForm,
    RoleGrantForm,
    RoleRevokeForm,
    SetActiveForm,
    UserCreateForm,
)
from pilar.accounts.middleware import second_factor_exempt
from pilar.accounts.models import User
from pilar.audit.access import record_access
from pilar.audit.models import AccessAction
from pilar.core.http import AuthenticatedHttpRequest
from pilar.core.once import once_per_key

USERS_PAGE_SIZE = 50


@method_decorator(login_not_required, name="dispatch")
class PilarLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Just signed out: the page also clears what the field app kept on the phone.
        return {**super().get_context_data(**kwargs), "signed_out": self.request.GET.get("keluar") == "1"}


@method_decorator(second_factor_exempt, name="dispatch")
class PilarLogoutView(LogoutView):
    """Sign out, and have the browser drop everything Pilar kept on the device: the
    field app's data and outbox (IndexedDB), its caches and its service worker."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    def get_success_url(self) -> str:
        return f"{reverse('accounts:login')}?keluar=1"


def _visible_user(request: AuthenticatedHttpRequest, user_id: int) -> User:
    """The user with this id if the viewer may see them; 404 otherwise, never 403."""
    return get_object_or_404(User.objects.visible_to(request.user), pk=user_id)


def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = User.objects.visible_to(request.user).search(query).with_current_roles()
    page = Paginator(users.order_by("full_name", "username"), USERS_PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        action=AccessAction.SEARCH if query else AccessAction.VIEW,
        model=User,
        ids=(user.pk for user in page.object_list),
        query=query,
        path=request.get_full_path(),
    )
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "can_create": policy.is_manager(request.user)},
    )


def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = _visible_user(request, user_id)
    record_access(user=request.user, action=AccessAction.VIEW, model=User, ids=[user.pk], path=request.path)
    can_manage = policy.can_manage_user(request.user, user)
    roles = user.role_assignments.select_related("region", "granted_by", "revoked_by").order_by(
        "-is_active", "role", "region_id"
    )
    context = {
        "subject": user,
        "roles": [
            (
                assignment,
                policy.can_grant(request.user, role=assignment.role, region_code=assignment.region_id, target=user),
            )
            for assignment in roles
        ],
        "can_manage": can_manage,
        "can_grant": policy.is_manager(request.user) and user.pk != request.user.pk,
        "grant_form": RoleGrantForm(acting_user=request.user),
        "history": user.history.select_related("history_user").order_by("-history_date")[:20] if can_manage else [],
        "has_second_factor": second_factor.has_authenticator(user),
        "has_token": Token.objects.filter(user=user).exists(),
        "can_reset_second_factor": second_factor.can_reset(request.user),
    }
    return render(request, "accounts/user_detail.html", context)


@once_per_key("accounts.user-create")
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.is_manager(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                role=data["role"],
                region=data["region"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("User %(username)s created. Make them a password link, so they choose their own password.")
                % {"username": user.username},
            )
            return redirect("accounts:user-password-link", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@require_POST
def role_grant(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = _visible_user(request, user_id)
    if not policy.is_manager(request.user) or user.pk == request.user.pk:
        raise PermissionDenied
    form = RoleGrantForm(request.POST, acting_user=request.user)
    if form.is_valid():
        try:
            services.grant_role(
                user,
                role=form.cleaned_data["role"],
                region=form.cleaned_data["region"],
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Role granted."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return redirect("accounts:user-detail", user_id=user.pk)


@require_POST
def role_revoke(request: AuthenticatedHttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    user = _visible_user(request, user_id)
    assignment = get_object_or_404(user.role_assignments, pk=assignment_id)
    form = RoleRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for revoking the role."))
        return redirect("accounts:user-detail", user_id=user.pk)
    try:
        services.revoke_role(assignment, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user-detail", user_id=user.pk)


def user_password_link(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Hand a user a single-use link to choose their own password (printed, or sent to
    their e-mail): no operator sets or learns another user's password."""
    user = _visible_user(request, user_id)
    if not policy.can_manage_user(request.user, user):
        raise PermissionDenied
    link = ""
    if request.method == "POST":
        try:
            link = request.build_absolute_uri(services.issue_password_link(user, acting_user=request.user))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    response = render(
        request,
        "accounts/user_password_link.html",
        {"subject": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def user_set_active(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = _visible_user(request, user_id)
    form = SetActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("accounts:user-detail", user_id=user.pk)
    services.set_active(
        user,
        is_active=form.cleaned_data["is_active"],
        acting_user=request.user,
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Account activated.") if user.is_active else _("Account deactivated."))
    return redirect("accounts:user-detail", user_id=user.pk)
