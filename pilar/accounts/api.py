from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from pilar.accounts.models import RoleAssignment, User
from pilar.audit.access import record_access
from pilar.audit.models import AccessAction


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "region", "granted_at"]


class UserSerializer(serializers.ModelSerializer[User]):
    roles = RoleAssignmentSerializer(many=True, source="current_roles", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "is_active", "roles"]


class UserViewSet(viewsets.ReadOnlyModelViewSet[User]):
    """The users the caller may see: those holding a role inside the caller's regions."""

    serializer_class = UserSerializer

    def get_queryset(self) -> QuerySet[User]:
        query = self.request.query_params.get("q", "")
        return User.objects.visible_to(self.request.user).search(query).with_current_roles().order_by("username")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data["results"] if isinstance(response.data, dict) else response.data
        query = request.query_params.get("q", "")
        record_access(
            user=request.user,
            action=AccessAction.SEARCH if query else AccessAction.VIEW,
            model=User,
            ids=(row["id"] for row in results),
            query=query,
            path=request.get_full_path(),
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        record_access(
            user=request.user, action=AccessAction.VIEW, model=User, ids=[response.data["id"]], path=request.path
        )
        return response


@extend_schema(responses=UserSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The signed-in user and their active roles."""
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated has run
    user.current_roles = user.active_role_assignments()  # type: ignore[attr-defined]
    return Response(UserSerializer(user).data)
